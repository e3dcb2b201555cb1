"""Backups of the caseload: online copy, verify, encrypt, rotate, list, restore, and the health check.

Every copy goes through SQLite's backup API: a file copy of a live database
can miss the -wal file and be corrupt. A copy is verified with
`PRAGMA integrity_check` before it gets its final name, and no unencrypted
temporary copy outlives the call that made it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kasse import backup_crypto
from kasse.data.version import SCHEMA_REVISION
from kasse.errors import KasseError

DEFAULT_KEEP = 14
KEEP_ENV = "KASSE_BACKUP_KEEP"
PASSPHRASE_ENV = "KASSE_BACKUP_PASSPHRASE"
BACKUP_FOLDER = "backups"
BUSY_TIMEOUT_S = 5.0
KASSE_TABLES = frozenset({"alembic_version", "family", "person", "audit"})

# Only files with this name are ever listed or deleted by rotation.
_NAME = re.compile(r"^kasse-(\d{8})-(\d{6})(?:-(\d+))?\.db(\.enc)?$")

Clock = Callable[[], datetime]
Passphrase = Callable[[], str]


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: datetime
    size: int
    encrypted: bool
    families: int | None  # None when encrypted or unreadable
    persons: int | None


@dataclass(frozen=True)
class Candidate:
    """A verified, unencrypted copy of a file to restore, in a private temporary file."""

    source: Path
    path: Path
    revision: str
    families: int
    persons: int


@dataclass(frozen=True)
class CheckReport:
    integrity: tuple[str, ...]  # ("ok",) when sound
    foreign_key_problems: int
    revision: str | None
    families: int
    persons: int
    audit_rows: int
    revision_known: bool  # this kasse's revision or an older one it migrates from

    @property
    def revision_current(self) -> bool:
        return self.revision == SCHEMA_REVISION

    @property
    def ok(self) -> bool:
        return self.integrity == ("ok",) and not self.foreign_key_problems and self.revision_known


# -- taking a backup --------------------------------------------------------------


def default_folder(db_path: Path) -> Path:
    return db_path.parent / BACKUP_FOLDER


def keep_count(keep: int | None = None) -> int:
    """--keep, else $KASSE_BACKUP_KEEP, else 14."""
    if keep is None:
        text = os.environ.get(KEEP_ENV, "").strip()
        if not text:
            return DEFAULT_KEEP
        try:
            keep = int(text)
        except ValueError:
            raise KasseError(f"{KEEP_ENV} skal være et helt tal, ikke '{text}'") from None
    if keep < 1:
        raise KasseError("Antal sikkerhedskopier at beholde skal være mindst 1")
    return keep


def take_backup(
    db_path: Path,
    *,
    folder: Path | None = None,
    keep: int | None = None,
    passphrase: str | None = None,
    clock: Clock = local_now,
    require_sound: bool = True,
) -> Path:
    """Copy the live database into `folder` (default backups/ beside it), verified, optionally encrypted;
    then delete all but the newest `keep` backups there. Returns the new file.

    `require_sound=False` keeps a copy that fails the integrity check: a
    damaged database about to be replaced by a restore is still worth keeping.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise KasseError(f"Databasen findes ikke: {db_path}")
    keep = keep_count(keep)
    folder = Path(folder) if folder is not None else default_folder(db_path)
    _private_folder(folder)
    target = _new_name(folder, clock(), encrypted=passphrase is not None)
    with _private_temp(folder) as temp:
        _copy(_open_source(db_path), temp)
        if require_sound:
            _verify(temp, db_path)
        if passphrase is None:
            os.replace(temp, target)
        else:
            _write_private(target, backup_crypto.encrypt(temp.read_bytes(), passphrase))
    os.chmod(target, 0o600)
    rotate(folder, keep)
    return target


