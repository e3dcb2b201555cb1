"""Own tasks (opgaver) among the law's deadlines: the rows the deadline lists add for them, marked as own tasks,
and the notice at start of the tasks due today or overdue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rich.text import Text

from kasse import words
from kasse.journal import Task, TaskDeadline, task_deadlines
from kasse.rules import Deadline
from kasse.tui.widgets.status import basis_cell, plain

OWN_TASK_STYLE = "italic cyan"  # the "Egen opgave" cell: an own task is no provision of the law


def task_rows(snapshot, window: int, family_ref: str | None = None) -> list[TaskDeadline]:
    """The snapshot's open tasks (one family's, if given) as rows of the deadline lists, named as the CLI
    names them: the person's name, or for a family's own task the family's."""
    found = [task for task in snapshot.record.open_tasks
             if task.family_ref in snapshot.families and family_ref in (None, task.family_ref)]
    names = {}
    for task in found:
        family = snapshot.families[task.family_ref]
        names[task.family_ref] = family.display_name
        names.update((person.ref, person.name) for person in family.members)
    return task_deadlines(found, today=snapshot.today, window=window, names=names)


def with_tasks(found: Iterable[Deadline], tasks: Iterable[TaskDeadline]) -> list[Deadline | TaskDeadline]:
    """The law's deadlines and own tasks in one list, by due date as the engine sorts (rules.sort_deadlines)."""
    return sorted([*found, *tasks], key=lambda row: (row.due, row.family, row.person or ""))


def is_task(row: object) -> bool:
    return isinstance(row, TaskDeadline)


def basis_words(row: Deadline | TaskDeadline) -> str:
    """What the Hjemmel column says: the legal basis, or "Egen opgave"."""
    return words.OWN_TASK if is_task(row) else words.legal_basis(row.basis, row.ruleset)


def row_basis_cell(row: Deadline | TaskDeadline, width: int | None) -> Text:
    if is_task(row):
        return Text(words.OWN_TASK, style=OWN_TASK_STYLE)
    return basis_cell(row.basis, row.ruleset, width)


def row_title_cell(row: Deadline | TaskDeadline) -> Text:
    """The deadline's title; a task's (typed by a user: shown literally) in italics."""
    if is_task(row):
        cell = plain(row.title)
        cell.stylize("italic")
        return cell
    return Text(row.title)


def due_notice(tasks: Iterable[Task], today: date) -> str | None:
    """'3 opgaver forfalder i dag' and '2 opgaver er overskredet' for the open tasks, or None when none is due."""
    open_ones = [task for task in tasks if task.done is None]
    due = sum(1 for task in open_ones if task.due == today)
    overdue = sum(1 for task in open_ones if task.due < today)
    parts = []
    if due:
        parts.append(f"{due} {'opgave' if due == 1 else 'opgaver'} forfalder i dag")
    if overdue:
        parts.append(f"{overdue} {'opgave' if overdue == 1 else 'opgaver'} er overskredet")
    return " og ".join(parts) if parts else None
