"""The journal's SQL: append-only notes, their full-text search, and carrying them through a restore.

Writes run inside a write transaction, through `JournalWrites` (with the
tasks' writes, kasse/data/tasks.py): it joins a store transaction
(`JournalWrites.within`), so families, notes and tasks are saved all or
nothing (`save_records`, what an import does); `journal_transaction(store)`
opens a transaction for the journal alone. Reads take a plain sqlite3
connection from `kasse.data.reader.connect` (the fast path).

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
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert

from kasse.data import models
from kasse.data.tasks import TasksSaved, TaskWrites
from kasse.errors import KasseError, problem_list
from kasse.journal import JournalNote, NoteKind, Snippet, Task, check_note, search_words, snippet

if TYPE_CHECKING:
    from kasse.data.store import ImportSummary, Store, Transaction
    from kasse.domain import Family

_NOTE = models.JournalNoteRow.__table__
_COLUMNS = "uid, family_ref, person_ref, written_at, author, kind, text, corrects"
_KINDS = {kind.value: kind for kind in NoteKind}
SEARCH_LIMIT = 100  # hits a search returns, newest first

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
        _require_unique(note.uid for note in notes)
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


def _require_unique(uids: Iterable[str]) -> None:
    seen: set[str] = set()
    for uid in uids:
        if uid in seen:
            raise KasseError(f"Notatet {uid} optræder mere end én gang")
        seen.add(uid)


# -- reads (a sqlite3 connection from kasse.data.reader.connect) --------------------------------


def journal_of(
    connection: sqlite3.Connection,
    family_ref: str,
    person_ref: str | None = None,
    kinds: Iterable[NoteKind] | None = None,
) -> list[JournalNote]:
    """A family's or a person's journal, newest first (ties in the order written); only `kinds`, if given.

    A family's: the notes written on it, and its members' wherever they
    were written (a member who moved brings their notes). A person's: the
    notes about them, and their family's own (no person named), as a
    person's deadlines include the family's.
    """
    if person_ref is None:
        where = """(family_ref = :family OR person_ref IN (
                       SELECT p.ref FROM person p JOIN family f ON f.id = p.family_id WHERE f.ref = :family))"""
    else:
        where = "(person_ref = :person OR (family_ref = :family AND person_ref IS NULL))"
    params = {"family": family_ref, "person": person_ref}
    if kinds is not None:
        where += " AND kind IN (SELECT value FROM json_each(:kinds))"
        params["kinds"] = json.dumps([NoteKind(kind).value for kind in kinds])
    sql = f"SELECT {_COLUMNS} FROM journal_note WHERE {where} ORDER BY written_at DESC, id DESC"
    return [_note(row) for row in connection.execute(sql, params)]


def all_notes(connection: sqlite3.Connection) -> list[JournalNote]:
    """Every note, oldest first (ties in the order written): the journal as an export writes it."""
    return [_note(row) for row in connection.execute(f"SELECT {_COLUMNS} FROM journal_note ORDER BY written_at, id")]


def known_note_uids(connection: sqlite3.Connection, uids: Iterable[str]) -> set[str]:
    """Which of `uids` the journal holds (for an import: the notes its corrections name)."""
    sql = "SELECT uid FROM journal_note WHERE uid IN (SELECT value FROM json_each(?))"
    return {uid for (uid,) in connection.execute(sql, (json.dumps(sorted(uids)),))}


def latest_note_times(connection: sqlite3.Connection) -> dict[str, datetime]:
    """family ref -> when its newest note was written, for the families with notes (the queue's "Seneste notat")."""
    rows = connection.execute("SELECT family_ref, max(written_at) FROM journal_note GROUP BY family_ref")
    return {family_ref: datetime.fromisoformat(written_at) for family_ref, written_at in rows}


@dataclass(frozen=True, slots=True)
class NoteHit:
    """A note a search found: where it belongs, when it was written, and the text around the match."""

    uid: str
    family_ref: str
    person_ref: str | None
    written_at: datetime
    kind: NoteKind
    snippet: Snippet


def search_notes(connection: sqlite3.Connection, words: str, *, limit: int = SEARCH_LIMIT) -> list[NoteHit]:
    """The newest `limit` notes holding every word of `words`, each as a word or the start of one,
    whatever its case or accents ("søst" finds "Søster"; "Ålborg" finds "Aalborg"; kasse/journal.py)."""
    wanted = _searched(words)
    if not wanted:
        return []
    # The newest ids first, then their texts: sorting carries no long text along.
    sql = """
        WITH hit AS (
            SELECT id, written_at FROM journal_note
            WHERE id IN (SELECT rowid FROM journal_fts WHERE journal_fts MATCH :query)
            ORDER BY written_at DESC, id DESC LIMIT :limit)
        SELECT n.uid, n.family_ref, n.person_ref, n.written_at, n.kind, n.text
        FROM hit JOIN journal_note n ON n.id = hit.id ORDER BY hit.written_at DESC, hit.id DESC
    """
    rows = connection.execute(sql, {"query": _match(wanted), "limit": limit})
    return [
        NoteHit(uid, family_ref, person_ref, datetime.fromisoformat(written_at), _KINDS[kind], snippet(text, wanted))
        for uid, family_ref, person_ref, written_at, kind, text in rows
    ]


def count_notes(connection: sqlite3.Connection, words: str) -> int:
    """How many notes `search_notes` would find without a limit ("312 notater, de nyeste 100 vist")."""
    wanted = _searched(words)
    if not wanted:
        return 0
    sql = "SELECT count(*) FROM journal_fts WHERE journal_fts MATCH ?"
    return connection.execute(sql, (_match(wanted),)).fetchone()[0]


def _searched(words: str) -> list[str]:
    return [word for word in search_words(words) if any(char.isalnum() for char in word)]


def _match(words: list[str]) -> str:
    """An FTS5 query for notes holding every word, each as a prefix; \\w+ words hold no quote to escape."""
    return " ".join(f'"{word}"*' for word in words)


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


def _note(row: tuple) -> JournalNote:
    uid, family_ref, person_ref, written_at, author, kind, text, corrects = row
    written = datetime.fromisoformat(written_at)
    return JournalNote(uid, family_ref, person_ref, written, author, _KINDS[kind], text, corrects)
