"""Backups of the caseload: online copy, verify, encrypt, store, rotate, list, restore, and the health check.

Every copy goes through SQLite's backup API (a file copy of a live database
can miss the -wal file) into memory (kasse.data.copying), where it is
verified with SQLite's integrity check and, for an encrypted backup,
encrypted: only the finished ciphertext reaches the destination. The only unencrypted temporary
files are beside the database (kasse.backup.temp_copies), never in a `--to` folder.
File names, kinds and the rotation rule are in kasse.backup.files.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kasse.backup import crypto
from kasse.backup.files import Kind, NamedBackup, keep_days, new_name, our_backups, refuse_link, to_rotate
from kasse.backup.temp_copies import (
    private_temp,
    remove_stray_temp_files,
    remove_stray_temp_files_in,
    stray_temp_files,  # noqa: F401 - re-exported: kasse check imports it from here
)
from kasse.data import copying
from kasse.data.checks import has_audit_chain, integrity, lineage
from kasse.data.queries import has_families
from kasse.errors import KasseError

PASSPHRASE_ENV = "KASSE_BACKUP_PASSPHRASE"
BACKUP_FOLDER = "backups"

Clock = Callable[[], datetime]
Passphrase = Callable[[], str]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Taken:
    """What taking a backup did."""

    path: Path  # the new backup - or, when nothing was stored, the newest one of its kind, which holds the same
    stored: bool
    moment: datetime  # UTC, by the clock it was taken with


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: datetime  # UTC
    size: int
    encrypted: bool
    families: int | None  # None when encrypted or unreadable
    persons: int | None
    kind: Kind


@dataclass(frozen=True)
class Candidate:
    """A verified, unencrypted copy of a file to restore, in a private temporary file beside the database."""

    source: Path
    path: Path
    revision: str
    families: int
    persons: int


# -- taking a backup --------------------------------------------------------------


def default_folder(db_path: Path) -> Path:
    return db_path.parent / BACKUP_FOLDER


def back_up(
    db_path: Path,
    *,
    kind: Kind,
    folder: Path | None = None,
    passphrase: str | None = None,
    clock: Clock = utc_now,
    require_sound: bool = True,
    rotate: bool = True,
) -> Taken:
    """Copy the live database into `folder` (default backups/ beside it), verified, optionally encrypted.

    Nothing is stored when the newest backup of the same kind and encryption
    holds the same content. After an automatic backup, old automatic ones
    are rotated away (unless `rotate=False`: the caller calls rotate_after
    once the change the backup guards has succeeded). `require_sound=False`
    keeps a copy that fails the integrity check: a damaged database about to
    be replaced by a restore is still worth keeping.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise KasseError(f"Databasen findes ikke: {db_path}")
    days = keep_days() if kind is Kind.AUTOMATIC else None  # a bad setting refused before anything is written
    folder = Path(folder) if folder is not None else default_folder(db_path)
    _private_folder(folder)
    remove_stray_temp_files_in(folder)
    with closing(copying.snapshot(db_path)) as memory:
        if require_sound:
            _verify(memory, db_path)
        image = copying.image(memory)
    backups = our_backups(folder)
    moment = clock().astimezone(UTC)
    same = _newest_holding(image, [item for item in backups if item.kind is kind], passphrase)
    if same is not None:
        return Taken(same, stored=False, moment=moment)
    target = new_name(folder, moment, kind, encrypted=passphrase is not None)
    if passphrase is None:
        _store_plain(image, target, db_folder=db_path.parent)
    else:
        _store(crypto.encrypt(image, passphrase), target, staging=folder)
    if kind is Kind.AUTOMATIC and rotate:
        rotate_automatic(folder, now=moment, spare=target, days=days)
    return Taken(target, stored=True, moment=moment)


def take_backup(
    db_path: Path,
    *,
    kind: Kind = Kind.AUTOMATIC,
    folder: Path | None = None,
    passphrase: str | None = None,
    clock: Clock = utc_now,
    require_sound: bool = True,
) -> Path:
    """back_up (automatic unless told) for a caller that needs only the file holding the database's content:
    the safety copy before a restore."""
    return back_up(
        db_path, kind=kind, folder=folder, passphrase=passphrase, clock=clock, require_sound=require_sound
    ).path


def backup_if_has_data(db_path: Path, *, clock: Clock = utc_now, rotate: bool = True) -> Taken | None:
    """An automatic backup before a bulk change (import), if the database exists and holds any family."""
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    try:
        with closing(copying.open_source(db_path)) as connection:
            has_data = has_families(connection)
    except sqlite3.DatabaseError:
        return None  # not ours, or no schema yet: opening it will say so
    return back_up(db_path, kind=Kind.AUTOMATIC, clock=clock, rotate=rotate) if has_data else None


def daily_backup(db_path: Path, *, clock: Clock = utc_now) -> Path | None:
    """The app's start: temporary copies left by a killed kasse are removed, then the day's first backup is taken.

    None when a backup was taken today already, there is no data, or nothing
    changed since the newest automatic backup.
    """
    db_path = Path(db_path)
    remove_stray_temp_files(db_path)
    today = clock().astimezone().date()
    if any(item.taken.astimezone().date() == today for item in our_backups(default_folder(db_path))):
        return None
    taken = backup_if_has_data(db_path, clock=clock)
    return taken.path if taken is not None and taken.stored else None


