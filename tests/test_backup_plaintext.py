"""No plaintext outside the database file: an encrypted backup is encrypted in memory, so a `--to` folder never
holds a readable byte - also when kasse is killed - and the temporary copies beside the database are private,
locked while in use, and swept at the next start-up."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from kasse.backup.copies import restore_candidate, take_backup
from kasse.backup.temp_copies import private_temp, remove_stray_temp_files, stray_temp_files
from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.demo import demo_persons
from tests.cli_helpers import run_kasse
from tests.factories import family, person
from tests.tui_support import app_on, settle

TODAY = date(2026, 11, 23)
PASSPHRASE = "rødgrød med fløde"
SQLITE_HEADER = b"SQLite format 3\0"


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """A caseload of 1,500 persons (about 6 MB): a backup takes long enough to be caught in the middle."""
    path = tmp_path_factory.mktemp("big") / "kasse.db"
    with open_database(path) as database:
        import_families(Store(database), demo_persons(1500, seed=4, today=TODAY))
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def personal_data(db: Path) -> re.Pattern[bytes]:
    """Names and CPR numbers from the caseload, long enough never to turn up in ciphertext by chance."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT name, cpr FROM person WHERE cpr IS NOT NULL ORDER BY id LIMIT 40").fetchall()
    needles = {value.encode() for row in rows for value in row if len(value.encode()) >= 10}
    return re.compile(b"|".join(re.escape(needle) for needle in sorted(needles)))


