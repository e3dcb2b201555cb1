"""The journal's reads: a family's or person's notes, the export's, the queue's latest, and full-text search.

Plain sqlite3 on a connection from `kasse.data.reader.connect`, and no
SQLAlchemy: the lookups that read the journal (`kasse search`, `kasse
journal`) keep their start-up budget (tests/test_cli_lookups.py). The
writes are kasse/data/journal.py's.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from kasse.journal import JournalNote, NoteKind, Snippet, search_words, snippet

_COLUMNS = "uid, family_ref, person_ref, written_at, author, kind, text, corrects"
_KINDS = {kind.value: kind for kind in NoteKind}
SEARCH_LIMIT = 100  # hits a search returns, newest first


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



def _note(row: tuple) -> JournalNote:
    uid, family_ref, person_ref, written_at, author, kind, text, corrects = row
    written = datetime.fromisoformat(written_at)
    return JournalNote(uid, family_ref, person_ref, written, author, _KINDS[kind], text, corrects)
