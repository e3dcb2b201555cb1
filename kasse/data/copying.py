"""Copies of a database as SQLite makes them: the online copy into memory, its bytes, and what a copy holds.

A file copy of a live database can miss the -wal file, so every copy goes
through SQLite's backup API into an in-memory database; its bytes
(`image`) are what a backup stores, and a decrypted backup is opened from
its bytes again (`from_image`) without touching the disk. These calls raise
sqlite3.DatabaseError for a file SQLite cannot read; kasse.backup says what
that means to the user.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

BUSY_TIMEOUT_S = 5.0


def open_source(db_path: Path) -> sqlite3.Connection:
    """A connection to a live database that reads only (read-write but query-only: it leaves no -wal behind)."""
    connection = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S)
    connection.execute("PRAGMA query_only=ON")
    return connection


def open_finished(path: Path) -> sqlite3.Connection:
    """A backup file, read only and as immutable: a finished backup does not change."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def snapshot(db_path: Path) -> sqlite3.Connection:
    """The live database copied into memory in one backup step: one read snapshot, so an open write
    transaction is not copied."""
    memory = sqlite3.connect(":memory:")
    with closing(open_source(db_path)) as source:
        source.backup(memory)
    return memory


def load_file(path: Path) -> sqlite3.Connection:
    """An unencrypted database file copied into memory, opened read only."""
    memory = sqlite3.connect(":memory:")
    try:
        with closing(_open_read_only(path)) as connection:
            connection.backup(memory)
    except BaseException:
        memory.close()
        raise
    return memory


def from_image(image: bytes) -> sqlite3.Connection:
    """A database in memory from the bytes of a database file (a decrypted backup)."""
    memory = sqlite3.connect(":memory:")
    try:
        memory.deserialize(self_contained(image))
    except BaseException:
        memory.close()
        raise
    return memory


def image(memory: sqlite3.Connection) -> bytes:
    """The database in memory as the bytes of one self-contained file."""
    return self_contained(memory.serialize())


def self_contained(image: bytes) -> bytes:
    # Header bytes 18-19 say WAL (2) when the source was in WAL mode. A backup is one file with no -wal
    # beside it, so they become legacy (1) - what PRAGMA journal_mode=DELETE writes - and the image also
    # opens in memory, where WAL cannot.
    if image[18:20] == b"\x02\x02":
        return image[:18] + b"\x01\x01" + image[20:]
    return image


def counts(connection: sqlite3.Connection, schema: str = "main") -> tuple[int, int]:
    """(families, persons) in the database (or the attached `schema`)."""
    families = connection.execute(f"SELECT count(*) FROM {schema}.family").fetchone()[0]
    persons = connection.execute(f"SELECT count(*) FROM {schema}.person").fetchone()[0]
    return families, persons


def counts_of_file(path: Path) -> tuple[int | None, int | None]:
    """(families, persons) in a database file, read only; (None, None) when it cannot be read as one."""
    try:
        with closing(_open_read_only(path)) as connection:
            return counts(connection)
    except sqlite3.DatabaseError:
        return None, None


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