def kasse_process(*args: str, db: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    environment = {key: value for key, value in os.environ.items() if key not in {"KASSE_DB", "KASSE_RULES"}}
    environment.update({"NO_COLOR": "1", "KASSE_CONFIG": os.devnull + ".kasse.toml", **(env or {})})
    return subprocess.Popen(
        [sys.executable, "-m", "kasse", *args, "--db", str(db)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_and_kill(process: subprocess.Popen, fired, after: float | None, watch) -> None:
    """Call `watch()` as often as possible while the process runs; kill -9 it `after` seconds once `fired()`
    (never when `after` is None)."""
    fired_at = None
    while process.poll() is None:
        watch()
        if fired_at is None and fired():
            fired_at = time.monotonic()
        if after is not None and fired_at is not None and time.monotonic() - fired_at >= after:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.0005)  # two cores: leave the watched process most of one
    process.wait(timeout=60)
    watch()


def headers(folder: Path) -> list[bytes]:
    found = []
    for path in folder.glob("*") if folder.is_dir() else ():
        try:
            with path.open("rb") as file:
                found.append(file.read(len(SQLITE_HEADER)))
        except FileNotFoundError:  # renamed or removed meanwhile
            continue
    return found


def writing(folder: Path):
    return lambda: folder.is_dir() and any(folder.glob(".kasse-tmp-*"))


# Killed as the first byte is written, in the middle, near the end; then once left to finish - which also clears
# what the killed runs left there.
MOMENTS = (0.0, 0.004, 0.015, None)


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_an_encrypted_backup_puts_no_plaintext_in_the_to_folder_even_when_killed(big_db, tmp_path):
    secrets = personal_data(big_db)
    assert secrets.search(big_db.read_bytes())  # the test can fail: the data is there in plaintext
    env = {"KASSE_BACKUP_PASSPHRASE": PASSPHRASE}
    folder = tmp_path / "usb"
    seen: list[bytes] = []
    outcomes = []
    for after in MOMENTS:
        process = kasse_process("backup", "--encrypt", "--to", str(folder), db=big_db, env=env)
        run_and_kill(process, writing(folder), after, lambda: seen.extend(headers(folder)))
        outcomes.append(process.returncode)
        for path in folder.glob("*") if folder.is_dir() else ():
            data = path.read_bytes()
            assert not data.startswith(SQLITE_HEADER), path.name
            assert secrets.search(data) is None, path.name
            assert path.name.endswith(".enc")  # a finished backup, or the ciphertext a killed one was writing

    assert seen and not any(header.startswith(b"SQLite format") for header in seen)
    assert outcomes == [-signal.SIGKILL] * 3 + [0]
    (finished,) = folder.iterdir()
    assert finished.name.endswith("Z-manual.db.enc")
    assert run_kasse("backups", db=big_db).code == 0  # the next start-up
    assert stray_temp_files(big_db) == []
    assert [path.name for path in big_db.parent.iterdir() if path.name.startswith(".kasse")] == []


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_a_killed_plain_backup_leaves_no_half_backup_and_its_temporary_copy_goes_at_the_next_start(big_db):
    folder = big_db.parent / "backups"
    left = []
    for after in MOMENTS[:-1]:
        run_and_kill(kasse_process("backup", db=big_db), writing(big_db.parent), after, lambda: None)
        for path in folder.glob("kasse-*") if folder.is_dir() else ():
            with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
                assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            path.unlink()  # so the next run is not "unchanged", and writes again
        for path in big_db.parent.glob(".kasse-tmp-*"):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            left.append(path)

    assert left  # a killed run left its plaintext copy beside the database (and only there)
    assert run_kasse("backups", db=big_db).code == 0
    assert stray_temp_files(big_db) == []
    assert list(big_db.parent.glob(".kasse-tmp-*")) == []


def test_a_stray_copy_goes_at_start_up_but_one_a_running_kasse_holds_stays(tmp_path):
    db = tmp_path / "kasse.db"
    open_database(db).close()
    stray = tmp_path / ".kasse-tmp-abc123.db"
    stray.write_bytes(SQLITE_HEADER + b"a copy a killed restore left")
    journal = tmp_path / ".kasse-tmp-abc123.db-journal"
    journal.write_bytes(b"its journal")
    legacy = tmp_path / "backups" / ".kasse-x1y2z3.tmp"  # named as kasse named them before
    legacy.parent.mkdir()
    legacy.write_bytes(SQLITE_HEADER)
    mine = tmp_path / "notes.tmp"
    mine.write_bytes(b"not ours")

    with private_temp(tmp_path) as held:
        assert stat.S_IMODE(held.stat().st_mode) == 0o600
        assert stray_temp_files(db) == sorted([legacy, stray, journal])

        assert run_kasse("check", db=db).code in (0, 1)  # check reports them and leaves them
        assert stray.exists() and journal.exists()
        assert run_kasse("overdue", db=db, env={}).code == 0  # any other command sweeps at start

        assert not stray.exists() and not journal.exists() and not legacy.exists()
        assert held.exists()  # a running kasse's copy stays
        assert mine.read_bytes() == b"not ours"
    assert not held.exists()


def test_sweeping_skips_a_link_and_counts_what_it_removed(tmp_path):
    db = tmp_path / "kasse.db"
    target = tmp_path / "elsewhere.db"
    target.write_bytes(b"kept")
    (tmp_path / ".kasse-tmp-link01.db").symlink_to(target)
    (tmp_path / ".kasse-tmp-gone01.db").write_bytes(b"x")

    assert remove_stray_temp_files(db) == 1
    assert (tmp_path / ".kasse-tmp-link01.db").is_symlink() and target.read_bytes() == b"kept"


def test_a_temporary_copy_is_removed_however_the_call_ends(tmp_path):
    with pytest.raises(RuntimeError), private_temp(tmp_path) as temp:
        with sqlite3.connect(temp) as connection:
            connection.execute("CREATE TABLE t (x)")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_restoring_an_encrypted_backup_decrypts_in_memory(big_db, tmp_path):
    usb = tmp_path / "usb"
    encrypted = take_backup(big_db, folder=usb, passphrase=PASSPHRASE)
    live = tmp_path / "live" / "kasse.db"
    open_database(live).close()
    before = set(live.parent.iterdir())

    with restore_candidate(encrypted, live, lambda: PASSPHRASE) as candidate:
        assert list(usb.iterdir()) == [encrypted]  # nothing decrypted beside the backup
        (new,) = set(live.parent.iterdir()) - before
        assert new == candidate.path and stat.S_IMODE(new.stat().st_mode) == 0o600
        assert new.read_bytes().startswith(SQLITE_HEADER)
    assert set(live.parent.iterdir()) == before


async def test_the_app_sweeps_stray_copies_when_it_starts(tmp_path):
    app = app_on(tmp_path, family(person("P-1"), ref="F-1"))
    stray = tmp_path / ".kasse-tmp-app001.db"
    stray.write_bytes(SQLITE_HEADER + b"left by a killed kasse")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert not stray.exists()
