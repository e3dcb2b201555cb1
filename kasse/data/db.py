"""Where the database lives and how it is opened: private files, pragmas, real transactions, migrations.

`open_database(path)` is the heavy entry point: it creates a missing file
(folder 0700, file 0600), upgrades an older schema with Alembic after backing
the file up, and returns a `Database` holding a SQLAlchemy engine whose
transactions are real SQLite transactions (`BEGIN IMMEDIATE`), so a rollback
also undoes DDL and savepoints. The read-only fast path is `reader.py`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from sqlalchemy import Engine, create_engine, event

from kasse.data.version import SCHEMA_REVISION
from kasse.errors import KasseError

BUSY_TIMEOUT_MS = 5000
MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# Execution option that lets a connection run INSERT/UPDATE/DELETE. Only the
# store (which records an audit row for every change) and migrations set it.
WRITES_ALLOWED = "kasse_writes_allowed"

_PRAGMAS = (
    f"busy_timeout={BUSY_TIMEOUT_MS}",
    "journal_mode=WAL",
    "synchronous=FULL",
    "foreign_keys=ON",
)
_DML = ("INSERT", "UPDATE", "DELETE", "REPLACE")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Database:
    """An opened, current database: its file and the engine the store writes through."""

    path: Path
    engine: Engine

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_database(path: str | Path, *, clock: Clock = utc_now) -> Database:
    """Open the database at `path`, creating it if missing and migrating it to the current schema."""
    path = Path(path)
    create_private_file(path)
    engine = create_engine_for(path)
    try:
        if _current_revision(path) != SCHEMA_REVISION:
            migrate(engine, path, clock=clock)
    except BaseException:
        engine.dispose()
        raise
    return Database(path, engine)


def create_private_file(path: Path) -> bool:
    """Create an empty file readable by its owner only (folder 0700); False if it already existed."""
    if path.exists():
        return False
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
        path.parent.chmod(0o700)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    path.chmod(0o600)
    return True


def create_engine_for(path: Path) -> Engine:
    """An engine whose connections carry kasse's pragmas and whose transactions begin IMMEDIATE."""
    # hide_parameters: SQLAlchemy's errors and logs would otherwise quote the statement's values -
    # names, birth dates and CPR numbers - into every message and traceback.
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Python 3.11's sqlite3 would otherwise decide itself when to BEGIN,
        # letting DDL and savepoints escape a rollback.
        dbapi_connection.isolation_level = None
        for pragma in _PRAGMAS:
            dbapi_connection.execute(f"PRAGMA {pragma}").fetchall()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # IMMEDIATE takes the write lock up front, so a second writer waits on
        # busy_timeout instead of failing when it upgrades a read lock.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _refuse_unaudited_writes(connection, _cursor, statement, *_args) -> None:
        if statement.lstrip()[:7].upper().startswith(_DML) and not connection.get_execution_options().get(
            WRITES_ALLOWED
        ):
            raise RuntimeError("Writes go through kasse.data.store, which records the audit trail")

    return engine


def migrate(
    engine: Engine,
    path: Path,
    *,
    script_location: Path = MIGRATIONS_DIR,
    clock: Clock = utc_now,
) -> Path | None:
    """Upgrade the database to the newest revision; returns the backup made first, if any.

    Foreign keys are off while migrating (a batch table rebuild would
    otherwise cascade-delete child rows) and checked before commit.
    """
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(script_location)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    current, has_tables = _inspect(path)
    if current == head:
        return None
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise KasseError(
            f"Databasen {path} har skemaversion {current}, som denne version af kasse ikke kender - opdatér kasse"
        )
    backup = None
    if current is not None:
        backup = backup_to(path, _backup_path(path, head, clock()))
    elif has_tables:
        raise KasseError(f"{path} er ikke en kasse-database")

    try:
        _upgrade(engine, config, command)
    except BaseException:
        # Rolled back, so the file is as the copy has it: a second plaintext copy is nothing worth keeping.
        if backup is not None:
            backup.unlink(missing_ok=True)
        raise
    return backup


def _upgrade(engine: Engine, config, command) -> None:
    with engine.connect() as connection:
        connection.execution_options(**{WRITES_ALLOWED: True})
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    tables = ", ".join(sorted({row[0] for row in broken}))
                    raise KasseError(
                        f"Opgraderingen af databasen blev afbrudt: {len(broken)} rækker peger på "
                        f"rækker, der ikke findes (tabel {tables}). Intet er ændret."
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def alembic_config(script_location: Path = MIGRATIONS_DIR):
    """Alembic's configuration, built in code: kasse ships no alembic.ini.

    To write a new revision against a database at the current head:
        config = alembic_config()
        with create_engine_for(path).connect() as connection:
            config.attributes["connection"] = connection
            alembic.command.revision(config, "what changed", autogenerate=True)
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def backup_to(source: Path, target: Path) -> Path:
    """Copy a live database with SQLite's backup API into a new file readable by its owner only."""
    if not create_private_file(target):
        raise KasseError(f"Sikkerhedskopien {target} findes allerede")
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def _backup_path(path: Path, revision: str, moment: datetime) -> Path:
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    counter = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.before-{revision}-{stamp}-{counter}.bak")
        counter += 1
    return candidate


def _current_revision(path: Path) -> str | None:
    return _inspect(path)[0]


def _inspect(path: Path) -> tuple[str | None, bool]:
    """(Alembic revision or None, whether the file holds any table besides alembic_version)."""
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)) as connection:
        try:
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            # Only "not a database" means the file is someone else's; a full disk, a lock or an I/O error is
            # itself, and the error boundary says what to do about it.
            if getattr(error, "sqlite_errorcode", None) != sqlite3.SQLITE_NOTADB:
                raise
            raise KasseError(f"{path} er ikke en kasse-database") from None
        row = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return (row[0] if row else None), bool(tables - {"alembic_version"})
