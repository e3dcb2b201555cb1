"""The journal's SQL: append-only notes, their full-text search, and carrying them through a restore.

The reads are kasse/data/journal_reads.py's; writes run
inside a write transaction, through `JournalWrites` (with the
tasks' writes, kasse/data/tasks.py): it joins a store transaction
(`JournalWrites.within`), so families, notes and tasks are saved all or
nothing (`save_records`, what an import does); `journal_transaction(store)`
opens a transaction for the journal alone.

Notes name their family and person by ref (migration 0006 says why); the
database refuses to change or delete one, and indexes each as it is
inserted. Notes themselves are not in the audit trail: the journal is its
own append-only record, with author and time on every row.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert

from kasse.data import models
from kasse.data.journal_reads import known_note_uids
from kasse.data.refs import require_unique
from kasse.data.tasks import TasksSaved, TaskWrites
from kasse.errors import KasseError, problem_list
from kasse.journal import JournalNote, Task, check_note

if TYPE_CHECKING:
    from kasse.data.store import ImportSummary, Store, Transaction
    from kasse.domain import Family

_NOTE = models.JournalNoteRow.__table__

# What a restore keeps of the live database instead of replacing it: the journal, which `carry_notes`
# extends with the candidate's notes, and its full-text index, which the insert trigger keeps.
APPEND_ONLY_TABLES = frozenset({"journal_note"}) | models.FULL_TEXT_TABLES


class JournalWrites(TaskWrites):
    """The journal's and tasks' writes in one write transaction: get one from `journal_transaction`, or join
    a store transaction with `within`; its actor and time go on the audit rows of task changes."""

    @classmethod
    def within(cls, transaction: Transaction) -> JournalWrites:
        """The journal's and tasks' writes in `transaction`: committed or rolled back with its families."""
        return cls(transaction.connection, transaction.actor, transaction.at)

    def append_note(self, note: JournalNote) -> None:
        """Write a new note (a correction names the note it corrects, which must exist). Refused if its uid is
        taken, or its family, person or text is not one kasse can keep."""
        if self._existing_note_uids([note.uid]):
            raise KasseError(f"Notatet {note.uid} findes allerede - et notat kan ikke ændres, kun rettes")
        self.append_notes([note])

    def append_notes(self, notes: Iterable[JournalNote]) -> int:
        """Write the notes whose uids the journal does not hold yet, in the given order; returns how many.

        For import: a note already here (by uid) is kept as it is, so the
        same file imported twice adds nothing. All or nothing: any invalid
        note refuses the whole batch.
        """
        notes = list(notes)
        for note in notes:
            check_note(note)
        require_unique("Notatet", (note.uid for note in notes))
        existing = self._existing_note_uids([note.uid for note in notes])
        new = [note for note in notes if note.uid not in existing]
        self._require_known_refs(new)
        corrected = {note.corrects for note in new if note.corrects is not None}
        missing = corrected - {note.uid for note in notes} - self._existing_note_uids(corrected)
        if missing:
            raise KasseError(problem_list("Rettelser til notater, der ikke findes:", sorted(missing)))
        if new:
            self._connection.execute(insert(_NOTE), [_note_row(note) for note in new])
        return len(new)

    def _existing_note_uids(self, uids: Iterable[str]) -> set[str]:
        return known_note_uids(self._raw, uids)

    def _require_known_refs(self, notes: list[JournalNote]) -> None:
        """A member's note needs the member; a family's own note needs the family. A member's note keeps the
        family it was written in, which the member may have left, and which may since have been deleted."""
        families = self._refs("family", {note.family_ref for note in notes if note.person_ref is None})
        persons = self._refs("person", {note.person_ref for note in notes if note.person_ref is not None})
        unknown = []
        for note in notes:
            if note.person_ref is not None and note.person_ref not in persons:
                unknown.append(f"notat {note.uid}: personen {note.person_ref}")
            elif note.person_ref is None and note.family_ref not in families:
                unknown.append(f"notat {note.uid}: familien {note.family_ref}")
        if unknown:
            raise KasseError(problem_list("Notater til familier eller personer, der ikke findes:", unknown))

    def _refs(self, table: str, refs: set[str]) -> set[str]:
        sql = f"SELECT ref FROM {table} WHERE ref IN (SELECT value FROM json_each(?))"
        return {ref for (ref,) in self._raw.execute(sql, (json.dumps(sorted(refs)),))}


@contextmanager
def journal_transaction(store: Store, *, dry_run: bool = False) -> Iterator[JournalWrites]:
    """A store transaction (BEGIN IMMEDIATE ... COMMIT, on behalf of the store's actor) for the journal and
    tasks; an exception (or `dry_run`) rolls everything back."""
    with store.transaction(dry_run=dry_run) as transaction:
        yield JournalWrites.within(transaction)


@dataclass(frozen=True, slots=True)
class RecordsSaved:
    """What `save_records` did: the store's counts for the families, the notes added, the tasks saved."""

    families: ImportSummary
    notes_added: int
    tasks: TasksSaved


def save_records(
    transaction: Transaction, families: list[Family], notes: Iterable[JournalNote], tasks: Iterable[Task]
) -> RecordsSaved:
    """Save families, then the notes not yet in the journal, then the tasks, in one transaction: a note or task
    that cannot be saved rolls back the families too (an import is all or nothing)."""
    summary = transaction.save_families(families)
    writes = JournalWrites.within(transaction)
    return RecordsSaved(summary, writes.append_notes(notes), writes.save_tasks(tasks))


def _note_row(note: JournalNote) -> dict:
    return {
        "uid": note.uid,
        "family_ref": note.family_ref,
        "person_ref": note.person_ref,
        "written_at": note.written_at.isoformat(timespec="seconds"),
        "author": note.author,
        "kind": note.kind,
        "corrects": note.corrects,
        "text": note.text,
    }



def carry_notes(connection: sqlite3.Connection, schema: str = "candidate") -> int:
    """Append the notes of the database attached as `schema` that the main one lacks (by uid), in the order
    they were written there; returns how many. For a restore, in its write transaction: the journal is
    append-only, so a restore extends it instead of replacing it (see APPEND_ONLY_TABLES)."""
    columns = "uid, family_ref, person_ref, written_at, author, kind, corrects, text"
    cursor = connection.execute(
        f"INSERT INTO main.journal_note ({columns}) SELECT {columns} FROM {schema}.journal_note"
        " WHERE uid NOT IN (SELECT uid FROM main.journal_note) ORDER BY id"
    )
    return cursor.rowcount
