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

The SQL is kasse.data.restore_rows'; this module keeps the order of the
steps and what the user is told.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kasse.data import access_log, restore_rows
from kasse.data.audit import current_actor
from kasse.data.audit_chain import AuditEntry, append
from kasse.data.checks import foreign_key_problems, lineage, quick_check_passes
from kasse.data.copying import counts
from kasse.errors import KasseError

RESTORE_TABLE = "database"
RESTORE_FIELD = "restore"

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

    with restore_rows.candidate_attached(db_path, candidate.path) as live, restore_rows.write_transaction(live):
        # Taken by a separate reader while this connection holds the write lock: nothing commits meanwhile.
        previous = take_backup(db_path, clock=clock, require_sound=False) if restore_rows.has_data(live) else None
        refuse_other_lineage(lineage(live, "main"), lineage(live, "candidate"), candidate.source, db_path)
        if restore_rows.differing_tables(live):
            raise KasseError("Sikkerhedskopien har en anden opbygning end databasen - intet er ændret")
        added = restore_rows.replace_rows(live, retired_at=_stamp(clock))
        access_log.carry_rows(live)  # who looked is kept, as the journal is: the live log is extended, not replaced
        added += _record_restore(live, candidate, previous, clock=clock, actor=actor)
        broken = foreign_key_problems(live, "main")
        if broken:
            raise KasseError(f"Gendannelsen er afbrudt: {broken} rækker peger forkert. Intet er ændret.")
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
        if not quick_check_passes(db_path):
            return False
        open_database(db_path, clock=clock).close()
    except (sqlite3.DatabaseError, KasseError):
        return False
    return True


def refuse_other_lineage(live: str | None, candidate: str | None, source: Path, db_path: Path) -> None:
    """A backup of another database would put its people under refs this one has given to others, and mix
    their histories: it goes into a new file instead."""
    if live is not None and candidate is not None and live != candidate:
        raise KasseError(
            f"{Path(source).name} er en sikkerhedskopi af en anden database end {db_path} - to sagsstammers "
            "historik blandes ikke. Gendan den i en ny fil (--db NY.db), eller flyt den nuværende fil væk først."
        )


def _stamp(clock: Clock) -> str:
    return clock().astimezone(UTC).isoformat(timespec="milliseconds")


def _record_restore(live: sqlite3.Connection, candidate, previous: Path | None, *, clock: Clock, actor: str) -> int:
    families, persons = counts(live, "main")
    what = {
        "from": candidate.source.name,
        "families": families,
        "persons": persons,
        "previous_state": previous.name if previous is not None else None,
    }
    entry = AuditEntry(
        _stamp(clock), actor, RESTORE_TABLE, "", RESTORE_FIELD, None, json.dumps(what, ensure_ascii=False)
    )
    return append(live, [entry])


def _replace_whole_file(candidate, db_path: Path, previous: Path, *, clock: Clock, actor: str) -> Restored:
    """The fallback for a live file kasse cannot read: SQLite's backup API writes the candidate over it."""
    from kasse.data.db import open_database

    with closing(restore_rows.open_live(db_path)) as live:
        restore_rows.overwrite(live, candidate.path)
        with restore_rows.write_transaction(live):
            added = _record_restore(live, candidate, previous, clock=clock, actor=actor)
    open_database(db_path, clock=clock).close()
    return Restored(previous, added)
