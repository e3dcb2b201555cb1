"""kasse restore: a file is checked (and decrypted) before anything changes; then it replaces the data in one step."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from kasse.backup.copies import restore_candidate, take_backup, utc_now
from kasse.backup.restore import restore_into
from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.demo import demo_families
from kasse.errors import KasseError
from tests.cli_helpers import run_kasse
from tests.factories import d, descendant

TODAY = "2026-11-23"
PASSPHRASE = "rødgrød med fløde"


def caseload(path: Path, families: int, seed: int) -> Path:
    with open_database(path) as database:
        import_families(Store(database), demo_families(families, seed=seed, today=d(TODAY)))
    return path


def counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as connection:
        return tuple(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("family", "person"))


def refs(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [ref for (ref,) in connection.execute("SELECT ref FROM family ORDER BY ref")]


def snapshot(db: Path) -> tuple[bytes, str]:
    """The file's bytes and its SQL dump: a refused restore must leave both as they were."""
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as connection:
        dump = "\n".join(connection.iterdump())
    return db.read_bytes(), dump


@pytest.fixture
def live(tmp_path: Path) -> Path:
    db = caseload(tmp_path / "data" / "kasse.db", 3, seed=1)
    # Close cleanly so no -wal holds part of the data: the bytes are then the whole state.
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture
def other_backup(live: Path, tmp_path: Path) -> Path:
    """A backup of the same database grown differently (6 families, other facts)."""
    (tmp_path / "other").mkdir()
    source = descendant(live, tmp_path / "other" / "kasse.db", demo_families(6, seed=2, today=d(TODAY)))
    return take_backup(source, clock=lambda: datetime(2026, 11, 20, 9, 0))


def corrupt_copy(backup: Path, target: Path) -> Path:
    data = bytearray(backup.read_bytes())
    page = 4096
    data[page * 2 : page * 4] = b"\xff" * (page * 2)  # two b-tree pages overwritten
    target.write_bytes(bytes(data))
    return target


def foreign_sqlite(target: Path) -> Path:
    with sqlite3.connect(target) as connection:
        connection.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO customer (name) VALUES ('Hansen')")
    return target


def newer_schema(backup: Path, target: Path) -> Path:
    target.write_bytes(backup.read_bytes())
    with sqlite3.connect(target) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    return target


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda backup, tmp: corrupt_copy(backup, tmp / "corrupt.db"), "beskadiget|kan ikke læses"),
        (lambda backup, tmp: foreign_sqlite(tmp / "foreign.db"), "ikke en kasse-database"),
        (lambda backup, tmp: (tmp / "notes.db").write_text("ikke en database" * 100) and tmp / "notes.db",
         "kan ikke læses som en SQLite-database"),
        (lambda backup, tmp: newer_schema(backup, tmp / "future.db"), "ikke kender"),
        (lambda backup, tmp: tmp / "missing.db", "findes ikke"),
    ],
    ids=["corrupt", "foreign-sqlite", "not-sqlite", "newer-schema", "missing"],
)
def test_a_bad_file_is_refused_and_the_live_database_is_unchanged(live, other_backup, tmp_path, make, message):
    bad = make(other_backup, tmp_path)
    before = snapshot(live)

    done = run_kasse("restore", str(bad), "--yes", db=live)

    assert done.code == 1
    assert done.err.startswith("Fejl: ")
    assert "Traceback" not in done.err
    assert re.search(message, done.err), done.err
    assert snapshot(live) == before
    backups = live.parent / "backups"
    assert not backups.exists() or list(backups.iterdir()) == []  # nothing backed up, no temp copy left


def test_restore_without_a_terminal_and_without_yes_is_refused(live, other_backup):
    before = snapshot(live)
    done = run_kasse("restore", str(other_backup), db=live)
    assert done.code == 1
    assert "--yes" in done.err
    assert snapshot(live) == before


def test_restore_with_yes_replaces_the_data_and_keeps_the_previous_state(live, other_backup):
    previous_refs = refs(live)

    done = run_kasse("restore", str(other_backup), "--yes", db=live)

    assert done.code == 0, done.err
    assert "Gendannet" in done.out
    assert refs(live) == refs(other_backup)
    assert counts(live)[0] == 6
    (kept,) = (live.parent / "backups").glob("kasse-*.db")
    assert refs(kept) == previous_refs
    assert run_kasse("check", db=live).code == 0


