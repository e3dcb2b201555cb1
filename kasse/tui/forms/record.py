"""Saving a journal note or an own task from the app: in a worker, one store transaction, then shown at once.

A note or task is not part of a family's record (kasse/journal.py), so it
is not saved with `KasseApp.save`: the caseload returns the journal's and
tasks' part of the snapshot read anew (`CaseRecord`), which replaces the
app's. A save that fails is reported and hands back to `failed`, which
reopens the form with what was typed: a note's text is never lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kasse.domain import Family
from kasse.journal import TaskDeadline
from kasse.tui.case_record import CaseRecord
from kasse.tui.caseload import Caseload
from kasse.tui.widgets.status import plain


def save_record(app, job: Callable[[Caseload], CaseRecord], message: str,
                failed: Callable[[], Any] | None = None) -> None:
    def saved(record: CaseRecord) -> None:
        app.caseload.seen()
        app.show_snapshot(app.snapshot.with_record(record))
        app.notify(message, title="Gemt")

    def not_saved(error: BaseException) -> None:
        app.report(error)
        if failed is not None:
            failed()

    app.run_db(lambda: job(app.caseload), saved, failed=not_saved)


def mark_done(app, task: TaskDeadline) -> None:
    """Mark an own task done on the app's today."""
    save_record(app, lambda caseload: caseload.set_task_done(task.uid, app.today), f"Opgaven er udført: {task.title}")


def member_options(family: Family) -> tuple[tuple[Any, str], ...]:
    """(name, ref) for each member of `family`: the choices of a note's or task's "Om" field."""
    return tuple((plain(person.name), person.ref) for person in family.members)
