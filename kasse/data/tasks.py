"""The tasks' writes: a caseworker's own tasks, every change audited.

A task (kasse/journal.py) lives under its family, or under one member
when it names one, by id like the other child tables, and goes with it: a
member's task follows them to another family. Its changes go in the audit trail as the store writes
families' and persons' (kasse/data/audit.py): table "task", record the
task's uid, field `*` (the whole task, as JSON) when created, else
`title`, `due` or `done` with the old and new value. The reads are
kasse/data/task_reads.py's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, update

from kasse.data import models
from kasse.data.audit import WHOLE_RECORD, audit_text
from kasse.data.audit_chain import AuditEntry, append
from kasse.data.refs import require_unique
from kasse.data.task_reads import read_tasks
from kasse.errors import KasseError, problem_list
from kasse.journal import Task, check_task

_TASK = models.TaskRow.__table__
_CHANGEABLE = ("title", "due", "done")  # what a save may change; a task never changes family or person


@dataclass(frozen=True, slots=True)
class TasksSaved:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class TaskWrites:
    """The tasks' writes in one write transaction (with the journal's: `kasse.data.journal.JournalWrites`)."""

    def __init__(self, connection: Connection, actor: str, at: str) -> None:
        self._connection = connection
        self._raw = connection.connection.driver_connection  # the sqlite3 connection, for reads
        self._actor = actor
        self._at = at

    def add_task(self, task: Task) -> None:
        """Write a new task; refused if its uid is taken or its family or person does not exist."""
        if self._saved_tasks([task.uid]):
            raise KasseError(f"Opgaven {task.uid} findes allerede")
        self.save_tasks([task])

    def save_tasks(self, tasks: Iterable[Task]) -> TasksSaved:
        """Create the tasks whose uids are new and give the others the title, due and done dates given
        (an import: the file wins); every change audited. All or nothing.

        A task's person, or family if it has none, cannot change: such a task is refused.
        """
        tasks = list(tasks)
        for task in tasks:
            check_task(task)
        require_unique("Opgaven", (task.uid for task in tasks))
        saved = self._saved_tasks([task.uid for task in tasks])
        new = [task for task in tasks if task.uid not in saved]
        places = self._places(new)
        moved = [task.uid for task in tasks if task.uid in saved and _place(saved[task.uid]) != _place(task)]
        if moved:
            raise KasseError(problem_list("Opgaver kan ikke flyttes til en anden familie eller person:", moved))
        audit: list[AuditEntry] = []
        if new:
            rows = [{**_task_columns(task), **places[task.uid]} for task in new]
            self._connection.execute(insert(_TASK), rows)
            audit += [self._entry(task.uid, WHOLE_RECORD, None, _task_record(task)) for task in new]
        updated = 0
        for task in tasks:
            if task.uid in saved:
                changes = self._update(task, saved[task.uid])
                audit += changes
                updated += bool(changes)
        append(self._raw, audit)
        return TasksSaved(len(new), updated, len(tasks) - len(new) - updated)

    def set_task_done(self, uid: str, done: date | None) -> bool:
        """Mark a task done on `done`, or not done (None); False when it already was. Audited."""
        if done is not None and (not isinstance(done, date) or isinstance(done, datetime)):
            raise KasseError("Opgavens udført-dato skal være en dato")
        saved = self._saved_tasks([uid]).get(uid)
        if saved is None:
            raise KasseError(f"Ukendt opgave: {uid}")
        changes = self._update(replace(saved, done=done), saved)
        append(self._raw, changes)
        return bool(changes)

    def _update(self, task: Task, saved: Task) -> list[AuditEntry]:
        """Write the changeable fields where `task` differs from `saved`; the audit rows for them."""
        changes = {name: getattr(task, name) for name in _CHANGEABLE if getattr(task, name) != getattr(saved, name)}
        if changes:
            self._connection.execute(update(_TASK).where(_TASK.c.uid == task.uid).values(changes))
        return [self._entry(task.uid, name, getattr(saved, name), value) for name, value in changes.items()]

    def _entry(self, uid: str, field: str, old: Any, new: Any) -> AuditEntry:
        return AuditEntry(self._at, self._actor, "task", uid, field, audit_text(old), audit_text(new))

    def _saved_tasks(self, uids: list[str]) -> dict[str, Task]:
        found = read_tasks(self._raw, "t.uid IN (SELECT value FROM json_each(:uids))", {"uids": json.dumps(uids)})
        return {task.uid: task for task in found}

    def _places(self, tasks: list[Task]) -> dict[str, dict[str, int | None]]:
        """uid -> the family_id and person_id columns of each new task; refused when a family or person does
        not exist, or the person is not in the family."""
        refs = json.dumps(sorted({task.family_ref for task in tasks} | {task.person_ref or "" for task in tasks}))
        within = "ref IN (SELECT value FROM json_each(?))"
        families = dict(self._raw.execute(f"SELECT ref, id FROM family WHERE {within}", (refs,)))
        rows = self._raw.execute(f"SELECT ref, id, family_id FROM person WHERE {within}", (refs,))
        persons = {ref: (person_id, family_id) for ref, person_id, family_id in rows}
        places, problems = {}, []
        for task in tasks:
            family_id = families.get(task.family_ref)
            person_id, persons_family = persons.get(task.person_ref, (None, None))
            if family_id is None:
                problems.append(f"{task.uid}: familien {task.family_ref} findes ikke")
            elif task.person_ref is not None and persons_family != family_id:
                problems.append(f"{task.uid}: personen {task.person_ref} er ikke i familien {task.family_ref}")
            # A member's task hangs on the member alone (it follows them), a family's on the family.
            places[task.uid] = {"family_id": None if person_id else family_id, "person_id": person_id}
        if problems:
            raise KasseError(problem_list("Opgaver, der ikke kan gemmes:", problems))
        return places


def _place(task: Task) -> tuple[str, str]:
    return ("person", task.person_ref) if task.person_ref is not None else ("family", task.family_ref)


def _task_columns(task: Task) -> dict[str, Any]:
    return {
        "uid": task.uid,
        "title": task.title,
        "due": task.due,
        "done": task.done,
        "created_at": task.created_at.isoformat(timespec="seconds"),
        "author": task.author,
    }


def _task_record(task: Task) -> dict[str, Any]:
    """The whole task as its audit row holds it (JSON)."""
    return {
        "family": task.family_ref,
        "person": task.person_ref,
        "title": task.title,
        "due": task.due,
        "done": task.done,
        "created_at": task.created_at.isoformat(timespec="seconds"),
        "author": task.author,
    }