def rotate_automatic(folder: Path, *, now: datetime, spare: Path, days: int | None = None) -> list[Path]:
    """Delete the automatic backups in `folder` that the rotation rule lets go; never `spare`, a manual or an
    encrypted one, a symbolic link or any other file."""
    doomed = to_rotate(our_backups(folder), now=now, days=keep_days(days), spare=spare)
    for item in doomed:
        item.path.unlink(missing_ok=True)
    return [item.path for item in doomed]


def rotate_after(taken: Taken) -> list[Path]:
    """The rotation that back_up(rotate=False) left to its caller, once the change it guarded has succeeded."""
    return rotate_automatic(taken.path.parent, now=taken.moment, spare=taken.path) if taken.stored else []


def list_backups(folder: Path) -> list[BackupFile]:
    """Our backups in `folder`, newest first, with their counts where readable."""
    found = []
    for item in reversed(our_backups(folder)):
        try:
            size = item.path.stat(follow_symlinks=False).st_size
        except FileNotFoundError:
            continue  # rotated away meanwhile
        families, persons = (None, None) if item.encrypted else copying.counts_of_file(item.path)
        found.append(BackupFile(item.path, item.taken, size, item.encrypted, families, persons, item.kind))
    return found


# -- restoring --------------------------------------------------------------------


@contextmanager
def restore_candidate(source: Path, db_path: Path, passphrase: Passphrase) -> Iterator[Candidate]:
    """A verified private copy of `source` (decrypted in memory if need be) beside the database, deleted afterwards.

    Refuses (KasseError) a file that is missing, not SQLite, corrupt, not a
    kasse database, or from a newer kasse. The live database is not touched.
    """
    from kasse.backup.integrity import require_restorable

    source = Path(source)
    if not source.is_file():
        raise KasseError(f"Filen findes ikke: {source}")
    with closing(_load(source, passphrase)) as memory:
        report = require_restorable(memory, source)
        image = copying.image(memory)
        _refuse_other_lineage(memory, source, Path(db_path))
    db_folder = Path(db_path).parent
    db_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with private_temp(db_folder) as temp:
        _write_synced(temp, image)
        del image
        yield Candidate(source, temp, report.revision, report.families, report.persons)


# -- helpers ----------------------------------------------------------------------


def _load(source: Path, passphrase: Passphrase) -> sqlite3.Connection:
    """A file to restore, in memory: decrypted there when encrypted, so no plaintext copy is written to get it."""
    try:
        if crypto.is_encrypted(source):
            return copying.from_image(crypto.decrypt(source.read_bytes(), passphrase()))
        return copying.load_file(source)
    except sqlite3.DatabaseError as error:
        raise KasseError(f"{source} kan ikke læses som en SQLite-database ({error})") from None


def _newest_holding(image: bytes, same_kind: list[NamedBackup], passphrase: str | None) -> Path | None:
    """The newest of these backups (same encryption as asked for) if it holds exactly `image`."""
    candidates = [item for item in same_kind if item.encrypted == (passphrase is not None)]
    if not candidates:
        return None
    newest = candidates[-1].path
    try:
        if passphrase is None:
            return newest if _read_file(newest, len(image)) == image else None
        blob = _read_file(newest, crypto.encrypted_size(len(image)))
        return newest if blob is not None and crypto.decrypt(blob, passphrase) == image else None
    except (OSError, KasseError):  # unreadable, or another passphrase: not the same
        return None


def _read_file(path: Path, expected_size: int) -> bytes | None:
    """The file's bytes if it has the expected size (None otherwise), without following a symbolic link."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "rb") as file:
        if os.fstat(file.fileno()).st_size != expected_size:
            return None
        return file.read()


def _store(data: bytes, target: Path, *, staging: Path) -> None:
    """Write `data` under a private temporary name in `staging`, then give it `target`'s name in one step."""
    with private_temp(staging, suffix=".enc" if target.name.endswith(".enc") else ".db") as temp:
        _write_synced(temp, data)
        os.replace(temp, target)
    _sync_folder(target.parent)


def _store_plain(image: bytes, target: Path, *, db_folder: Path) -> None:
    """An unencrypted backup is staged beside the database; a folder on another file system gets it written
    in place (the user chose plaintext there), and removed if the write fails."""
    try:
        _store(image, target, staging=db_folder)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(image)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _write_synced(path: Path, data: bytes) -> None:
    handle = os.open(path, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows cannot open a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _verify(connection: sqlite3.Connection, origin: Path) -> None:
    try:
        result = integrity(connection)
    except sqlite3.DatabaseError as error:
        raise KasseError(f"{origin} er beskadiget og kan ikke bruges ({error})") from None
    if result != ("ok",):
        raise KasseError(f"{origin} er beskadiget: integritetskontrollen fandt {len(result)} fejl, fx {result[0]}")


def _refuse_other_lineage(candidate: sqlite3.Connection, source: Path, db_path: Path) -> None:
    """Before any question is asked: a backup of another database is not restored over this one."""
    from kasse.backup.restore import refuse_other_lineage

    if not (db_path.is_file() and has_audit_chain(candidate)):
        return
    try:
        with closing(copying.open_source(db_path)) as live:  # read-write but query-only: it leaves no -wal behind
            live_lineage = lineage(live) if has_audit_chain(live) else None
    except sqlite3.DatabaseError:
        return  # unreadable or older: restore_into decides under its lock
    refuse_other_lineage(live_lineage, lineage(candidate), source, db_path)


def _private_folder(folder: Path) -> None:
    refuse_link(folder)
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)
    elif not folder.is_dir():
        raise KasseError(f"{folder} er ikke en mappe")
