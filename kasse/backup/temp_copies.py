"""Private temporary files for backups and restores: 0600, locked while in use, removed however the call ends,
and swept at start-up when a killed process left one behind.

An unencrypted temporary copy lives beside the database only. A file is held
with an exclusive `flock` by the process that made it, so a sweep by another
kasse (the CLI while the app restores) skips it; a killed process's lock is
gone with it. Windows has no such lock (and cannot rename an open file), so
there a sweep leaves files younger than a day.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

TEMP_PREFIX = ".kasse-tmp-"
# What is made beside a temporary database: SQLite's journals, and the copy a migration of a restore candidate makes.
_BESIDE = r"(?:-journal|-wal|-shm|\.before-.*\.bak)"
# Plaintext (.db) and ciphertext (.enc) in the making; `.kasse-*.tmp` is how kasse named them before, in backups/.
_TEMP_NAME = re.compile(rf"^\.kasse-(?:tmp-[A-Za-z0-9_]+\.(?:db|enc)|[A-Za-z0-9_]+\.tmp){_BESIDE}?$")
_BESIDE_AT_END = re.compile(rf"{_BESIDE}$")
_BACKUP_FOLDER = "backups"
_UNLOCKED_GRACE_S = 24 * 3600


@contextmanager
def private_temp(folder: Path, suffix: str = ".db") -> Iterator[Path]:
    """An empty 0600 file in `folder`, locked against sweeps; removed (with any journal) however the block ends."""
    import tempfile  # not on the start-up path, where only the sweep runs

    handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=folder)
    path = Path(name)
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held until the file is gone
        else:
            os.close(handle)
            handle = None
        yield path
    finally:
        for leftover in (path, *_journals(path)):
            _remove(leftover)
        if handle is not None:
            os.close(handle)


def stray_temp_files(db_path: Path) -> list[Path]:
    """Temporary copies beside the database (and in its backups/) that no running kasse holds."""
    db_folder = Path(db_path).parent
    return sorted(_strays(db_folder) + _strays(db_folder / _BACKUP_FOLDER))


def remove_stray_temp_files(db_path: Path) -> int:
    """Delete what stray_temp_files finds; returns how many files went (one that cannot be removed stays)."""
    return sum(_remove(path) for path in stray_temp_files(db_path))


def remove_stray_temp_files_in(folder: Path) -> int:
    """The same for a backup folder elsewhere (--to): ciphertext left by a killed backup."""
    return sum(_remove(path) for path in _strays(folder))


def _strays(folder: Path) -> list[Path]:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no such folder, or not ours to read
        return []
    return [
        Path(entry.path)
        for entry in entries
        if _TEMP_NAME.match(entry.name) and entry.is_file(follow_symlinks=False) and not _in_use(_main_file(entry.path))
    ]


def _main_file(name: str) -> Path:
    """The temporary database a journal belongs to (itself for the database)."""
    return Path(_BESIDE_AT_END.sub("", name))


def _in_use(path: Path) -> bool:
    if fcntl is None:
        try:
            return time.time() - path.stat().st_mtime < _UNLOCKED_GRACE_S
        except OSError:
            return False
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return False  # a journal whose database is gone
    except OSError:
        return True  # cannot tell: leave it
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(handle)  # also releases the lock just taken
    return False


def _journals(path: Path) -> tuple[Path, ...]:
    return tuple(Path(f"{path}{ending}") for ending in ("-journal", "-wal", "-shm"))


def _remove(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError:  # a read-only folder, or (Windows) a file held open
        return False
    return True
