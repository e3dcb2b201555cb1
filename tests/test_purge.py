"""`kasse purge`: persons who left long ago anonymised everywhere - records, journal, index, tasks, audit trail,
access log and the file's bytes - with the statistics and `kasse check` as they were."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kasse.access_log import look
from kasse.backup.integrity import check_database
from kasse.data import access_log
from kasse.data.db import open_database
from kasse.data.journal import journal_transaction
from kasse.data.journal_reads import search_notes
from kasse.data.purge import PURGE_FIELD, PURGE_TABLE, purge
from kasse.data.reader import read_families
from kasse.data.store import Store
from kasse.domain import Area, ChecklistItem, Contract, FamilyPlan, FollowUp, Goal, Phase
from kasse.errors import KasseError
from kasse.journal import JournalNote, NoteKind, Task
from kasse.lookups import search_persons
from kasse.retention import ANONYMISED
from kasse.stats import statistics_of, statistics_record
from tests.cli_helpers import run_kasse
from tests.databases import new_database_file
from tests.factories import family, person

NAME = "Zyxwvutsen"  # in every purged person's name and texts, and nowhere else
CPRS = ("150372-4891", "020280-1113")  # the purged persons' CPR numbers
KEPT_NAME, KEPT_CPR = "Aktivsen Blivhær", "030385-2224"
LEFT_BEFORE = date(2022, 1, 1)
TODAY = date(2026, 11, 23)
CLOCK = lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _gone_family():
    applicant = person(
        "P-GONE-1", name=f"{NAME}n Qåjbrøt", cpr=CPRS[0], born="1972-03-15", takeover="2017-02-01",
        left="2021-06-30", left_reason=f"Job hos {NAME} VVS", nationality="Syrien",
        contract=Contract(signed_date=date(2017, 3, 1), goal=f"{NAME} vil være bager",
                          activities=(f"Praktik hos {NAME}",)),
        goals=(Goal(Area.DANISH_EMPLOYMENT, f"{NAME} består PD2", (f"{NAME} modul 3",)),),
    )
    child = person("P-GONE-2", name=f"Lille {NAME}", born="2012-05-01", takeover="2017-02-01", left="2021-06-30")
    return dataclasses.replace(
        family(applicant, child, ref="F-GONE"),
        coordinating_department=f"Team {NAME}",
        plan=FamilyPlan(date(2017, 4, 1), 6, (FollowUp(date(2017, 10, 1), f"{NAME} er glade"),)),
        checklist=(ChecklistItem(Phase.ARRIVAL, f"Nøgler til {NAME}"),),
    )


def _caseload(db: Path) -> None:
    """Three families: one all gone before LEFT_BEFORE, one with a member gone and one here, one gone since."""
    mixed = family(
        person("P-MIX-1", name=f"Pqlomnivar {NAME}", cpr=CPRS[1], born="1980-02-02", left="2020-01-01"),
        person("P-MIX-2", name=KEPT_NAME, cpr=KEPT_CPR, born="1985-03-03", left_reason="Job som bager"),
        ref="F-MIXED",
    )
    recent = family(person("P-REC", name="Nyligsen Flyttet", left="2023-05-01", left_reason="Job"), ref="F-REC")
    gone = _gone_family()
    with open_database(new_database_file(db), clock=CLOCK) as database:
        store = Store(database, actor="anna", clock=CLOCK)
        with store.transaction() as transaction:
            transaction.save_families([recent, gone, mixed])  # the trail's first row (its lineage) is kept
        with store.transaction() as transaction:  # a correction: the trail now holds the name as old and new value
            corrected = dataclasses.replace(gone.members[0], name=f"{NAME} Qåjbrøt")
            transaction.save_person("F-GONE", corrected)
        with journal_transaction(store) as writes:
            for uid, family_ref, person_ref, text, corrects in (
                ("n-gone-family", "F-GONE", None, f"Hjemmebesøg hos {NAME}, Ålborg", None),
                ("n-gone-person", "F-GONE", "P-GONE-1", f"Samtale med {NAME}n om job", None),
                ("n-gone-fix", "F-GONE", "P-GONE-1", f"Rettelse: {NAME} Qåjbrøt", "n-gone-person"),
                ("n-mix-gone", "F-MIXED", "P-MIX-1", f"{NAME} flytter til Ålborg", None),
                ("n-mix-family", "F-MIXED", None, "Familien har fået ny bolig i Ålborg", None),
                ("n-mix-kept", "F-MIXED", "P-MIX-2", "Aktivsen taler godt dansk", None),
            ):
                writes.append_note(JournalNote(uid, family_ref, person_ref, datetime(2020, 5, 1, 10), "anna",
                                               NoteKind.NOTE, text, corrects))
            for uid, family_ref, person_ref, title in (
                ("t-gone", "F-GONE", None, f"Ring til {NAME}"),
                ("t-mix-gone", "F-MIXED", "P-MIX-1", f"Send brev til {NAME}"),
                ("t-mix-kept", "F-MIXED", "P-MIX-2", "Book tolk til Aktivsen"),
            ):
                writes.add_task(Task(uid, family_ref, person_ref, title, date(2020, 6, 1), None,
                                     datetime(2020, 5, 1, 10), "anna"))
    for family_ref, person_ref in (("F-GONE", "P-GONE-1"), ("F-GONE", None), ("F-MIXED", "P-MIX-2")):
        access_log.log(db, look(family_ref, person_ref, at=CLOCK(), actor="anna", command="show"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kasse.db"
    _caseload(path)
    return path


def _file_bytes(db: Path) -> bytes:
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _secrets_in(data: bytes) -> list[str]:
    folded = data.lower()
    wanted = [NAME, *CPRS, *(cpr.replace("-", "") for cpr in CPRS)]
    return [text for text in wanted if text.lower().encode() in folded]


def _families(db: Path) -> dict:
    with closing(sqlite3.connect(db)) as connection:
        return {found.ref: found for found in read_families(connection)}


def _figures(db: Path) -> dict:
    families = list(_families(db).values())
    return statistics_record(statistics_of(families, start=date(2015, 1, 1), end=TODAY, today=TODAY))


def test_the_file_holds_no_purged_name_or_cpr_afterwards(db):
    assert _secrets_in(_file_bytes(db)) == [NAME, *CPRS]  # there to begin with (CPR as typed)

    # Another program (the app) has the file open: closing the purge's connections does not empty the WAL then.
    with closing(sqlite3.connect(db)) as other:
        other.execute("SELECT count(*) FROM person").fetchone()
        purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)
        data = _file_bytes(db)
    assert _secrets_in(data) == []
    assert KEPT_NAME.encode() in data and KEPT_CPR.encode() in data
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_purge_counts_what_it_anonymised_and_records_it_without_names(db):
    purged = purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)

    assert purged.persons == ("P-GONE-1", "P-GONE-2", "P-MIX-1")
    assert purged.families == ("F-GONE",)
    assert (purged.notes, purged.tasks, purged.access_log_rows) == (4, 2, 2)  # a look at P-GONE-1, one at F-GONE
    assert purged.audit_rows >= 6  # created persons and family, the name's correction, the two tasks
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT actor, new_value FROM audit WHERE table_name = ? AND field = ?",
                                  (PURGE_TABLE, PURGE_FIELD)).fetchall()
    assert len(rows) == 1 and rows[0][0] == "anna"
    assert json.loads(rows[0][1]) == {"left_before": "2022-01-01", "persons": 3, "families": 1, "notes": 4,
                                      "tasks": 2, "audit_rows": purged.audit_rows, "access_log_rows": 2}


def test_kasse_check_passes_after_a_purge_and_the_guards_are_back(db):
    purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)

    assert check_database(db).ok
    with closing(sqlite3.connect(db)) as connection:
        for statement in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit", "UPDATE journal_note SET text = 'x'",
                          "DELETE FROM journal_note"):
            with pytest.raises(sqlite3.IntegrityError):
                connection.execute(statement)
        connection.execute("INSERT INTO journal_fts (journal_fts) VALUES ('integrity-check')")


def test_statistics_are_the_same_before_and_after(db):
    before = _figures(db)
    purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)
    assert _figures(db) == before
    assert before["self_supporting"]["persons"] >= 1  # P-GONE-1 left for a job: still counted


def test_searches_find_no_purged_name_and_still_find_the_rest(db):
    purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)

    assert search_persons(db, NAME) == []
    assert [hit.person.ref for hit in search_persons(db, "Aktivsen")] == ["P-MIX-2"]
    with closing(sqlite3.connect(db)) as connection:
        assert search_notes(connection, NAME) == []
        assert search_notes(connection, "Qåjbrøt") == []
        assert {hit.uid for hit in search_notes(connection, "Aalborg")} == {"n-mix-family"}
        assert {hit.uid for hit in search_notes(connection, "aktivsen")} == {"n-mix-kept"}
        assert len(search_notes(connection, ANONYMISED)) == 4  # the replaced texts are indexed as they now read


def test_the_export_holds_no_purged_name(db, tmp_path):
    purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)

    target = tmp_path / "alle.json"
    result = run_kasse("export", str(target), "--today", TODAY.isoformat(), db=db)
    assert result.code == 0, result.err
    assert _secrets_in(target.read_bytes()) == []
    assert KEPT_NAME in target.read_text(encoding="utf-8")


def test_who_did_not_leave_before_the_day_is_untouched(db):
    before = _families(db)
    purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)
    after = _families(db)

    kept = {ref: found.members for ref, found in before.items()}
    assert after["F-REC"] == before["F-REC"]
    assert [p for p in after["F-MIXED"].members if p.ref == "P-MIX-2"] == [kept["F-MIXED"][1]]
    assert dataclasses.replace(after["F-MIXED"], members=()) == dataclasses.replace(before["F-MIXED"], members=())
    gone = after["F-GONE"].members[0]
    assert (gone.name, gone.cpr, gone.left_date, gone.birth_date) == (ANONYMISED, None, date(2021, 6, 30),
                                                                      date(1972, 3, 15))
    with closing(sqlite3.connect(db)) as connection:
        titles = dict(connection.execute("SELECT uid, title FROM task"))
        versions = dict(connection.execute("SELECT ref, version FROM person"))
        log_refs = [row[0] for row in connection.execute("SELECT record_ref FROM access_log ORDER BY id")]
    assert titles == {"t-gone": ANONYMISED, "t-mix-gone": ANONYMISED, "t-mix-kept": "Book tolk til Aktivsen"}
    assert versions["P-GONE-1"] == 3 and versions["P-MIX-2"] == 1  # an edit opened before the purge is refused
    assert log_refs == ["anonymiseret", "anonymiseret", "P-MIX-2"]


def test_a_dry_run_counts_the_same_and_changes_nothing(db):
    before = (_families(db), _file_rows(db))
    dry = purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK, dry_run=True)

    assert (_families(db), _file_rows(db)) == before
    assert purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK) == dry


def test_a_second_purge_changes_nothing(db):
    purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)
    rows = _file_rows(db)

    again = purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)

    assert not again.changed
    assert _file_rows(db) == rows


def test_a_failure_rolls_everything_back(db):
    """A trail already broken (rows changed behind kasse's back) fails the check before commit: nothing changes."""
    with closing(sqlite3.connect(db, isolation_level=None)) as connection:
        connection.execute("DROP TRIGGER audit_no_update")
        connection.execute("UPDATE audit SET actor = 'mallory' WHERE id = (SELECT max(id) FROM audit)")
        connection.execute("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END")
    before = (_families(db), _file_rows(db))

    with pytest.raises(KasseError, match="Loggen er allerede brudt ved række .* Intet er ændret"):
        purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)

    assert (_families(db), _file_rows(db)) == before


