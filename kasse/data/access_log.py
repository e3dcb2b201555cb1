"""The access log's SQL: write one look, read the looks at a ref, anonymise a purged ref, carry rows on restore.

Plain sqlite3, no SQLAlchemy: `kasse show` writes here and keeps its
start-up budget (tests/test_cli_lookups.py). The table is append-only
(migration 0007): the database refuses to delete a row, or to change one
but by replacing a ref with the anonymised mark.

A look is logged before it is shown, and a look that cannot be logged is
not shown (`log` raises): a log that misses the views made while the
database was read-only or busy would be no account of who saw what.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from kasse.access_log import ANONYMISED, AccessEntry
from kasse.data.copying import BUSY_TIMEOUT_S
from kasse.errors import KasseError

# A restore keeps the live log and appends the candidate's rows it lacks, as it does the journal.
ACCESS_LOG_TABLES = frozenset({"access_log"})

_COLUMNS = "at, actor, command, record_kind, record_ref, family_ref"


def log(db_path: Path, entry: AccessEntry) -> None:
    """Append `entry` to the log of the database at `db_path` (existing, at the current schema), durably.

    Raises KasseError, in Danish, when the row cannot be written: the
    caller then shows nothing. A database another program is writing is
    waited for (BUSY_TIMEOUT_S) first.
    """
    try:
        with closing(_open_for_append(db_path)) as connection:
            connection.execute(f"INSERT INTO access_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", _values(entry))
    except sqlite3.Error as error:
        raise KasseError(f"Intet er vist: adgangsloggen kan ikke skrives, {_why(error)}. kasse viser kun "
                         "oplysninger om en borger, når det kan logges, hvem der så dem.") from None


def _open_for_append(db_path: Path) -> sqlite3.Connection:
    # mode=rw: an append never creates a database file.
    connection = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S,
                                 isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    connection.execute("PRAGMA synchronous=FULL")
    return connection


def _why(error: sqlite3.Error) -> str:
    text = str(error).lower()
    if "readonly" in text or "read-only" in text:
        return "fordi databasen er skrivebeskyttet (kan kun læses)"
    if "locked" in text or "busy" in text:
        return "fordi et andet program skriver i databasen - prøv igen om lidt"
    return f"fordi databasen svarer: {error}"


def _values(entry: AccessEntry) -> tuple[str, ...]:
    return (entry.stamp, entry.actor, entry.command, entry.record_kind, entry.record_ref, entry.family_ref)


def _entry(row: tuple) -> AccessEntry:
    at, actor, command, kind, record_ref, family_ref = row
    return AccessEntry(datetime.fromisoformat(at), actor, command, kind, record_ref, family_ref)


def entries(connection: sqlite3.Connection, ref: str | None = None) -> list[AccessEntry]:
    """The looks, newest first: every one, or those at `ref`.

    A person's: the looks at them (in whatever family), and at their
    present family as a whole. A family's: the looks at it and at its
    members while they were in it. A ref no record holds any more (a
    deleted person) gives the looks that name it.
    """
    sql = f"SELECT {_COLUMNS} FROM access_log"
    params: dict[str, str | None] = {"ref": ref, "family": _family_of_person(connection, ref) if ref else None}
    if ref is not None:
        sql += (" WHERE record_ref = :ref OR family_ref = :ref"
                " OR (record_kind = 'family' AND record_ref = :family)")
    return [_entry(row) for row in connection.execute(sql + " ORDER BY at DESC, id DESC", params)]


def _family_of_person(connection: sqlite3.Connection, person_ref: str) -> str | None:
    row = connection.execute(
        "SELECT f.ref FROM person p JOIN family f ON f.id = p.family_id WHERE p.ref = ?", (person_ref,)
    ).fetchone()
    return row[0] if row else None


def anonymise(connection: sqlite3.Connection, ref: str) -> int:
    """Replace `ref` with the anonymised mark wherever a log row names it (for a purge, in its write
    transaction); returns how many rows. Who looked, when and how stays: only whom they looked at goes."""
    cursor = connection.execute(
        "UPDATE access_log SET"
        " record_ref = CASE WHEN record_ref = :ref THEN :mark ELSE record_ref END,"
        " family_ref = CASE WHEN family_ref = :ref THEN :mark ELSE family_ref END"
        " WHERE record_ref = :ref OR family_ref = :ref",
        {"ref": ref, "mark": ANONYMISED},
    )
    return cursor.rowcount


def carry_rows(connection: sqlite3.Connection, schema: str = "candidate") -> int:
    """Append the log rows of the database attached as `schema` that the main one lacks, oldest first; returns
    how many. For a restore, in its write transaction: the log is kept, never replaced (ACCESS_LOG_TABLES)."""
    cursor = connection.execute(
        f"INSERT INTO main.access_log ({_COLUMNS}) SELECT {_COLUMNS} FROM {schema}.access_log AS theirs"
        f" WHERE NOT EXISTS (SELECT 1 FROM main.access_log AS ours WHERE ours.at = theirs.at"
        " AND ours.actor = theirs.actor AND ours.command = theirs.command AND ours.record_ref = theirs.record_ref)"
        " ORDER BY theirs.id"
    )
    return cursor.rowcount
