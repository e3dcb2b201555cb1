"""A restore loses nothing: no import racing it, no audit row from before it; it records itself and retires refs."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from kasse.backup.copies import restore_candidate, take_backup
from kasse.backup.restore import RESTORE_TABLE, restore_into
from kasse.data.audit_chain import verify
from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.demo import demo_families
from kasse.domain import Family
from kasse.errors import KasseError
from tests.cli_helpers import run_kasse
from tests.factories import d, descendant, person

TODAY = "2026-11-23"
AUDIT = "SELECT at, actor, table_name, record, field, old_value, new_value FROM audit"


def clock() -> datetime:
    return datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def caseload(path: Path, families: int, seed: int) -> Path:
    with open_database(path) as database:
        import_families(Store(database, actor="anna"), demo_families(families, seed=seed, today=d(TODAY)))
    return path


def refs(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {ref for (ref,) in connection.execute("SELECT ref FROM family")}


def audit_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(AUDIT + " ORDER BY id").fetchall()


def restore(source: Path, live: Path):
    with restore_candidate(source, live, lambda: "unused") as candidate:
        return restore_into(candidate, live, clock=clock, actor="bo")


@pytest.fixture
def live(tmp_path: Path) -> Path:
    return caseload(tmp_path / "data" / "kasse.db", 3, seed=1)


@pytest.fixture
def later_backup(live: Path, tmp_path: Path) -> Path:
    """A backup of the same database grown differently (5 families, other facts)."""
    (tmp_path / "other").mkdir()
    source = descendant(live, tmp_path / "other" / "kasse.db", demo_families(5, seed=2, today=d(TODAY)))
    return take_backup(source, clock=clock)


@pytest.fixture
def foreign_backup(tmp_path: Path) -> Path:
    """A backup of a database started elsewhere: the same refs for other people."""
    return take_backup(caseload(tmp_path / "foreign" / "kasse.db", 5, seed=2), clock=clock)


def write_until(stop: threading.Event, live: Path, prefix: str, committed: list[str]) -> None:
    """Import one new family after another until told to stop; `committed` lists those that committed."""
    with open_database(live) as database:
        store, number = Store(database, actor="skriver"), 0
        while not stop.is_set():
            ref = f"{prefix}-{number}"
            number += 1
            try:
                import_families(store, [Family(ref=ref, members=(person(f"P-{ref}"),))])
            except (KasseError, OperationalError):  # busy while the restore holds the lock
                continue
            committed.append(ref)
            # A caseworker's imports have gaps; back-to-back ones would starve the restore's lock (SQLite's
            # busy wait is not a queue), which under a loaded test machine made it give up after 5 s.
            stop.wait(0.002)


@pytest.mark.parametrize("round_", range(4))
def test_restore_racing_a_writer_loses_no_committed_import(live, later_backup, round_):
    """Each import that committed is either in the safety backup (before) or in the restored database (after)."""
    committed: list[str] = []
    stop = threading.Event()
    writer = threading.Thread(target=write_until, args=(stop, live, f"W-{round_}", committed))
    writer.start()
    try:
        while len(committed) < 1 + round_:  # restore at a different point of the writer's run each round
            stop.wait(0.005)
        restored = restore(later_backup, live)
        seen_after = len(committed)
        while len(committed) < seen_after + 2:
            stop.wait(0.005)
    finally:
        stop.set()
        writer.join()

    kept = refs(restored.previous) | refs(live)
    assert [ref for ref in committed if ref not in kept] == []
    assert committed[-1] in refs(live)


def test_restore_keeps_the_audit_rows_from_before_and_records_itself(live, later_backup):
    before = audit_rows(live)

    restored = restore(later_backup, live)

    after = audit_rows(live)
    assert after[: len(before)] == before
    assert set(audit_rows(later_backup)) <= set(after)  # the restored caseload's own history came with it
    *_, (_at, actor, table, _record, _field, _old, new) = after
    assert (table, actor) == (RESTORE_TABLE, "bo")
    assert later_backup.name in new and restored.previous.name in new
    with sqlite3.connect(live) as connection:
        assert verify(connection).ok


def test_restoring_an_earlier_backup_of_the_same_database_adds_only_the_restore_row(live):
    earlier = take_backup(live, clock=clock)
    with open_database(live) as database:
        import_families(Store(database, actor="anna"), [Family(ref="F-NY", members=(person("P-NY"),))])
    before = audit_rows(live)

    restored = restore(earlier, live)

    assert restored.audit_rows_added == 1
    assert audit_rows(live)[: len(before)] == before
    assert "F-NY" not in refs(live)
    assert run_kasse("check", db=live).code == 0


def test_a_ref_the_restore_removed_is_never_given_to_someone_else(live, later_backup):
    with open_database(live) as database:
        import_families(Store(database, actor="anna"), [Family(ref="F-KUN-HER", members=(person("P-KUN-HER"),))])
    gone = sorted(refs(live) - refs(later_backup))
    assert gone == ["F-KUN-HER"]

    restore(later_backup, live)

    with open_database(live) as database, pytest.raises(KasseError, match=gone[0]):
        import_families(Store(database), [Family(ref=gone[0], members=(person("P-ANDEN"),))])


def test_restore_through_the_cli_says_where_the_previous_state_is_and_check_passes(live, later_backup):
    done = run_kasse("restore", str(later_backup), "--yes", db=live)

    assert done.code == 0, done.err
    assert "Den hidtidige database er gemt som" in done.out
    assert run_kasse("check", db=live).code == 0


def test_a_backup_of_another_database_is_not_restored_over_this_one(live, foreign_backup):
    before = audit_rows(live)

    with pytest.raises(KasseError, match="en anden database"):
        restore(foreign_backup, live)
    done = run_kasse("restore", str(foreign_backup), "--yes", db=live)

    assert done.code == 1 and "en anden database" in done.err and "--db NY.db" in done.err
    assert audit_rows(live) == before
    fresh = live.parent / "ny.db"  # into a new file it goes, whole
    assert run_kasse("restore", str(foreign_backup), "--yes", db=fresh).code == 0
    assert refs(fresh) == refs(foreign_backup)


def test_a_restore_keeps_every_journal_note_of_both_sides(live, tmp_path):
    """Notes are append-only: those written after the backup survive the restore, and the backup's own arrive."""
    from kasse.data.journal import journal_transaction
    from kasse.data.journal_reads import all_notes
    from kasse.journal import JournalNote, NoteKind, new_uid

    def note(text: str) -> JournalNote:
        return JournalNote(new_uid(), refs_sorted[0], None, datetime(2026, 11, 20, 10, 0), "anna", NoteKind.PHONE, text)

    def write(path: Path, text: str) -> None:
        with open_database(path) as database, journal_transaction(Store(database, actor="anna")) as writes:
            writes.append_note(note(text))

    def texts(path: Path) -> set[str]:
        with sqlite3.connect(path) as connection:
            return {found.text for found in all_notes(connection)}

    refs_sorted = sorted(refs(live))
    write(live, "Ringede før backuppen")
    (tmp_path / "other").mkdir()
    grown = descendant(live, tmp_path / "other" / "kasse.db", demo_families(3, seed=1, today=d(TODAY)))
    write(grown, "Kun i backuppen")
    backup = take_backup(grown, clock=clock)
    write(live, "Skrevet efter backuppen")

    restore(backup, live)

    assert texts(live) == {"Ringede før backuppen", "Kun i backuppen", "Skrevet efter backuppen"}
    assert run_kasse("check", db=live).code == 0
