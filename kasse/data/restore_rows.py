"""The rows of a restore: the live database's data replaced by a candidate's, table by table, history kept.

The candidate (a verified private copy, migrated to the current schema) is
attached to the live connection as `candidate`, and everything happens in
the one write transaction kasse.backup.restore holds. The append-only
tables are not replaced: the audit trail and the journal get the
candidate's rows they do not share appended, and refs the restore removes
are retired. Every
family's and person's version counter is raised past the replaced ones,
so a form opened before the restore cannot save over it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from kasse.data.access_log import ACCESS_LOG_TABLES
from kasse.data.audit_chain import AuditEntry, append
from kasse.data.copying import BUSY_TIMEOUT_S
from kasse.data.journal import APPEND_ONLY_TABLES, carry_notes

# Tables a restore does not replace: the schema's own version, and the append-only history (audit, journal,
# access log).
_KEPT = frozenset({"alembic_version", "audit", "retired_ref"}) | APPEND_ONLY_TABLES | ACCESS_LOG_TABLES
_VERSIONED = ("family", "person")
_AUDIT_COLUMNS = "at, actor, table_name, record, field, old_value, new_value"


def open_live(db_path: Path) -> sqlite3.Connection:
    """The live database in autocommit mode: transactions are begun and ended explicitly."""
    connection = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    return connection


@contextmanager
def candidate_attached(db_path: Path, candidate_path: Path) -> Iterator[sqlite3.Connection]:
    """The live database with foreign keys off and the candidate attached as `candidate`, for one restore."""
    with closing(open_live(db_path)) as live:
        live.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction; rows are replaced whole
        live.execute("ATTACH DATABASE ? AS candidate", (str(candidate_path),))  # likewise
        try:
            yield live
        finally:
            live.execute("PRAGMA foreign_keys=ON")


@contextmanager
def write_transaction(live: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE: the write lock, held for the block; committed when the block ends, else rolled back."""
    live.execute("BEGIN IMMEDIATE")
    try:
        yield
        live.execute("COMMIT")
    except BaseException:
        live.execute("ROLLBACK")
        raise


def overwrite(live: sqlite3.Connection, candidate_path: Path) -> None:
    """SQLite's backup API writes the candidate file over the live one whole (in WAL mode, as kasse keeps it)."""
    with closing(sqlite3.connect(candidate_path)) as source:
        source.backup(live)
    live.execute("PRAGMA journal_mode=WAL").fetchall()


def has_data(live: sqlite3.Connection) -> bool:
    """Whether the live database holds any family or any history."""
    return bool(live.execute("SELECT EXISTS (SELECT 1 FROM family) OR EXISTS (SELECT 1 FROM audit)").fetchone()[0])


def differing_tables(live: sqlite3.Connection) -> list[str]:
    """The data tables whose columns differ between the live database and the candidate."""
    return [
        table for table in _data_tables(live) if _columns(live, "candidate", table) != _columns(live, "main", table)
    ]


def replace_rows(live: sqlite3.Connection, *, retired_at: str) -> int:
    """Replace every data table's rows with the candidate's, retire the refs that go, raise the version
    counters and append the candidate's history the live trail lacks; returns how many audit rows that added.
    Journal notes are never replaced either: the candidate's notes the live journal lacks are appended.

    The tables must match (`differing_tables` empty); `retired_at` is the ISO time refs are retired at.
    """
    gone = _refs(live, "main").items() - _refs(live, "candidate").items()
    ceilings = {table: _max_version(live, table) for table in _VERSIONED}
    for table in _data_tables(live):
        names = ", ".join(f'"{column}"' for column in _columns(live, "main", table))
        live.execute(f'DELETE FROM main."{table}"')
        live.execute(f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM candidate."{table}"')
    _retire(live, dict(gone), retired_at)
    _raise_versions(live, ceilings)
    carry_notes(live)
    return _carry_history(live)


def _data_tables(live: sqlite3.Connection) -> list[str]:
    rows = live.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows.fetchall() if name not in _KEPT]


def _columns(live: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in live.execute(f'PRAGMA {schema}.table_info("{table}")').fetchall()]


def _refs(live: sqlite3.Connection, schema: str) -> dict[str, str]:
    """Every ref in use in `schema`, with its kind."""
    rows = live.execute(
        f"SELECT ref, 'family' FROM {schema}.family UNION ALL SELECT ref, 'person' FROM {schema}.person"
    )
    return dict(rows.fetchall())


def _retire(live: sqlite3.Connection, gone: dict[str, str], at: str) -> None:
    """Refs the restore removes are retired like deleted ones; refs it brings back are in use again."""
    live.executemany(
        "INSERT OR IGNORE INTO main.retired_ref (ref, kind, retired_at) VALUES (?, ?, ?)",
        [(ref, kind, at) for ref, kind in sorted(gone.items())],
    )
    live.execute(
        "INSERT OR IGNORE INTO main.retired_ref (ref, kind, retired_at) SELECT ref, kind, retired_at"
        " FROM candidate.retired_ref"
    )
    live.execute(
        "DELETE FROM main.retired_ref WHERE ref IN (SELECT ref FROM main.family UNION SELECT ref FROM main.person)"
    )


def _max_version(live: sqlite3.Connection, table: str) -> int:
    return live.execute(f"SELECT coalesce(max(version), 0) FROM main.{table}").fetchone()[0]


def _raise_versions(live: sqlite3.Connection, ceilings: dict[str, int]) -> None:
    """Every restored row gets a version above all the replaced ones: a form opened earlier is refused."""
    for table, ceiling in ceilings.items():
        live.execute(f"UPDATE main.{table} SET version = version + ?", (ceiling,))


def _carry_history(live: sqlite3.Connection) -> int:
    """Append the candidate's audit rows the live trail does not hold (by id and chain), in their order."""
    shared = {row for row in live.execute("SELECT id, chain FROM main.audit").fetchall()}
    rows = live.execute(f"SELECT id, chain, {_AUDIT_COLUMNS} FROM candidate.audit ORDER BY id").fetchall()
    return append(live, [AuditEntry(*row[2:]) for row in rows if (row[0], row[1]) not in shared])