def backup_if_has_data(db_path: Path, *, clock: Clock = local_now) -> Path | None:
    """A backup before a bulk change (import), if the database exists and holds any family."""
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    try:
        with closing(_open_source(db_path)) as connection:
            has_data = connection.execute("SELECT EXISTS (SELECT 1 FROM family)").fetchone()[0]
    except sqlite3.DatabaseError:
        return None  # not ours, or no schema yet: opening it will say so
    return take_backup(db_path, clock=clock) if has_data else None


def daily_backup(db_path: Path, *, clock: Clock = local_now) -> Path | None:
    """The day's first backup, when the app starts: none if one was taken today already or there is no data."""
    day = clock().strftime("%Y%m%d")
    if any(stamp.startswith(day) for _, (stamp, _) in _our_files(default_folder(Path(db_path)))):
        return None
    return backup_if_has_data(db_path, clock=clock)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` of our backups in `folder`; other files are never touched."""
    ours = sorted(_our_files(folder), key=lambda item: item[1])
    doomed = [path for path, _ in ours[: max(len(ours) - keep, 0)]]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def list_backups(folder: Path) -> list[BackupFile]:
    """Our backups in `folder`, newest first, with their counts where readable."""
    found = []
    for path, (stamp, _counter) in sorted(_our_files(folder), key=lambda item: item[1], reverse=True):
        encrypted = path.name.endswith(".enc")
        families = persons = None
        if not encrypted:
            try:
                with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
                    families, persons = _counts(connection)
            except sqlite3.DatabaseError:
                pass
        taken = datetime.strptime(stamp, "%Y%m%d%H%M%S")
        found.append(BackupFile(path, taken, path.stat().st_size, encrypted, families, persons))
    return found


# -- restoring --------------------------------------------------------------------


@contextmanager
def restore_candidate(source: Path, db_path: Path, passphrase: Passphrase) -> Iterator[Candidate]:
    """A verified private copy of `source` (decrypted if need be), deleted afterwards.

    Refuses (KasseError) a file that is missing, not SQLite, corrupt, not a
    kasse database, or from a newer kasse. The live database is not touched.
    """
    source = Path(source)
    if not source.is_file():
        raise KasseError(f"Filen findes ikke: {source}")
    folder = default_folder(Path(db_path))
    _private_folder(folder)
    with _private_temp(folder) as temp:
        if backup_crypto.is_encrypted(source):
            temp.write_bytes(backup_crypto.decrypt(source.read_bytes(), passphrase()))
        else:
            try:
                source_connection = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
                _copy(source_connection, temp)
            except sqlite3.DatabaseError as error:
                raise KasseError(f"{source} kan ikke læses som en SQLite-database ({error})") from None
        _verify(temp, source)
        revision = _check_kasse_schema(temp, source)
        with closing(sqlite3.connect(temp)) as connection:
            families, persons = _counts(connection)
        yield Candidate(source, temp, revision, families, persons)


def restore_into(candidate: Candidate, db_path: Path, *, clock: Clock = local_now) -> Path | None:
    """Back up the current database, then replace its contents with the candidate's in one step.

    The backup API writes into the live file under its write lock, so a
    reader sees the old caseload or the new one, never a mix. An older
    schema is then migrated by open_database. Returns the backup of the
    previous state (None if there was no database).
    """
    from kasse.data.db import create_private_file, open_database

    db_path = Path(db_path)
    has_data = db_path.is_file() and db_path.stat().st_size
    previous = take_backup(db_path, clock=clock, require_sound=False) if has_data else None
    create_private_file(db_path)
    with closing(sqlite3.connect(candidate.path)) as source, closing(_open_live(db_path)) as live:
        source.backup(live)
        live.execute("PRAGMA journal_mode=WAL").fetchall()
    open_database(db_path, clock=clock).close()
    return previous


# -- checking ---------------------------------------------------------------------


def check_database(db_path: Path) -> CheckReport:
    """Integrity, foreign keys, schema version and counts of the database, read only."""
    from kasse.data.reader import connect

    try:
        with closing(connect(db_path)) as connection:
            integrity = tuple(row[0] for row in connection.execute("PRAGMA integrity_check"))
            problems = len(connection.execute("PRAGMA foreign_key_check").fetchall())
            tables = _tables(connection)
            missing = KASSE_TABLES - tables
            if missing:
                raise KasseError(f"{db_path} er ikke en kasse-database (mangler tabellerne {', '.join(sorted(missing))})")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            families, persons = _counts(connection)
            audit = connection.execute("SELECT count(*) FROM audit").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise KasseError(f"{db_path} kan ikke læses som en SQLite-database ({error})") from None
    revision = row[0] if row else None
    known = revision == SCHEMA_REVISION or revision in _known_revisions()
    return CheckReport(integrity, problems, revision, families, persons, audit, known)


# -- helpers ----------------------------------------------------------------------


def _open_source(db_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S)
    connection.execute("PRAGMA query_only=ON")
    return connection


def _open_live(db_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    return connection


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """One backup step over the whole file: one read snapshot, so an open write transaction is not copied."""
    with closing(source), closing(sqlite3.connect(target)) as destination:
        source.backup(destination)
        # A backup is one self-contained file: no -wal beside it.
        destination.execute("PRAGMA journal_mode=DELETE").fetchall()


def _verify(copy: Path, origin: Path) -> None:
    try:
        with closing(sqlite3.connect(copy)) as connection:
            result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        raise KasseError(f"{origin} er beskadiget og kan ikke bruges ({error})") from None
    if result != ["ok"]:
        raise KasseError(f"{origin} er beskadiget: integritetskontrollen fandt {len(result)} fejl, fx {result[0]}")


def _check_kasse_schema(copy: Path, origin: Path) -> str:
    with closing(sqlite3.connect(copy)) as connection:
        missing = KASSE_TABLES - _tables(connection)
        row = None if missing else connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if missing or row is None:
        raise KasseError(f"{origin} er ikke en kasse-database")
    revision = row[0]
    if revision != SCHEMA_REVISION and revision not in _known_revisions():
        raise KasseError(
            f"{origin} har skemaversion {revision}, som denne version af kasse ikke kender - opdatér kasse først"
        )
    return revision


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from kasse.data.db import alembic_config

    return {revision.revision for revision in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _counts(connection: sqlite3.Connection) -> tuple[int, int]:
    families = connection.execute("SELECT count(*) FROM family").fetchone()[0]
    persons = connection.execute("SELECT count(*) FROM person").fetchone()[0]
    return families, persons


def _our_files(folder: Path) -> Iterator[tuple[Path, tuple[str, int]]]:
    """(path, (timestamp, same-second counter)) for each file named like our backups."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            yield path, (match[1] + match[2], int(match[3] or 0))


def _new_name(folder: Path, moment: datetime, *, encrypted: bool) -> Path:
    stamp = moment.strftime("%Y%m%d-%H%M%S")
    suffix = ".db.enc" if encrypted else ".db"
    taken = {path.name.removesuffix(".enc") for path, _ in _our_files(folder)}
    name, counter = f"kasse-{stamp}.db", 0
    while name in taken:
        counter += 1
        name = f"kasse-{stamp}-{counter}.db"
    return folder / name.replace(".db", suffix)


def _private_folder(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)
    elif not folder.is_dir():
        raise KasseError(f"{folder} er ikke en mappe")


@contextmanager
def _private_temp(folder: Path) -> Iterator[Path]:
    """A 0600 temporary file in `folder`, removed (with any journal) however the block ends."""
    handle, name = tempfile.mkstemp(prefix=".kasse-", suffix=".tmp", dir=folder)
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        for leftover in (path, Path(f"{name}-journal"), Path(f"{name}-wal"), Path(f"{name}-shm")):
            leftover.unlink(missing_ok=True)


def _write_private(path: Path, data: bytes) -> None:
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
