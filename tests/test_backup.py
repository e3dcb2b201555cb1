"""kasse backup / backups: online copies that are verified, private, named by kind and UTC time, optionally
encrypted, stored once per content, and listed with their kind."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kasse.backup import crypto
from kasse.backup.copies import Kind, back_up, daily_backup, list_backups, restore_candidate, take_backup
from kasse.backup.restore import restore_into
from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.demo import demo_families
from kasse.errors import KasseError
from kasse.interchange.v1 import dump_document
from tests.cli_helpers import run_kasse
from tests.factories import d, descendant

TODAY = "2026-11-23"
MOMENT = datetime(2026, 11, 23, 10, 15, 0, tzinfo=UTC)
PASSPHRASE = "rødgrød med fløde"


def caseload(path: Path, families: int = 5, seed: int = 3) -> Path:
    with open_database(path) as database:
        import_families(Store(database), demo_families(families, seed=seed, today=d(TODAY)))
    return path


def clock_at(moment: datetime):
    return lambda: moment


def counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as connection:
        return tuple(
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("family", "person")
        )


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def change(db: Path, version: int) -> None:
    """A change to the database's content (its header's user_version), so the next backup is not identical."""
    with sqlite3.connect(db) as connection:
        connection.execute(f"PRAGMA user_version = {version}")


def decrypted_counts(path: Path) -> tuple[int, int]:
    memory = sqlite3.connect(":memory:")
    memory.deserialize(crypto.decrypt(path.read_bytes(), PASSPHRASE))
    with memory:
        return tuple(memory.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("family", "person"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return caseload(tmp_path / "data" / "kasse.db")


def test_backup_is_named_by_kind_and_utc_time_private_verified_and_beside_the_database(db):
    made = back_up(db, kind=Kind.MANUAL, clock=clock_at(MOMENT))

    assert made.stored
    assert made.path == db.parent / "backups" / "kasse-20261123T101500Z-manual.db"
    assert mode(made.path) == 0o600
    assert mode(made.path.parent) == 0o700
    assert integrity(made.path) == "ok"
    assert counts(made.path) == counts(db)
    assert sorted(path.name for path in made.path.parent.iterdir()) == [made.path.name]  # no temp file, no -wal
    assert sorted(path.name for path in db.parent.iterdir() if path.name.startswith(".kasse")) == []


def test_a_backup_is_one_self_contained_file(db):
    made = take_backup(db, clock=clock_at(MOMENT))
    with sqlite3.connect(made) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # the live file is WAL
        connection.execute("SELECT count(*) FROM person").fetchone()
    assert not Path(f"{made}-wal").exists()


def test_the_same_time_in_another_time_zone_gives_the_same_utc_name(db):
    copenhagen = MOMENT.astimezone(datetime.fromisoformat("2026-11-23T11:15:00+01:00").tzinfo)
    made = take_backup(db, clock=clock_at(copenhagen))
    assert made.name == "kasse-20261123T101500Z-auto.db"


def test_two_different_backups_in_the_same_second_both_survive(db):
    first = take_backup(db, clock=clock_at(MOMENT))
    change(db, 1)
    second = take_backup(db, clock=clock_at(MOMENT))

    assert first.name == "kasse-20261123T101500Z-auto.db"
    assert second.name == "kasse-20261123T101500Z-auto-1.db"
    assert first.exists() and second.exists()


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
@pytest.mark.parametrize("kind", list(Kind))
def test_an_unchanged_database_is_not_stored_twice(db, kind, passphrase):
    first = back_up(db, kind=kind, passphrase=passphrase, clock=clock_at(MOMENT))
    again = back_up(db, kind=kind, passphrase=passphrase, clock=clock_at(MOMENT + timedelta(hours=1)))

    assert first.stored and not again.stored
    assert again.path == first.path
    assert [item.path for item in list_backups(first.path.parent)] == [first.path]

    change(db, 7)
    third = back_up(db, kind=kind, passphrase=passphrase, clock=clock_at(MOMENT + timedelta(hours=2)))
    assert third.stored and third.path != first.path


def test_identical_content_of_another_kind_or_encryption_is_still_stored(db):
    automatic = back_up(db, kind=Kind.AUTOMATIC, clock=clock_at(MOMENT))
    manual = back_up(db, kind=Kind.MANUAL, clock=clock_at(MOMENT))
    encrypted = back_up(db, kind=Kind.MANUAL, passphrase=PASSPHRASE, clock=clock_at(MOMENT))
    other_passphrase = back_up(db, kind=Kind.MANUAL, passphrase="noget andet", clock=clock_at(MOMENT))
    assert all(taken.stored for taken in (automatic, manual, encrypted, other_passphrase))
    assert len(list_backups(automatic.path.parent)) == 4


def other_file_system(near: Path) -> Path | None:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shm.stat().st_dev != near.stat().st_dev:
        return shm
    return None


def test_a_plain_backup_to_another_file_system_is_written_in_place_and_complete(db):
    other = other_file_system(db.parent)
    if other is None:
        pytest.skip("no second file system to write to")
    with tempfile.TemporaryDirectory(dir=other) as scratch:
        made = take_backup(db, folder=Path(scratch) / "usb", clock=clock_at(MOMENT))
        assert integrity(made) == "ok" and counts(made) == counts(db)
        assert [path.name for path in made.parent.iterdir()] == [made.name]
    assert [path.name for path in db.parent.iterdir() if path.name.startswith(".kasse")] == []


def test_backup_during_an_open_write_transaction_is_consistent_and_leaves_it_out(db):
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO family (ref) VALUES ('UKOMMITTERET')")
        made = take_backup(db, clock=clock_at(MOMENT))
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert integrity(made) == "ok"
    with sqlite3.connect(made) as connection:
        assert connection.execute("SELECT count(*) FROM family WHERE ref = 'UKOMMITTERET'").fetchone()[0] == 0
    assert counts(made) == counts(db)


def test_encrypted_backup_round_trips_and_leaves_no_plaintext(db):
    made = back_up(db, kind=Kind.MANUAL, passphrase=PASSPHRASE, clock=clock_at(MOMENT)).path

    assert made.name == "kasse-20261123T101500Z-manual.db.enc"
    assert mode(made) == 0o600
    assert sorted(path.name for path in made.parent.iterdir()) == [made.name]
    blob = made.read_bytes()
    assert blob.startswith(b"KASSEENC1")
    assert b"SQLite format 3" not in blob
    assert len(blob) == crypto.encrypted_size(len(crypto.decrypt(blob, PASSPHRASE)))
    assert decrypted_counts(made) == counts(db)


def test_wrong_passphrase_and_a_changed_byte_are_refused():
    blob = crypto.encrypt(b"SQLite format 3\0...", PASSPHRASE)
    with pytest.raises(KasseError, match="forkert adgangsudtryk"):
        crypto.decrypt(blob, "forkert")
    flipped = bytearray(blob)
    flipped[len(flipped) // 2] ^= 0x01
    with pytest.raises(KasseError, match="ændret eller beskadiget"):
        crypto.decrypt(bytes(flipped), PASSPHRASE)


def test_backup_of_a_missing_database_is_a_danish_error(tmp_path):
    with pytest.raises(KasseError, match="findes ikke"):
        take_backup(tmp_path / "intet.db")


def test_a_bad_keep_setting_is_refused_before_anything_is_written(db, monkeypatch):
    monkeypatch.setenv("KASSE_BACKUP_KEEP", "mange")
    with pytest.raises(KasseError, match="KASSE_BACKUP_KEEP skal være et helt antal dage"):
        take_backup(db, clock=clock_at(MOMENT))
    assert not (db.parent / "backups").exists() or list((db.parent / "backups").iterdir()) == []


# -- names from before kinds ---------------------------------------------------------


def old_named_copies(db: Path, folder: Path) -> tuple[Path, Path]:
    """A plain and an encrypted backup under the names kasse gave before kinds and UTC (local time)."""
    folder.mkdir(parents=True, exist_ok=True)
    plain = take_backup(db, folder=folder, clock=clock_at(MOMENT)).rename(folder / "kasse-20261120-091500.db")
    encrypted = take_backup(db, folder=folder, passphrase=PASSPHRASE, clock=clock_at(MOMENT))
    return plain, encrypted.rename(folder / "kasse-20261121-091500-1.db.enc")


def test_old_names_are_still_listed_plain_as_automatic_and_encrypted_as_manual(db):
    plain, encrypted = old_named_copies(db, db.parent / "backups")

    listed = {item.path.name: item for item in list_backups(db.parent / "backups")}

    assert listed[plain.name].kind is Kind.AUTOMATIC
    assert listed[plain.name].taken == datetime(2026, 11, 20, 9, 15).astimezone(UTC)
    assert (listed[plain.name].families, listed[plain.name].persons) == counts(db)
    assert listed[encrypted.name].kind is Kind.MANUAL and listed[encrypted.name].encrypted


@pytest.mark.parametrize("name", ["old-plain", "old-encrypted", "new-plain", "new-encrypted"])
def test_restore_works_from_old_and_new_names_plain_and_encrypted(db, tmp_path, name):
    (tmp_path / "other").mkdir()
    source = descendant(db, tmp_path / "other" / "kasse.db", demo_families(7, seed=11, today=d(TODAY)))
    old_plain, old_encrypted = old_named_copies(source, tmp_path / "old")
    files = {
        "old-plain": old_plain,
        "old-encrypted": old_encrypted,
        "new-plain": take_backup(source, folder=tmp_path / "new", clock=clock_at(MOMENT)),
        "new-encrypted": take_backup(source, folder=tmp_path / "new", passphrase=PASSPHRASE, clock=clock_at(MOMENT)),
    }

    with restore_candidate(files[name], db, lambda: PASSPHRASE) as candidate:
        assert candidate.path.parent == db.parent  # the plaintext candidate lives beside the database only
        assert mode(candidate.path) == 0o600
        restore_into(candidate, db, clock=clock_at(MOMENT))

    assert counts(db) == counts(source)
    assert not candidate.path.exists()


# -- as a user runs it ---------------------------------------------------------------


def test_cli_backup_and_backups_list_with_kind_and_times(db, tmp_path):
    folder = tmp_path / "kopier"
    done = run_kasse("backup", "--to", str(folder), db=db)
    assert done.code == 0, done.err
    saved = Path(done.out.strip().removeprefix("Sikkerhedskopi gemt: "))
    assert saved.is_file() and saved.parent == folder and saved.name.endswith("Z-manual.db")

    again = run_kasse("backup", "--to", str(folder), db=db)
    assert again.code == 0, again.err
    assert again.out.strip() == f"Ingen ny sikkerhedskopi: databasen er uændret siden {saved}"
    assert list(folder.iterdir()) == [saved]

    (row,) = run_kasse("backups", "--to", str(folder), "--json", db=db).json()
    assert set(row) == {"file", "taken", "kind", "bytes", "encrypted", "families", "persons"}
    assert (row["file"], row["kind"], row["encrypted"]) == (str(saved), "manual", False)
    assert (row["families"], row["persons"]) == counts(db)
    taken = datetime.fromisoformat(row["taken"])
    assert taken.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - taken) < timedelta(minutes=5)

    table = run_kasse("backups", "--to", str(folder), db=db)
    assert table.code == 0
    assert "Tidspunkt" in table.out and "Art" in table.out and "manuel" in table.out
    assert taken.astimezone().strftime("%d-%m-%Y %H:%M") in table.out  # local time


def test_cli_backup_has_no_keep_flag_and_its_help_says_what_is_kept(db):
    done = run_kasse("backup", "--help")
    assert done.code == 0
    text = " ".join(done.out.split())
    assert "Manuelle kopier slettes aldrig" in text
    assert "beholdes i 14 dage" in text and "KASSE_BACKUP_KEEP" in text
    assert "--keep" not in done.out


def test_cli_encrypted_backup_takes_the_passphrase_from_the_environment(db):
    done = run_kasse("backup", "--encrypt", db=db, env={"KASSE_BACKUP_PASSPHRASE": PASSPHRASE})
    assert done.code == 0, done.err
    assert "(krypteret)" in done.out
    (made,) = (db.parent / "backups").iterdir()
    assert made.name.endswith("Z-manual.db.enc")
    assert decrypted_counts(made) == counts(db)

    listed = run_kasse("backups", db=db)
    assert "manuel, krypteret" in " ".join(listed.out.split())

    narrow = run_kasse("backups", db=db, env={"COLUMNS": "80"})  # the name restore needs stays whole on its line
    assert made.name in narrow.out and max(len(line) for line in narrow.out.splitlines()) <= 80


def test_cli_encrypt_without_a_terminal_or_passphrase_is_refused(db):
    done = run_kasse("backup", "--encrypt", db=db, env={"KASSE_BACKUP_PASSPHRASE": ""})
    assert done.code == 1
    assert "KASSE_BACKUP_PASSPHRASE" in done.err
    assert "Traceback" not in done.err
    assert not (db.parent / "backups").exists() or not list((db.parent / "backups").iterdir())


def test_import_into_a_database_holding_data_leaves_an_automatic_backup(db, tmp_path):
    before = counts(db)
    source = tmp_path / "caseload.json"
    source.write_text(
        json.dumps(dump_document(demo_families(8, seed=9, today=d(TODAY))), ensure_ascii=False), encoding="utf-8"
    )

    assert run_kasse("import", str(source), "--dry-run", db=db).code == 0
    assert not (db.parent / "backups").exists()
    done = run_kasse("import", str(source), db=db)
    assert done.code == 0, done.err

    (made,) = (db.parent / "backups").iterdir()
    assert made.name.endswith("Z-auto.db")
    assert counts(made) == before
    assert os.stat(made).st_mode & 0o077 == 0


def test_import_into_a_new_database_makes_no_backup(tmp_path):
    source = tmp_path / "caseload.json"
    source.write_text(
        json.dumps(dump_document(demo_families(2, seed=9, today=d(TODAY))), ensure_ascii=False), encoding="utf-8"
    )
    db = tmp_path / "ny" / "kasse.db"
    assert run_kasse("import", str(source), db=db).code == 0
    assert not (db.parent / "backups").exists()


def test_one_automatic_backup_a_day(db):
    morning, evening = datetime(2026, 11, 23, 8, 0), datetime(2026, 11, 23, 17, 30)  # local time
    first = daily_backup(db, clock=clock_at(morning))
    assert first is not None and first.name == f"kasse-{morning.astimezone(UTC):%Y%m%dT%H%M%SZ}-auto.db"
    change(db, 1)
    assert daily_backup(db, clock=clock_at(evening)) is None
    assert daily_backup(db, clock=clock_at(morning + timedelta(days=1))) is not None
    assert [item.kind for item in list_backups(first.parent)] == [Kind.AUTOMATIC] * 2


def test_the_daily_backup_of_an_unchanged_database_stores_nothing(db):
    first = daily_backup(db, clock=clock_at(datetime(2026, 11, 23, 8, 0)))
    assert first is not None
    assert daily_backup(db, clock=clock_at(datetime(2026, 11, 24, 8, 0))) is None
    assert [item.path for item in list_backups(first.parent)] == [first]


def test_no_automatic_backup_of_an_empty_database(tmp_path):
    empty = tmp_path / "empty.db"
    open_database(empty).close()
    assert daily_backup(empty, clock=clock_at(datetime(2026, 11, 23, 8, 0))) is None