def test_a_failure_at_the_last_step_rolls_back_the_records_journal_and_trail_too(db):
    """The access log is written last: refused there, the records, notes, trail and lifted triggers are as before."""
    with closing(sqlite3.connect(db, isolation_level=None)) as connection:
        connection.execute("CREATE TRIGGER refuse BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'nej'); END")
    before = (_families(db), _file_rows(db), _file_bytes(db).count(NAME.encode()))

    with pytest.raises(sqlite3.IntegrityError, match="nej"):
        purge(db, LEFT_BEFORE, actor="anna", clock=CLOCK)

    assert (_families(db), _file_rows(db), _file_bytes(db).count(NAME.encode())) == before
    with closing(sqlite3.connect(db)) as connection:
        assert {hit.uid for hit in search_notes(connection, NAME)} == {"n-gone-family", "n-gone-person", "n-gone-fix",
                                                                       "n-mix-gone"}


def _file_rows(db: Path) -> tuple:
    """Every row of the history tables and their triggers: what a purge that changed nothing leaves alike."""
    with closing(sqlite3.connect(db)) as connection:
        return tuple(
            connection.execute(sql).fetchall()
            for sql in ("SELECT * FROM audit ORDER BY id", "SELECT * FROM journal_note ORDER BY id",
                        "SELECT * FROM task ORDER BY id", "SELECT * FROM access_log ORDER BY id",
                        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        )


# -- the command line ------------------------------------------------------------------------------


def _backups(db: Path) -> list[Path]:
    """The backups beside the database, oldest first."""
    from kasse.backup.files import our_backups

    folder = db.parent / "backups"
    return [item.path for item in our_backups(folder)] if folder.exists() else []


def test_kasse_purge_dry_run_says_how_many_and_which_refs_and_changes_nothing(db):
    before = (_families(db), _file_rows(db))
    result = run_kasse("purge", "--left-before", "2022-01-01", "--dry-run", db=db)

    assert result.code == 0, result.err
    assert "Fraflyttet før 01-01-2022: 3 borgere, 1 familie, 4 journalnotater, 2 opgaver" in result.out
    assert "Borgere: P-GONE-1, P-GONE-2, P-MIX-1" in result.out and "Familier: F-GONE" in result.out
    assert _secrets_in(result.out.encode()) == [] and "Pqlomnivar" not in result.out
    assert (_families(db), _file_rows(db)) == before
    assert _backups(db) == []


def test_kasse_purge_without_yes_refuses_when_it_cannot_ask(db):
    before = (_families(db), _file_rows(db))
    result = run_kasse("purge", "--left-before", "2022-01-01", db=db, stdin="j\n")

    assert result.code == 1
    assert "kræver bekræftelse" in result.err and "--yes" in result.err
    assert (_families(db), _file_rows(db)) == before


def test_kasse_purge_asks_in_danish_and_no_leaves_everything(db):
    before = (_families(db), _file_rows(db))
    result = _run_in_terminal(db, answer="n")

    assert "Anonymisér dem?" in result and "[j/N]" in result
    assert "afbrudt - intet er ændret" in result
    assert (_families(db), _file_rows(db)) == before and _backups(db) == []


def test_kasse_purge_asks_in_danish_and_ja_purges(db):
    result = _run_in_terminal(db, answer="j")

    assert "Anonymiseret: 3 borgere" in result
    assert _secrets_in(_file_bytes(db)) == []


def test_kasse_purge_yes_backs_up_first_and_check_stats_and_search_agree_after(db):
    stats = ("stats", "--json", "--from", "2015-01-01", "--to", TODAY.isoformat(), "--today", TODAY.isoformat())
    before = run_kasse(*stats, db=db)

    result = run_kasse("purge", "--left-before", "2022-01-01", "--yes", db=db)

    assert result.code == 0, result.err
    taken = _backups(db)
    assert len(taken) == 2  # before (still holding the names, rotated away with the automatic ones) and after
    assert f"Sikkerhedskopi fra før anonymiseringen: {taken[0]}" in result.out
    assert _secrets_in(taken[0].read_bytes()) == [NAME, *CPRS] and _secrets_in(taken[1].read_bytes()) == []
    assert "Anonymiseret: 3 borgere, 1 familie, 4 journalnotater, 2 opgaver" in result.out
    assert _secrets_in(_file_bytes(db)) == []
    check = run_kasse("check", db=db)
    assert check.code == 0, check.out + check.err
    anchor = check_database(db).anchor  # the resealed trail is compared with the backup after, not the one before
    assert anchor is not None and anchor.ok and anchor.backup == taken[1]
    assert run_kasse(*stats, db=db).out == before.out
    search = run_kasse("search", NAME, db=db)
    assert search.code == 0 and NAME not in search.out
    again = run_kasse("purge", "--left-before", "2022-01-01", "--yes", db=db)
    assert again.code == 0 and "Ingen at anonymisere" in again.out


def test_kasse_purge_refuses_a_bad_date_and_a_missing_database(tmp_path):
    bad = run_kasse("purge", "--left-before", "i går", "--yes", db=tmp_path / "kasse.db")
    assert bad.code == 1 and "--left-before" in bad.err
    future = run_kasse("purge", "--left-before", "2027-01-01", "--today", "2026-12-07", "--yes", db=tmp_path / "kasse.db")
    assert future.code == 1 and "--left-before (01-01-2027) ligger efter i dag (07-12-2026)" in future.err
    missing = run_kasse("purge", "--left-before", "2022-01-01", "--yes", db=tmp_path / "kasse.db")
    assert missing.code == 1 and "findes ikke" in missing.err
    assert not (tmp_path / "kasse.db").exists()


def _run_in_terminal(db: Path, *, answer: str) -> str:
    """`kasse purge` with a terminal as its input, answering the question with `answer`; what it wrote."""
    import os
    import subprocess
    import sys

    main, terminal = os.openpty()
    try:
        os.write(main, f"{answer}\n".encode())
        environment = {**os.environ, "NO_COLOR": "1", "KASSE_CONFIG": os.devnull + ".kasse.toml"}
        done = subprocess.run([sys.executable, "-m", "kasse", "purge", "--left-before", "2022-01-01", "--db", str(db)],
                              stdin=terminal, capture_output=True, text=True, env=environment, timeout=120,
                              check=False)
    finally:
        os.close(terminal)
        os.close(main)
    return done.stdout + done.stderr
