"""Where `kasse demo` writes: never into a database that already holds a caseload."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kasse.data import queries, reader
from kasse.errors import KasseError
from kasse.paths import demo_db_path

DEMO_ACTOR = "kasse demo"


@dataclass(frozen=True, slots=True)
class DemoResult:
    """Where the demo was written (not always where it was asked for: see `demo_target`) and how much."""

    path: Path
    families: int
    persons: int
    notes: int = 0
    tasks: int = 0


def holds_caseload(path: Path) -> bool:
    """True when the file exists and is anything but an empty kasse database."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        with closing(reader.connect(path)) as conn:
            return queries.has_families(conn)
    except (sqlite3.Error, KasseError):
        return True  # not ours, or unreadable (a folder, say): leave it alone


def holds_only_demo_data(path: Path) -> bool:
    """True when every change ever recorded in the file was written by `kasse demo`."""
    try:
        with closing(reader.connect(path)) as conn:
            return queries.written_only_by(conn, DEMO_ACTOR)
    except (sqlite3.Error, KasseError):
        return False


def demo_target(requested: Path) -> Path:
    """The requested database if it is new or empty, else a fresh demo.db in the data folder.

    An old demo.db is replaced only if it holds nothing but demo data: someone
    may have chosen that file for a real caseload.
    """
    if not holds_caseload(requested):
        return requested
    target = demo_db_path()
    if holds_caseload(target) and not holds_only_demo_data(target):
        raise KasseError(f"{target} indeholder andet end demo-data og bliver ikke overskrevet; "
                         "vælg en ny fil med --db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return target


def write_demo(requested: Path, *, families: int, seed: int, today: date) -> DemoResult:
    """Write `families` demo families, their journal and tasks as of `today` where `demo_target` says, in one
    transaction; the skins put the result in words."""
    from kasse.data.db import open_database
    from kasse.data.journal import save_records
    from kasse.data.store import Store
    from kasse.demo import demo_families
    from kasse.demo.journal import demo_journal

    target = demo_target(requested)
    caseload = demo_families(families, seed=seed, today=today)
    notes, tasks = demo_journal(caseload, seed=seed, today=today)
    database = open_database(target)
    try:
        with Store(database, actor=DEMO_ACTOR).transaction() as transaction:
            save_records(transaction, caseload, notes, tasks)
    finally:
        database.close()
    persons = sum(len(family.members) for family in caseload)
    return DemoResult(target, len(caseload), persons, len(notes), len(tasks))
