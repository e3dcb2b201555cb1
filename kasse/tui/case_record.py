"""The caseload's door to the journal and own tasks (kasse/journal.py): what the app shows of them, and their writes.

`Caseload` (kasse/tui/caseload.py) inherits `CaseRecordDoor`, so the app has
one door to the data. Reads use the fast reader (no SQLAlchemy at start-up);
each write is one store transaction on behalf of the caseworker, who also
signs the note or task, and returns the `CaseRecord` read anew.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from kasse.data import reader
from kasse.data.audit import current_actor
from kasse.data.journal_reads import journal_of, latest_note_times
from kasse.data.task_reads import tasks
from kasse.journal import JournalNote, Task


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """What the queue and the deadline lists show of the journal and own tasks: when each family's newest
    note was written, and the open tasks."""

    latest_notes: dict[str, datetime] = field(default_factory=dict)  # family ref -> its newest note's time
    open_tasks: tuple[Task, ...] = ()


NO_RECORD = CaseRecord()  # an empty caseload's, and the snapshot's before the first load


def read_case_record(connection: sqlite3.Connection) -> CaseRecord:
    """Two queries for the whole caseload, whatever its size: one per family would slow the queue."""
    return CaseRecord(latest_note_times(connection), tuple(tasks(connection, open_only=True)))


class CaseRecordDoor:
    """The journal's and tasks' part of `Caseload`, which gives it `path`, `actor` and `_transaction`."""

    path: Path
    actor: str | None

    def _transaction(self) -> AbstractContextManager:
        raise NotImplementedError

    @property
    def author(self) -> str:
        """Who signs a note or task: the configured user, else $KASSE_USER, else the login (as the audit)."""
        return current_actor(self.actor)

    def case_record(self) -> CaseRecord:
        with closing(reader.connect(self.path)) as connection:
            return read_case_record(connection)

    def journal(self, family_ref: str) -> list[JournalNote]:
        """A family's journal, newest first (its own notes and its members')."""
        with closing(reader.connect(self.path)) as connection:
            return journal_of(connection, family_ref)

    def add_note(self, note: JournalNote) -> CaseRecord:
        with self._journal_writes() as writes:
            writes.append_note(note)
        return self.case_record()

    def add_task(self, task: Task) -> CaseRecord:
        with self._journal_writes() as writes:
            writes.add_task(task)
        return self.case_record()

    def set_task_done(self, uid: str, done: date | None) -> CaseRecord:
        with self._journal_writes() as writes:
            writes.set_task_done(uid, done)
        return self.case_record()

    @contextmanager
    def _journal_writes(self) -> Iterator:
        from kasse.data.journal import JournalWrites  # the write path: imported on the first save

        with self._transaction() as tx:
            yield JournalWrites.within(tx)
