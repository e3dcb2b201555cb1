"""Rotation by kind and age, not by name: automatic backups keep the last 14 days, manual and encrypted ones are
never rotated away, the backup just made always stays, failed imports change nothing, and links and other files
in the folder are never followed or touched."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import DBAPIError

from kasse.backup.copies import Kind, back_up, backup_if_has_data, list_backups, rotate_after, take_backup
from kasse.backup.files import NamedBackup, our_backups, to_rotate
from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.demo import demo_families
from kasse.errors import KasseError
from kasse.interchange.transfer import import_file
from kasse.interchange.v1 import dump_document
from tests.cli_helpers import run_kasse

TODAY = date(2026, 11, 23)
DAY_ONE = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PASSPHRASE = "rødgrød med fløde"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "kasse.db"
    with open_database(path) as database:
        import_families(Store(database), demo_families(3, seed=5, today=TODAY))
    return path


def change(db: Path) -> None:
    """Any change to the content, so the next backup is not identical to the last."""
    with sqlite3.connect(db) as connection:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute(f"PRAGMA user_version = {version + 1}")


def at(moment: datetime):
    return lambda: moment


def daily_automatic(db: Path, first: datetime, days: int, folder: Path | None = None) -> list[Path]:
    made = []
    for day in range(days):
        change(db)
        made.append(take_backup(db, folder=folder, clock=at(first + timedelta(days=day))))
    return made


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def state(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def test_twenty_days_of_daily_automatic_backups_keep_the_last_fourteen_days(db):
    made = daily_automatic(db, DAY_ONE, 20)

    kept = [item.path for item in our_backups(db.parent / "backups")]
    assert kept == made[-14:]


def test_every_automatic_backup_of_the_last_fourteen_days_is_kept_however_many(db):
    made = []
    for hour in range(40):  # forty imports in two days
        change(db)
        made.append(take_backup(db, clock=at(DAY_ONE + timedelta(hours=hour))))
    assert [item.path for item in our_backups(db.parent / "backups")] == made


def test_weeks_without_kasse_never_empty_the_folder(db):
    made = daily_automatic(db, DAY_ONE, 5)
    change(db)
    after_holiday = take_backup(db, clock=at(DAY_ONE + timedelta(days=60)))

    assert [item.path for item in our_backups(db.parent / "backups")] == [*made, after_holiday]


def test_keep_env_sets_the_days(db, monkeypatch):
    monkeypatch.setenv("KASSE_BACKUP_KEEP", "3")
    made = daily_automatic(db, DAY_ONE, 6)
    assert [item.path for item in our_backups(db.parent / "backups")] == made[-3:]


def test_thirty_automatic_backups_never_remove_a_manual_or_encrypted_one(db):
    folder = db.parent / "backups"
    manual = back_up(db, kind=Kind.MANUAL, clock=at(DAY_ONE - timedelta(days=90))).path
    encrypted = back_up(db, kind=Kind.MANUAL, passphrase=PASSPHRASE, clock=at(DAY_ONE - timedelta(days=90))).path
    encrypted_automatic = take_backup(db, passphrase=PASSPHRASE, clock=at(DAY_ONE - timedelta(days=80)))
    old_encrypted = folder / "kasse-20250101-120000.db.enc"  # a name from before kinds
    old_encrypted.write_bytes(encrypted.read_bytes())

    made = daily_automatic(db, DAY_ONE, 30)

    assert {manual, encrypted, encrypted_automatic, old_encrypted} <= {item.path for item in our_backups(folder)}
    assert [item.path for item in our_backups(folder) if item.kind is Kind.AUTOMATIC and not item.encrypted] == (
        made[-14:]
    )


def test_old_named_plain_backups_are_rotated_as_automatic(db):
    folder = db.parent / "backups"
    folder.mkdir(mode=0o700)
    old = [folder / f"kasse-202601{day:02d}-080000.db" for day in range(1, 21)]
    for path in old:
        path.write_bytes(b"an old backup")

    made = daily_automatic(db, DAY_ONE, 14)

    assert names(folder) == sorted(path.name for path in made)


def test_a_clock_moved_back_never_deletes_the_backup_just_made(db):
    folder = db.parent / "backups"
    later = daily_automatic(db, DAY_ONE, 20)
    for days_back in (1, 30, 400):
        change(db)
        taken = back_up(db, kind=Kind.AUTOMATIC, clock=at(DAY_ONE + timedelta(days=19 - days_back)))
        assert taken.stored and taken.path.is_file()
        assert set(later[-14:]) <= {item.path for item in our_backups(folder)}  # the later ones are not lost either


def test_a_time_zone_change_never_deletes_the_backup_just_made(db):
    made = []
    moment = DAY_ONE
    for day in range(20):
        zone = timezone(timedelta(hours=14 if day % 2 else -11))  # the laptop flies back and forth
        change(db)
        made.append(take_backup(db, clock=at((moment + timedelta(days=day)).astimezone(zone))))
        assert made[-1].is_file()
    assert [item.path for item in our_backups(db.parent / "backups")] == made[-14:]


def test_the_cli_says_saved_for_a_file_that_exists_after_the_clock_moved_back(db, tmp_path):
    folder = db.parent / "backups"
    future = datetime.now(UTC) + timedelta(days=1)
    daily_automatic(db, future, 20)  # backups "from the future": the clock has been set back since
    change(db)

    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14, then UTC-11
        done = run_kasse("backup", db=db, env={"TZ": zone})
        assert done.code == 0, done.err
        saved = Path(done.out.strip().removeprefix("Sikkerhedskopi gemt: "))
        assert saved.is_file(), done.out
        change(db)

    source = tmp_path / "more.json"
    source.write_text(
        json.dumps(dump_document(demo_families(2, seed=8, today=TODAY)), ensure_ascii=False), encoding="utf-8"
    )
    imported = run_kasse("import", str(source), db=db, env={"TZ": "Pacific/Kiritimati"})
    assert imported.code == 0, imported.err
    automatic_now = [item for item in our_backups(folder) if item.kind is Kind.AUTOMATIC and item.taken < future]
    assert len(automatic_now) == 1 and automatic_now[0].path.is_file()  # the import's own backup is there


# -- failed imports ------------------------------------------------------------------


def refusing_writes(db: Path) -> None:
    """A database whose next save fails inside the import's transaction (after its backup was taken)."""
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TRIGGER no_more_saves BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'nej'); END")


