"""kasse backup / backups: online copies that are verified, private, rotated and optionally encrypted."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kasse import backup_crypto
from kasse.backup import daily_backup, list_backups, take_backup
from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.demo import demo_families
from kasse.errors import KasseError
from kasse.interchange.v1 import dump_document
from tests.cli_helpers import run_kasse
from tests.factories import d

TODAY = "2026-11-23"
MOMENT = datetime(2026, 11, 23, 10, 15, 0)
PASSPHRASE = "rødgrød med fløde"


def caseload(path: Path, families: int = 5, seed: int = 3) -> Path:
    with open_database(path) as database:
        import_families(Store(database), demo_families(families, seed=seed, today=d(TODAY)))
    return path


def clock_at(moment: datetime):
    return lambda: moment


def counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as connection:
        return tuple(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("family", "person"))


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return caseload(tmp_path / "data" / "kasse.db")


def test_backup_is_named_by_time_private_verified_and_beside_the_database(db):
    made = take_backup(db, clock=clock_at(MOMENT))

    assert made == db.parent / "backups" / "kasse-20261123-101500.db"
    assert mode(made) == 0o600
    assert mode(made.parent) == 0o700
    assert integrity(made) == "ok"
    assert counts(made) == counts(db)
    assert sorted(path.name for path in made.parent.iterdir()) == [made.name]  # no temp file, no -wal


def test_two_backups_in_the_same_second_both_survive(db):
    first = take_backup(db, clock=clock_at(MOMENT))
    second = take_backup(db, clock=clock_at(MOMENT))

    assert first.name == "kasse-20261123-101500.db"
    assert second.name == "kasse-20261123-101500-1.db"


def test_rotation_keeps_the_newest_n_and_never_touches_other_files(db, tmp_path):
    folder = tmp_path / "kopier"
    folder.mkdir()
    foreign = [folder / "notes.txt", folder / "kasse-manual.db", folder / "kasse-2026.db"]
    for path in foreign:
        path.write_text("mine")
    for hour in range(5):
        take_backup(db, folder=folder, keep=3, clock=clock_at(MOMENT + timedelta(hours=hour)))

    ours = sorted(path.name for path in folder.glob("kasse-2026????-*.db"))
    assert ours == ["kasse-20261123-121500.db", "kasse-20261123-131500.db", "kasse-20261123-141500.db"]
    assert all(path.read_text() == "mine" for path in foreign)


def test_keep_comes_from_the_environment_when_not_given(db, monkeypatch):
    monkeypatch.setenv("KASSE_BACKUP_KEEP", "2")
    for minute in range(4):
        take_backup(db, clock=clock_at(MOMENT + timedelta(minutes=minute)))
    assert len(list_backups(db.parent / "backups")) == 2

    monkeypatch.setenv("KASSE_BACKUP_KEEP", "mange")
    with pytest.raises(KasseError, match="KASSE_BACKUP_KEEP"):
        take_backup(db, clock=clock_at(MOMENT))


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
    made = take_backup(db, passphrase=PASSPHRASE, clock=clock_at(MOMENT))

    assert made.name == "kasse-20261123-101500.db.enc"
    assert mode(made) == 0o600
    assert sorted(path.name for path in made.parent.iterdir()) == [made.name]
    blob = made.read_bytes()
    assert blob.startswith(b"KASSEENC1")
    assert b"SQLite format 3" not in blob
    plain = made.with_name("plain.db")
    plain.write_bytes(backup_crypto.decrypt(blob, PASSPHRASE))
    assert integrity(plain) == "ok"
    assert counts(plain) == counts(db)


def test_wrong_passphrase_and_a_changed_byte_are_refused():
    blob = backup_crypto.encrypt(b"SQLite format 3\0...", PASSPHRASE)
    with pytest.raises(KasseError, match="forkert adgangsudtryk"):
        backup_crypto.decrypt(blob, "forkert")
    flipped = bytearray(blob)
    flipped[len(flipped) // 2] ^= 0x01
    with pytest.raises(KasseError, match="ændret eller beskadiget"):
        backup_crypto.decrypt(bytes(flipped), PASSPHRASE)


def test_backup_of_a_missing_database_is_a_danish_error(tmp_path):
    with pytest.raises(KasseError, match="findes ikke"):
        take_backup(tmp_path / "intet.db")


# -- as a user runs it ---------------------------------------------------------------


def test_cli_backup_and_backups_list(db, tmp_path):
    folder = tmp_path / "kopier"
    for _ in range(3):
        done = run_kasse("backup", "--to", str(folder), "--keep", "2", db=db)
        assert done.code == 0, done.err
        assert "Sikkerhedskopi gemt" in done.out
    assert len(list(folder.iterdir())) == 2

    listed = run_kasse("backups", "--to", str(folder), "--json", db=db).json()
    families, persons = counts(db)
    assert [(row["families"], row["persons"], row["encrypted"]) for row in listed] == [(families, persons, False)] * 2

    table = run_kasse("backups", "--to", str(folder), db=db)
    assert table.code == 0
    assert "Tidspunkt" in table.out and "Personer" in table.out
    assert datetime.now().strftime("%d-%m-%Y") in table.out


def test_cli_encrypted_backup_takes_the_passphrase_from_the_environment(db):
    done = run_kasse("backup", "--encrypt", db=db, env={"KASSE_BACKUP_PASSPHRASE": PASSPHRASE})
    assert done.code == 0, done.err
    (made,) = (db.parent / "backups").iterdir()
    assert made.name.endswith(".db.enc")
    assert counts_of_decrypted(made) == counts(db)


def counts_of_decrypted(path: Path) -> tuple[int, int]:
    plain = path.with_name("plain.db")
    plain.write_bytes(backup_crypto.decrypt(path.read_bytes(), PASSPHRASE))
    try:
        return counts(plain)
    finally:
        plain.unlink()


def test_cli_encrypt_without_a_terminal_or_passphrase_is_refused(db):
    done = run_kasse("backup", "--encrypt", db=db, env={"KASSE_BACKUP_PASSPHRASE": ""})
    assert done.code == 1
    assert "KASSE_BACKUP_PASSPHRASE" in done.err
    assert "Traceback" not in done.err
    assert not (db.parent / "backups").exists() or not list((db.parent / "backups").iterdir())


def test_import_into_a_database_holding_data_leaves_a_backup(db, tmp_path):
    before = counts(db)
    source = tmp_path / "caseload.json"
    source.write_text(json.dumps(dump_document(demo_families(8, seed=9, today=d(TODAY))), ensure_ascii=False),
                      encoding="utf-8")

    assert run_kasse("import", str(source), "--dry-run", db=db).code == 0
    assert not (db.parent / "backups").exists()
    done = run_kasse("import", str(source), db=db)
    assert done.code == 0, done.err

    (made,) = (db.parent / "backups").iterdir()
    assert counts(made) == before
    assert os.stat(made).st_mode & 0o077 == 0


def test_import_into_a_new_database_makes_no_backup(tmp_path):
    source = tmp_path / "caseload.json"
    source.write_text(json.dumps(dump_document(demo_families(2, seed=9, today=d(TODAY))), ensure_ascii=False),
                      encoding="utf-8")
    db = tmp_path / "ny" / "kasse.db"
    assert run_kasse("import", str(source), db=db).code == 0
    assert not (db.parent / "backups").exists()


def test_one_automatic_backup_a_day(db):
    morning, evening = datetime(2026, 11, 23, 8, 0), datetime(2026, 11, 23, 17, 30)
    first = daily_backup(db, clock=clock_at(morning))
    assert first is not None and first.name == "kasse-20261123-080000.db"
    assert daily_backup(db, clock=clock_at(evening)) is None
    assert daily_backup(db, clock=clock_at(morning + timedelta(days=1))) is not None
    assert len(list_backups(first.parent)) == 2


def test_no_automatic_backup_of_an_empty_database(tmp_path):
    empty = tmp_path / "empty.db"
    open_database(empty).close()
    assert daily_backup(empty, clock=clock_at(datetime(2026, 11, 23, 8, 0))) is None
