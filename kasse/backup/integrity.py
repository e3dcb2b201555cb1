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

from kasse.data import checks
from kasse.data.audit_chain import AuditChainReport, verify
from kasse.data.copying import counts, open_finished
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
    integrity = checks.integrity(connection)
    problems = checks.foreign_key_problems(connection)
    missing = KASSE_TABLES - checks.table_names(connection)
    if missing:
        raise KasseError(f"{origin} er ikke en kasse-database (mangler tabellerne {', '.join(sorted(missing))})")
    revision = checks.revision(connection)
    known = revision in known_revisions()
    families, persons = counts(connection)
    schema = tuple(schema_problems(connection, revision)) if known else ()
    audit = verify(connection) if checks.has_audit_chain(connection) else None
    return CheckReport(
        integrity, problems, revision, families, persons, audit, schema, known, checks.bad_versions(connection)
    )


def require_restorable(connection: sqlite3.Connection, origin: Path) -> CheckReport:
    """kasse check's report of a backup, which must pass it whole: sound, a revision this kasse knows, exactly
    the schema the migrations build, an unbroken audit trail, sane version counters. A crafted file (an extra
    trigger, a rewritten audit row) is refused like a damaged one."""
    try:
        report = check_connection(connection, origin)
    except sqlite3.DatabaseError as error:
        raise KasseError(f"{origin} er beskadiget og kan ikke bruges ({error})") from None
    if report.integrity != ("ok",):
        raise KasseError(
            f"{origin} er beskadiget: integritetskontrollen fandt {len(report.integrity)} fejl, fx {report.integrity[0]}"
        )
    if report.revision is None:
        raise KasseError(f"{origin} er ikke en kasse-database")
    if not report.revision_known:
        raise KasseError(
            f"{origin} har skemaversion {report.revision}, som denne version af kasse ikke kender - opdatér kasse først"
        )
    tampered = [str(problem) for problem in report.schema]
    if report.bad_versions:
        tampered.append("ugyldige versionstællere")
    if report.audit is not None and not report.audit.ok:
        tampered.append(f"loggen er brudt ved række {report.audit.first_broken_id}")
    if report.foreign_key_problems:
        tampered.append(f"{report.foreign_key_problems} rækker peger på rækker, der ikke findes")
    if tampered:
        more = f" (og {len(tampered) - 1} mere)" if len(tampered) > 1 else ""
        raise KasseError(f"{origin} er ændret uden om kasse og bruges ikke: {tampered[0]}{more}")
    return report


def known_revisions() -> set[str]:
    """Every schema revision this kasse's migrations know (the current one and the older ones)."""
    from alembic.script import ScriptDirectory

    from kasse.data.db import alembic_config

    return {revision.revision for revision in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _anchor(connection: sqlite3.Connection, db_path: Path) -> Anchor | None:
    """Compare the live trail with the newest readable plain backup that descends from the same database."""
    from kasse.backup.copies import default_folder
    from kasse.backup.files import our_backups

    own = checks.lineage(connection)
    try:
        backups = [item for item in our_backups(default_folder(db_path)) if not item.encrypted]
    except KasseError:
        return None  # a refused backup folder (a symbolic link) is reported where backups are taken
    for item in reversed(backups):
        try:
            with closing(open_finished(item.path)) as copy:
                if not checks.has_audit_chain(copy) or checks.lineage(copy) != own:
                    continue
                last = checks.last_sealed_row(copy)
        except sqlite3.DatabaseError:
            continue
        if last is None:
            continue
        last_id, chain = last
        return Anchor(item.path, item.taken, last_id, checks.holds_audit_row(connection, last_id, chain))
    return None
