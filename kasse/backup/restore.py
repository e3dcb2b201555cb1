"""Restoring a backup into the live database: under the write lock, with the audit trail kept and extended.

The restore is one write transaction on the live file (`BEGIN IMMEDIATE`):
the safety backup of the current state is taken while the lock is held,
so no import or save can commit between that copy and the replacement
and be lost; then every data table is replaced by the candidate's rows.
The audit trail is append-only and is not replaced: the rows it holds
stay, the candidate's history that the live trail does not share is
appended, and one row records the restore itself (from which file, into
what, and where the previous state was saved). Refs that disappear are
retired, so a later new person never inherits their history, and every
row's version counter is raised past any version an open window can hold,
so a form opened before the restore cannot save over it.

A live file that cannot be read as a kasse database (damaged, foreign) is
replaced whole with SQLite's backup API instead; its safety backup is
kept as it was, and the restore is still recorded.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kasse.data.audit import current_actor
from kasse.data.audit_chain import AuditEntry, append
from kasse.errors import KasseError

BUSY_TIMEOUT_S = 5.0
RESTORE_TABLE = "database"
RESTORE_FIELD = "restore"

# Tables a restore does not replace: the schema's own version, and the append-only history.
_KEPT = frozenset({"alembic_version", "audit", "retired_ref"})
_VERSIONED = ("family", "person")

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Restored:
    previous: Path | None  # the safety backup of the replaced state (None if there was no database)
    audit_rows_added: int  # the candidate's own history appended, plus the restore's row


def restore_into(candidate, db_path: Path, *, clock: Clock, actor: str | None = None) -> Restored:
    """Replace the live database's data with the verified `candidate`'s, keeping and extending the audit trail."""
    from kasse.backup.copies import take_backup
    from kasse.data.db import create_private_file, open_database

    db_path = Path(db_path)
    _bring_to_head(candidate.path, clock)
    actor = current_actor(actor)
    if not (db_path.is_file() and db_path.stat().st_size):
        create_private_file(db_path)
        open_database(db_path, clock=clock).close()
    elif not _readable_kasse_database(db_path, clock):
        previous = take_backup(db_path, clock=clock, require_sound=False)
        return _replace_whole_file(candidate, db_path, previous, clock=clock, actor=actor)

    with closing(sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as live:
        live.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        live.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction; rows are replaced whole
        live.execute("ATTACH DATABASE ? AS candidate", (str(candidate.path),))  # likewise
        live.execute("BEGIN IMMEDIATE")
        try:
            # Taken by a separate reader while this connection holds the write lock: nothing commits meanwhile.
            previous = take_backup(db_path, clock=clock, require_sound=False) if _has_data(live) else None
            refuse_other_lineage(lineage(live, "main"), lineage(live, "candidate"), candidate.source, db_path)
            gone = _refs(live, "main").items() - _refs(live, "candidate").items()
            ceilings = {table: _max_version(live, table) for table in _VERSIONED}
            _replace_rows(live)
            _retire(live, dict(gone), clock)
            _raise_versions(live, ceilings)
            added = _carry_history(live)
            added += _record_restore(live, candidate, previous, clock=clock, actor=actor)
            broken = live.execute("PRAGMA main.foreign_key_check").fetchall()
            if broken:
                raise KasseError(f"Gendannelsen er afbrudt: {len(broken)} rækker peger forkert. Intet er ændret.")
            live.execute("COMMIT")
        except BaseException:
            live.execute("ROLLBACK")
            raise
        finally:
            live.execute("PRAGMA foreign_keys=ON")
    return Restored(previous, added)


def _bring_to_head(path: Path, clock: Clock) -> None:
    """Migrate the private candidate copy to the current schema, so its rows fit the live tables."""
    from kasse.data.db import create_engine_for, migrate

    engine = create_engine_for(path)
    try:
        made = migrate(engine, path, clock=clock)
    finally:
        engine.dispose()
    if made is not None:
        made.unlink(missing_ok=True)  # a plaintext copy of the candidate: not worth keeping


def _readable_kasse_database(db_path: Path, clock: Clock) -> bool:
    """True once the live file is a sound kasse database at the current schema (migrated if older)."""
    from kasse.data.db import open_database

    try:
        with closing(sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S)) as connection:
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return False
        open_database(db_path, clock=clock).close()
    except (sqlite3.DatabaseError, KasseError):
        return False
    return True


def lineage(connection: sqlite3.Connection, schema: str = "main") -> str | None:
    """Which database a file descends from: the chain of its first audit row (None before any change).

    Every backup of a database shares that row with it; a database started
    elsewhere, even with the same refs, does not.
    """
    row = connection.execute(f"SELECT chain FROM {schema}.audit ORDER BY id LIMIT 1").fetchone()
    return row[0] if row else None


def refuse_other_lineage(live: str | None, candidate: str | None, source: Path, db_path: Path) -> None:
    """A backup of another database would put its people under refs this one has given to others, and mix
    their histories: it goes into a new file instead."""
    if live is not None and candidate is not None and live != candidate:
        raise KasseError(
            f"{Path(source).name} er en sikkerhedskopi af en anden database end {db_path} - to sagsstammers "
            "historik blandes ikke. Gendan den i en ny fil (--db NY.db), eller flyt den nuværende fil væk først."
        )


def _has_data(live: sqlite3.Connection) -> bool:
    return bool(live.execute("SELECT EXISTS (SELECT 1 FROM family) OR EXISTS (SELECT 1 FROM audit)").fetchone()[0])


def _data_tables(live: sqlite3.Connection) -> list[str]:
    rows = live.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows.fetchall() if name not in _KEPT]


def _columns(live: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in live.execute(f'PRAGMA {schema}.table_info("{table}")').fetchall()]


def _replace_rows(live: sqlite3.Connection) -> None:
    for table in _data_tables(live):
        columns = _columns(live, "main", table)
        if _columns(live, "candidate", table) != columns:
            raise KasseError("Sikkerhedskopien har en anden opbygning end databasen - intet er ændret")
        names = ", ".join(f'"{column}"' for column in columns)
        live.execute(f'DELETE FROM main."{table}"')
        live.execute(f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM candidate."{table}"')


def _refs(live: sqlite3.Connection, schema: str) -> dict[str, str]:
    """Every ref in use in `schema`, with its kind."""
    rows = live.execute(
        f"SELECT ref, 'family' FROM {schema}.family UNION ALL SELECT ref, 'person' FROM {schema}.person"
    )
    return dict(rows.fetchall())


def _retire(live: sqlite3.Connection, gone: dict[str, str], clock: Clock) -> None:
    """Refs the restore removes are retired like deleted ones; refs it brings back are in use again."""
    at = clock().astimezone(UTC).isoformat(timespec="milliseconds")
    live.executemany(
        "INSERT OR IGNORE INTO main.retired_ref (ref, kind, retired_at) VALUES (?, ?, ?)",
        [(ref, kind, at) for ref, kind in sorted(gone.items())],
    )
    live.execute(
        "INSERT OR IGNORE INTO main.retired_ref (ref, kind, retired_at) SELECT ref, kind, retired_at"
        " FROM candidate.retired_ref"
    )
    live.execute("DELETE FROM main.retired_ref WHERE ref IN (SELECT ref FROM main.family UNION SELECT ref FROM main.person)")


def _max_version(live: sqlite3.Connection, table: str) -> int:
    return live.execute(f"SELECT coalesce(max(version), 0) FROM main.{table}").fetchone()[0]


def _raise_versions(live: sqlite3.Connection, ceilings: dict[str, int]) -> None:
    """Every restored row gets a version above all the replaced ones: a form opened earlier is refused."""
    for table, ceiling in ceilings.items():
        live.execute(f"UPDATE main.{table} SET version = version + ?", (ceiling,))


_AUDIT_COLUMNS = "at, actor, table_name, record, field, old_value, new_value"


def _carry_history(live: sqlite3.Connection) -> int:
    """Append the candidate's audit rows the live trail does not hold (by id and chain), in their order."""
    shared = {row for row in live.execute("SELECT id, chain FROM main.audit").fetchall()}
    rows = live.execute(f"SELECT id, chain, {_AUDIT_COLUMNS} FROM candidate.audit ORDER BY id").fetchall()
    return append(live, [AuditEntry(*row[2:]) for row in rows if (row[0], row[1]) not in shared])