def test_encrypted_backup_restores_with_the_passphrase(live, tmp_path):
    (tmp_path / "other").mkdir()
    source = descendant(live, tmp_path / "other" / "kasse.db", demo_families(4, seed=7, today=d(TODAY)))
    encrypted = take_backup(source, passphrase=PASSPHRASE)

    done = run_kasse("restore", str(encrypted), "--yes", db=live, env={"KASSE_BACKUP_PASSPHRASE": PASSPHRASE})

    assert done.code == 0, done.err
    assert refs(live) == refs(source)


@pytest.mark.parametrize("damage", ["wrong-passphrase", "flipped-byte"])
def test_wrong_passphrase_or_changed_file_gives_a_danish_message_and_changes_nothing(live, tmp_path, damage):
    source = caseload(tmp_path / "other" / "kasse.db", 4, seed=7)
    encrypted = take_backup(source, passphrase=PASSPHRASE)
    passphrase = PASSPHRASE
    if damage == "wrong-passphrase":
        passphrase = "forkert"
    else:
        data = bytearray(encrypted.read_bytes())
        data[len(data) // 2] ^= 0x01
        encrypted.write_bytes(bytes(data))
    before = snapshot(live)

    done = run_kasse("restore", str(encrypted), "--yes", db=live, env={"KASSE_BACKUP_PASSPHRASE": passphrase})

    assert done.code == 1
    assert done.err.strip() == (
        "Fejl: Sikkerhedskopien kunne ikke dekrypteres: forkert adgangsudtryk, eller filen er ændret eller beskadiget"
    )
    assert snapshot(live) == before


def test_restore_into_a_database_that_a_reader_holds_open(live, other_backup):
    reader = sqlite3.connect(live)
    try:
        assert reader.execute("SELECT count(*) FROM family").fetchone()[0] == 3
        with restore_candidate(other_backup, live, lambda: PASSPHRASE) as candidate:
            restore_into(candidate, live, clock=utc_now)
        assert reader.execute("SELECT count(*) FROM family").fetchone()[0] == 6
    finally:
        reader.close()


def test_candidate_copy_is_removed_after_use(live, other_backup):
    with restore_candidate(other_backup, live, lambda: PASSPHRASE) as candidate:
        assert candidate.path.exists()
        assert (candidate.families, candidate.persons) == counts(other_backup)
    assert not candidate.path.exists()


def test_restore_of_an_older_schema_is_migrated(live, tmp_path):
    from alembic import command

    from kasse.data.db import WRITES_ALLOWED, alembic_config, create_engine_for
    from kasse.data.version import SCHEMA_REVISION

    old = tmp_path / "old.db"
    engine = create_engine_for(old)
    with engine.connect() as connection, connection.begin():
        connection.execution_options(**{WRITES_ALLOWED: True})
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()

    done = run_kasse("restore", str(old), "--yes", db=live)

    assert done.code == 0, done.err
    with sqlite3.connect(live) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_REVISION
    assert counts(live) == (0, 0)


def test_restore_candidate_asks_for_no_passphrase_when_the_file_is_plain(live, other_backup):
    def never() -> str:
        raise AssertionError("asked for a passphrase")

    with restore_candidate(other_backup, live, never) as candidate:
        assert candidate.revision


def test_refused_restore_raises_kasse_error(live, tmp_path):
    foreign = foreign_sqlite(tmp_path / "f.db")
    with pytest.raises(KasseError), restore_candidate(foreign, live, lambda: PASSPHRASE):
        pass


def test_a_corrupt_live_database_can_still_be_restored_and_is_kept(live, other_backup, tmp_path):
    damaged = corrupt_copy(live, tmp_path / "damaged.db")
    live.write_bytes(damaged.read_bytes())
    assert run_kasse("check", db=live).code == 1

    done = run_kasse("restore", str(other_backup), "--yes", db=live)

    assert done.code == 0, done.err
    assert refs(live) == refs(other_backup)
    assert run_kasse("check", db=live).code == 0
    (kept,) = (live.parent / "backups").glob("kasse-*.db")
    assert kept.read_bytes()[:16] == b"SQLite format 3\0"
