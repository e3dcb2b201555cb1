"""What `kasse check` and a restore read to judge a database: soundness, tables, revision, version counters,
and the audit trail's lineage and last rows. Read only; the judging is kasse.backup.integrity's.

Every call raises sqlite3.DatabaseError for a file SQLite cannot read.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from kasse.data.copying import BUSY_TIMEOUT_S

# A version counter only ever counts up by one per save; far below SQLite's integer limit, so it can always rise.
MAX_VERSION = 2**53
_VERSIONED = ("family", "person")


def integrity(connection: sqlite3.Connection) -> tuple[str, ...]:
    """What `PRAGMA integrity_check` says: ("ok",) when the database is sound, else each problem found."""
    return tuple(row[0] for row in connection.execute("PRAGMA integrity_check"))


def quick_check_passes(db_path: Path) -> bool:
    """SQLite's quicker soundness check of a database file."""
    with closing(sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S)) as connection:
        return connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def foreign_key_problems(connection: sqlite3.Connection, schema: str | None = None) -> int:
    """How many rows point at a row that does not exist (in `schema`, else in every database attached)."""
    pragma = "PRAGMA foreign_key_check" if schema is None else f"PRAGMA {schema}.foreign_key_check"
    return len(connection.execute(pragma).fetchall())


def table_names(connection: sqlite3.Connection) -> set[str]:
    return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def revision(connection: sqlite3.Connection) -> str | None:
    """The Alembic revision the database is at (None when alembic_version is empty)."""
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def has_audit_chain(connection: sqlite3.Connection) -> bool:
    """Whether the schema seals audit rows (revision 0005 on); an older file is sealed when it is migrated."""
    return any(row[1] == "chain" for row in connection.execute("PRAGMA table_info(audit)"))


def bad_versions(connection: sqlite3.Connection) -> int:
    """Family and person rows whose version is not an integer from 1 to MAX_VERSION (0 before revision 0005)."""
    count = 0
    for table in _VERSIONED:
        if any(row[1] == "version" for row in connection.execute(f"PRAGMA table_info({table})")):
            count += connection.execute(
                f"SELECT count(*) FROM {table} WHERE typeof(version) != 'integer' OR version < 1 OR version > ?",
                (MAX_VERSION,),
            ).fetchone()[0]
    return count


def lineage(connection: sqlite3.Connection, schema: str = "main") -> str | None:
    """Which database a file descends from: the chain of its first audit row (None before any change).

    Every backup of a database shares that row with it; a database started
    elsewhere, even with the same refs, does not.
    """
    row = connection.execute(f"SELECT chain FROM {schema}.audit ORDER BY id LIMIT 1").fetchone()
    return row[0] if row else None


def last_sealed_row(connection: sqlite3.Connection) -> tuple[int, str] | None:
    """(id, chain) of the last audit row, None when there is none."""
    return connection.execute("SELECT id, chain FROM audit ORDER BY id DESC LIMIT 1").fetchone()


def holds_audit_row(connection: sqlite3.Connection, row_id: int, chain: str | None) -> bool:
    """Whether the audit trail holds the row with this id, sealed with this chain."""
    row = connection.execute("SELECT chain FROM audit WHERE id = ?", (row_id,)).fetchone()
    return row is not None and row[0] == chain