def test_fourteen_failed_imports_leave_the_history_untouched(db, tmp_path):
    folder = db.parent / "backups"
    now = datetime.now(UTC)
    daily_automatic(db, now - timedelta(days=40), 20)  # twenty days, all older than 14: rotation would take some
    history = state(folder)
    assert len(history) == 14

    new_families = tmp_path / "new.json"
    new_families.write_text(
        json.dumps(dump_document(demo_families(2, seed=21, today=TODAY)), ensure_ascii=False), encoding="utf-8"
    )
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "kasse/v1", "families": [{"ref": ', encoding="utf-8")
    refusing_writes(db)
    for attempt in range(14):
        with pytest.raises(KasseError if attempt % 2 else DBAPIError):  # refused file, or a save that failed
            import_file(broken if attempt % 2 else new_families, db, today=TODAY)
        assert state(folder) == history

    with sqlite3.connect(db) as connection:
        connection.execute("DROP TRIGGER no_more_saves")
    import_file(new_families, db, today=TODAY)  # a successful one does rotate
    after = state(folder)
    assert len(after) == 14 and len(set(after) - set(history)) == 1


def test_a_deferred_rotation_happens_only_when_asked(db):
    folder = db.parent / "backups"
    daily_automatic(db, DAY_ONE, 20)
    before = names(folder)
    change(db)

    taken = backup_if_has_data(db, clock=at(DAY_ONE + timedelta(days=40)), rotate=False)
    assert names(folder) == sorted([*before, taken.path.name])
    removed = rotate_after(taken)
    assert len(removed) == 1 and taken.path.is_file()


# -- links and other files -----------------------------------------------------------


def test_a_symlinked_backup_folder_is_refused_and_nothing_is_deleted_through_it(db, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    daily_automatic(db, DAY_ONE - timedelta(days=60), 20, folder=elsewhere)
    before = state(elsewhere)
    (db.parent / "backups").symlink_to(elsewhere, target_is_directory=True)

    change(db)
    with pytest.raises(KasseError, match="symbolsk link"):
        take_backup(db, clock=at(DAY_ONE))
    with pytest.raises(KasseError, match="symbolsk link"):
        list_backups(db.parent / "backups")
    done = run_kasse("backup", db=db)
    assert done.code == 1 and "symbolsk link" in done.err and "Traceback" not in done.err
    listed = run_kasse("backups", db=db)
    assert listed.code == 1 and "symbolsk link" in listed.err
    link = tmp_path / "link"
    link.symlink_to(elsewhere, target_is_directory=True)
    to_link = run_kasse("backup", "--to", str(link), db=db)
    assert to_link.code == 1 and "symbolsk link" in to_link.err

    assert state(elsewhere) == before


def test_a_symlinked_file_in_the_folder_is_neither_listed_nor_deleted_nor_followed(db, tmp_path):
    folder = db.parent / "backups"
    folder.mkdir(mode=0o700)
    target = tmp_path / "precious.db"
    target.write_bytes(b"not kasse's to delete")
    link = folder / "kasse-20200101T000000Z-auto.db"
    link.symlink_to(target)
    old_link = folder / "kasse-20200102-000000.db"
    old_link.symlink_to(target)

    made = daily_automatic(db, DAY_ONE, 20)

    assert link.is_symlink() and old_link.is_symlink()
    assert target.read_bytes() == b"not kasse's to delete"
    assert [item.path for item in list_backups(folder)] == list(reversed(made[-14:]))


def test_other_files_in_the_folder_are_never_touched(db):
    folder = db.parent / "backups"
    folder.mkdir(mode=0o700)
    foreign = {
        "notes.txt": b"mine",
        "kasse-manual.db": b"mine too",
        "kasse-2026.db": b"and this",
        "kasse-20261399-999999.db": b"no such time",
        "kasse-20200101T000000Z-weekly.db": b"not a kind of ours",
        "kasse-20200101T000000Z-auto.db.bak": b"a copy the user made",
    }
    for name, content in foreign.items():
        (folder / name).write_bytes(content)

    daily_automatic(db, DAY_ONE, 20)

    assert {name: (folder / name).read_bytes() for name in foreign} == foreign
    assert len(our_backups(folder)) == 14


# -- the rule itself, for any folder -------------------------------------------------


moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(moments, st.sampled_from(list(Kind)), st.booleans()), min_size=1, max_size=40),
    moments,
    st.integers(min_value=1, max_value=20),
    st.data(),
)
def test_rotation_never_takes_the_new_a_manual_an_encrypted_or_a_recent_day(files, now, days, data):
    backups = [
        NamedBackup(Path(f"kasse-{index}"), taken, kind, encrypted, 0)
        for index, (taken, kind, encrypted) in enumerate(files)
    ]
    spare = data.draw(st.sampled_from(backups)).path

    doomed = to_rotate(backups, now=now, days=days, spare=spare)

    kept = [item for item in backups if item not in doomed]
    assert spare not in {item.path for item in doomed}
    assert all(item.kind is Kind.AUTOMATIC and not item.encrypted for item in doomed)
    assert all(item.taken <= now - timedelta(days=days) for item in doomed)
    automatic_days = {item.taken.date() for item in backups if item.rotated}
    kept_days = {item.taken.date() for item in kept if item.rotated}
    assert len(kept_days) >= min(days, len(automatic_days))
