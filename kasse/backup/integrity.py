"""What `kasse check` verifies, read only: the file, its schema against the migrations, and the audit chain.

A database can be damaged (integrity, foreign keys), from another kasse
(revision), tampered with (a trigger or table the migrations never made,
an audit row changed or removed), or surrounded by plaintext temporary
copies an interrupted backup left. Each is reported on its own line.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from kasse.data.audit_chain import AuditChainReport, verify
from kasse.data.schema import SchemaProblem, schema_problems
from kasse.data.version import SCHEMA_REVISION
from kasse.errors import KasseError

KASSE_TABLES = frozenset({"alembic_version", "family", "person", "audit"})


@dataclass(frozen=True)
class Anchor:
    """The newest plain backup of this database, whose last audit row the live trail must still hold unchanged.

    The chain inside one file shows a row changed or removed in the middle;
    someone who lifts the triggers can still cut the tail or re-seal a
    rewritten history. A backup is a copy outside the file: its last row
    and chain must be in the live trail as they were.
    """

    backup: Path
    taken: datetime
    last_id: int
    ok: bool


@dataclass(frozen=True)
class CheckReport:
    integrity: tuple[str, ...]  # ("ok",) when sound
    foreign_key_problems: int
    revision: str | None
    families: int
    persons: int
    audit: AuditChainReport | None  # None for an older schema, from before the audit chain
    schema: tuple[SchemaProblem, ...]
    revision_known: bool  # this kasse's revision or an older one it migrates from
    bad_versions: int  # rows whose version counter is not a sane integer: their stale-edit guard is off
    # Of a database file only (not of a backup being restored):
    stray_files: tuple[Path, ...] = ()  # plaintext temporary copies an interrupted backup or restore left
    anchor: Anchor | None = None  # the audit trail compared with the newest plain backup of this database

    @property
    def revision_current(self) -> bool:
        return self.revision == SCHEMA_REVISION

    @property
    def ok(self) -> bool:
        return (
            self.integrity == ("ok",)
            and not self.foreign_key_problems
            and self.revision_known
            and not self.schema
            and (self.audit is None or self.audit.ok)
            and not self.bad_versions
            and (self.anchor is None or self.anchor.ok)
        )


def check_database(db_path: Path) -> CheckReport:
    """Check the database at `db_path` without changing it, and the files around it."""
    from kasse.backup.temp_copies import stray_temp_files
    from kasse.data.reader import connect

    try:
        with closing(connect(db_path)) as connection:
            report = check_connection(connection, db_path)
            anchor = _anchor(connection, Path(db_path)) if report.audit is not None else None
    except sqlite3.DatabaseError as error:
        raise KasseError(f"{db_path} kan ikke læses som en SQLite-database ({error})") from None
    return replace(report, stray_files=tuple(stray_temp_files(db_path)), anchor=anchor)


def check_connection(connection: sqlite3.Connection, origin: object) -> CheckReport:
    """Check the kasse database behind `connection` (a file, or a backup in memory); `origin` names it in the
    refusal of a database that is not kasse's. sqlite3.DatabaseError for a file SQLite cannot read."""
    integrity = tuple(row[0] for row in connection.execute("PRAGMA integrity_check"))
    problems = len(connection.execute("PRAGMA foreign_key_check").fetchall())
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = KASSE_TABLES - tables
    if missing:
        raise KasseError(f"{origin} er ikke en kasse-database (mangler tabellerne {', '.join(sorted(missing))})")
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = row[0] if row else None
    known = revision in known_revisions()
    families = connection.execute("SELECT count(*) FROM family").fetchone()[0]
    persons = connection.execute("SELECT count(*) FROM person").fetchone()[0]
    schema = tuple(schema_problems(connection, revision)) if known else ()
    audit = verify(connection) if has_audit_chain(connection) else None
    return CheckReport(integrity, problems, revision, families, persons, audit, schema, known, bad_versions(connection))


def known_revisions() -> set[str]:
    """Every schema revision this kasse's migrations know (the current one and the older ones)."""
    from alembic.script import ScriptDirectory

    from kasse.data.db import alembic_config

    return {revision.revision for revision in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def has_audit_chain(connection: sqlite3.Connection) -> bool:
    """Whether the schema seals audit rows (revision 0005 on); an older file is sealed when it is migrated."""
    return any(row[1] == "chain" for row in connection.execute("PRAGMA table_info(audit)"))


# A version counter only ever counts up by one per save; far below SQLite's integer limit, so it can always rise.
MAX_VERSION = 2**53


def bad_versions(connection: sqlite3.Connection) -> int:
    """Family and person rows whose version is not an integer from 1 to MAX_VERSION (0 before revision 0005)."""
    count = 0
    for table in ("family", "person"):
        if any(row[1] == "version" for row in connection.execute(f"PRAGMA table_info({table})")):
            count += connection.execute(
                f"SELECT count(*) FROM {table} WHERE typeof(version) != 'integer' OR version < 1 OR version > ?",
                (MAX_VERSION,),
            ).fetchone()[0]
    return count


def _anchor(connection: sqlite3.Connection, db_path: Path) -> Anchor | None:
    """Compare the live trail with the newest readable plain backup that descends from the same database."""
    from kasse.backup.copies import default_folder
    from kasse.backup.files import our_backups
    from kasse.backup.restore import lineage

    own = lineage(connection)
    try:
        backups = [item for item in our_backups(default_folder(db_path)) if not item.encrypted]
    except KasseError:
        return None  # a refused backup folder (a symbolic link) is reported where backups are taken
    for item in reversed(backups):
        try:
            uri = f"{item.path.resolve().as_uri()}?mode=ro&immutable=1"  # a finished backup does not change
            with closing(sqlite3.connect(uri, uri=True)) as copy:
                if not has_audit_chain(copy) or lineage(copy) != own:
                    continue
                last = copy.execute("SELECT id, chain FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        except sqlite3.DatabaseError:
            continue
        if last is None:
            continue
        live = connection.execute("SELECT chain FROM audit WHERE id = ?", (last[0],)).fetchone()
        return Anchor(item.path, item.taken, last[0], live is not None and live[0] == last[1])
    return None
