"""What `kasse check` verifies, read only: the file, its schema against the migrations, and the audit chain.

A database can be damaged (integrity, foreign keys), from another kasse
(revision), tampered with (a trigger or table the migrations never made,
an audit row changed or removed), or surrounded by plaintext temporary
copies an interrupted backup left. Each is reported on its own line.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from kasse.data.audit_chain import AuditChainReport, verify
from kasse.data.schema import SchemaProblem, schema_problems
from kasse.data.version import SCHEMA_REVISION
from kasse.errors import KasseError

KASSE_TABLES = frozenset({"alembic_version", "family", "person", "audit"})


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
    stray_files: tuple[Path, ...]  # plaintext temporary copies an interrupted backup or restore left

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
        )


def check_database(db_path: Path) -> CheckReport:
    """Check the database at `db_path` without changing it."""
    from kasse.data.reader import connect
    from kasse.temp_copies import stray_temp_files

    try:
        with closing(connect(db_path)) as connection:
            integrity = tuple(row[0] for row in connection.execute("PRAGMA integrity_check"))
            problems = len(connection.execute("PRAGMA foreign_key_check").fetchall())
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = KASSE_TABLES - tables
            if missing:
                raise KasseError(f"{db_path} er ikke en kasse-database (mangler tabellerne {', '.join(sorted(missing))})")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
            known = revision in known_revisions()
            families = connection.execute("SELECT count(*) FROM family").fetchone()[0]
            persons = connection.execute("SELECT count(*) FROM person").fetchone()[0]
            schema = tuple(schema_problems(connection, revision)) if known else ()
            audit = verify(connection) if has_audit_chain(connection) else None
    except sqlite3.DatabaseError as error:
        raise KasseError(f"{db_path} kan ikke læses som en SQLite-database ({error})") from None
    return CheckReport(
        integrity, problems, revision, families, persons, audit, schema, known, tuple(stray_temp_files(db_path))
    )


def known_revisions() -> set[str]:
    """Every schema revision this kasse's migrations know (the current one and the older ones)."""
    from alembic.script import ScriptDirectory

    from kasse.data.db import alembic_config

    return {revision.revision for revision in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def has_audit_chain(connection: sqlite3.Connection) -> bool:
    """Whether the schema seals audit rows (revision 0005 on); an older file is sealed when it is migrated."""
    return any(row[1] == "chain" for row in connection.execute("PRAGMA table_info(audit)"))