def _record_restore(live: sqlite3.Connection, candidate, previous: Path | None, *, clock: Clock, actor: str) -> int:
    families, persons = (live.execute(f"SELECT count(*) FROM main.{table}").fetchone()[0] for table in _VERSIONED)
    what = {
        "from": candidate.source.name,
        "families": families,
        "persons": persons,
        "previous_state": previous.name if previous is not None else None,
    }
    at = clock().astimezone(UTC).isoformat(timespec="milliseconds")
    entry = AuditEntry(at, actor, RESTORE_TABLE, "", RESTORE_FIELD, None, json.dumps(what, ensure_ascii=False))
    return append(live, [entry])


def _replace_whole_file(candidate, db_path: Path, previous: Path, *, clock: Clock, actor: str) -> Restored:
    """The fallback for a live file kasse cannot read: SQLite's backup API writes the candidate over it."""
    from kasse.data.db import open_database

    with closing(sqlite3.connect(candidate.path)) as source, closing(
        sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    ) as live:
        source.backup(live)
        live.execute("PRAGMA journal_mode=WAL").fetchall()
        live.execute("BEGIN IMMEDIATE")
        added = _record_restore(live, candidate, previous, clock=clock, actor=actor)
        live.execute("COMMIT")
    open_database(db_path, clock=clock).close()
    return Restored(previous, added)
