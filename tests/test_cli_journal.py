"""The journal and own tasks from the command line, as a caseworker or a script runs them: `kasse note`,
`journal`, `task`, `tasks`, `--tasks` on the lookups and notes in `search`, on a real database."""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import datetime

import pytest

from kasse.domain import Family, Role
from kasse.journal import JournalNote, NoteKind, Task
from tests.cli_helpers import run_kasse
from tests.databases import new_database_file
from tests.factories import d, person

TODAY = "2026-11-23"
ANNA = {"KASSE_USER": "anna"}
NOTE_KEYS = ["uid", "family", "person", "written_at", "author", "kind", "text", "corrects", "corrected_by"]
TASK_KEYS = ["uid", "family", "person", "name", "title", "due", "status", "days", "done", "author", "created_at"]
DEADLINE_KEYS = ["family", "person", "name", "rule", "title", "due", "status", "days", "met_date", "ruleset", "basis"]


@pytest.fixture(scope="module")
def caseload(tmp_path_factory):
    """F-1: Amina Hassan (P-1, applicant, with a CPR number) and Omar (P-2); F-2: Layla (P-3)."""
    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families

    path = tmp_path_factory.mktemp("journal") / "kasse.db"
    first = Family(ref="F-1", members=(
        person("P-1", name="Amina Hassan", cpr="010190-1234", takeover="2026-01-10"),
        person("P-2", name="Omar Hassan", role=Role.SPOUSE, takeover="2026-01-10"),
    ))
    second = Family(ref="F-2", members=(person("P-3", name="Layla Ali", takeover="2026-03-01"),))
    with open_database(new_database_file(path)) as database:
        import_families(Store(database, actor="test"), [first, second])
    return path


@pytest.fixture
def db(caseload, tmp_path):
    """A fresh copy of the caseload for each test: they write."""
    return shutil.copy(caseload, tmp_path / "kasse.db")


def kasse(*args: str, db, stdin: str | None = None):
    return run_kasse(*args, db=db, env=ANNA, stdin=stdin)


def written(result) -> str:
    """The short uid a write printed ("Notat 3f2a9c1e skrevet ...", "Opgave 0c4e1b2a oprettet ...")."""
    assert result.code == 0, result.err
    return re.match(r"(?:Notat|Opgave) (\w{8}) ", result.out)[1]


def write_directly(path, *, notes=(), tasks=()) -> None:
    """Notes and tasks with chosen uids, through the data layer (the CLI makes random ones)."""
    from kasse.data.db import open_database
    from kasse.data.journal import journal_transaction
    from kasse.data.store import Store

    with open_database(path) as database, journal_transaction(Store(database, actor="anna")) as writes:
        writes.append_notes(notes)
        writes.save_tasks(tasks)


def stored(path) -> tuple[list[JournalNote], list[Task]]:
    """Every note and task in the database, read directly."""
    from contextlib import closing

    from kasse.data import reader
    from kasse.data.journal_reads import all_notes
    from kasse.data.task_reads import tasks

    with closing(reader.connect(path)) as connection:
        return all_notes(connection), tasks(connection)


# ------------------------------------------------------------------------------------------------- the journal


def test_notes_are_appended_and_read_back_newest_first_with_kind_and_author_in_words(db):
    family_note = kasse("note", "F-1", "Samtale om sprogskolen.", "--kind", "samtale", "--at", "2026-11-20 14:30", db=db)
    member_note = kasse("note", "p-1", "Ringede til lægen.", "--kind", "phone", "--at", "21-11-2026 09:05", db=db)
    other_family = kasse("note", "F-2", "Brev sendt.", "--kind", "brev", "--at", "2026-11-22 08:00", db=db)

    assert "journalen for familie F-1" in family_note.out
    assert "journalen for P-1 (familie F-1)" in member_note.out
    records = kasse("journal", "F-1", "--json", db=db).json()
    assert [list(record) for record in records] == [NOTE_KEYS, NOTE_KEYS]
    assert [(r["uid"][:8], r["person"], r["written_at"], r["kind"], r["author"], r["text"]) for r in records] == [
        (written(member_note), "P-1", "2026-11-21T09:05:00", "phone", "anna", "Ringede til lægen."),
        (written(family_note), None, "2026-11-20T14:30:00", "conversation", "anna", "Samtale om sprogskolen."),
    ]
    assert written(other_family) not in str(records)
    # A member's journal: theirs and the family's own, not another member's.
    assert [r["text"] for r in kasse("journal", "P-2", "--json", db=db).json()] == ["Samtale om sprogskolen."]
    table = kasse("journal", "F-1", db=db).out
    assert "Journal for familie F-1" in table
    for shown in ("21-11-2026 09:05", "telefon", "samtale", "anna", "Amina Hassan", "Ringede til lægen.", "2 notater"):
        assert shown in table
    assert table.index("Ringede til lægen.") < table.index("Samtale om sprogskolen.")


def test_a_correction_is_a_new_note_and_both_stay_visible(db):
    original = written(kasse("note", "F-1", "Tolken deltog.", "--at", "2026-11-20 14:30", db=db))
    correcting = kasse("note", "F-1", "Rettelse: tolken deltog ikke.", "--corrects", original[:5],
                       "--at", "2026-11-21 10:00", db=db)

    assert f"retter notat {original}" in correcting.out
    newest, oldest = kasse("journal", "F-1", "--json", db=db).json()
    assert (oldest["text"], oldest["corrects"], oldest["corrected_by"]) == ("Tolken deltog.", None, [newest["uid"]])
    assert (newest["text"], newest["corrects"]) == ("Rettelse: tolken deltog ikke.", oldest["uid"])
    table = kasse("journal", "F-1", db=db).out
    assert "Tolken deltog." in table and "Rettelse: tolken deltog ikke." in table
    assert f"Rettet ved note {written(correcting)}" in table and f"Retter note {original}" in table


def test_journal_csv_has_the_json_keys_and_keeps_a_many_line_note_exact_with_formulas_quoted(db):
    text = "=HYPERLINK(\"x\")\nAnden linje æøå"
    assert kasse("note", "P-1", "-", "--at", "2026-11-20 14:30", db=db, stdin=text + "\n").code == 0

    out = kasse("journal", "F-1", "--csv", db=db).out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.splitlines()[0] == ",".join(NOTE_KEYS)
    assert [(row["text"], row["person"], row["written_at"], row["corrected_by"]) for row in rows] == [
        ("'" + text, "P-1", "2026-11-20T14:30:00", "")]
    assert kasse("journal", "F-1", "--json", db=db).json()[0]["text"] == text  # standard input, exactly
    assert "Anden linje æøå" in kasse("journal", "F-1", db=db).out  # its own line in the table


def test_a_notes_control_characters_never_reach_the_terminal(db):
    hostile = "Titel\x1b]0;hacked\x07 og \x9b31m farve"
    kasse("note", "F-1", "-", "--at", "2026-11-20 14:30", db=db, stdin=hostile)
    kasse("note", "F-1", "hacked farve", "--at", "2026-11-20 14:31", db=db)

    for args in (["journal", "F-1"], ["search", "hacked"]):
        shown = kasse(*args, db=db).out
        assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
        assert "␛]0;hacked␇" in shown, shown
    assert kasse("journal", "F-1", "--json", db=db).json()[1]["text"] == hostile


def test_an_empty_journal_is_said_in_danish_and_an_empty_list_in_json(db):
    assert "Ingen notater i journalen." in kasse("journal", "F-2", db=db).out
    assert kasse("journal", "F-2", "--json", db=db).json() == []


# ------------------------------------------------------------------------------------------------- tasks


def test_a_task_is_added_done_and_undone_and_listed_by_due_date(db):
    call = written(kasse("task", "P-1", "Ring til lægen", "--due", "20-11-2026", db=db))
    visit = written(kasse("task", "add", "F-1", "Hjemmebesøg", "--due", "2026-11-30", db=db))

    records = kasse("tasks", "--json", "--today", TODAY, db=db).json()
    assert [list(record) for record in records] == [TASK_KEYS, TASK_KEYS]
    assert [(r["uid"][:8], r["person"], r["name"], r["title"], r["due"], r["status"], r["days"], r["done"], r["author"])
            for r in records] == [
        (call, "P-1", "Amina Hassan", "Ring til lægen", "2026-11-20", "overdue", -3, None, "anna"),
        (visit, None, "Amina Hassan", "Hjemmebesøg", "2026-11-30", "due_soon", 7, None, "anna"),
    ]
    done = kasse("task", "done", call, "--today", "2026-11-22", db=db)
    assert done.out == f"Opgave {call} er udført 22-11-2026\n"
    assert "allerede udført 22-11-2026" in kasse("task", "done", call[:4], db=db).out
    assert [r["title"] for r in kasse("tasks", "--json", "--today", TODAY, db=db).json()] == ["Hjemmebesøg"]
    every = kasse("tasks", "--all", "--json", "--today", TODAY, db=db).json()
    assert [(r["title"], r["status"], r["done"]) for r in every] == [
        ("Ring til lægen", "met_late", "2026-11-22"), ("Hjemmebesøg", "due_soon", None)]
    # On a day before it was done, it was still open.
    assert len(kasse("tasks", "--json", "--today", "2026-11-21", db=db).json()) == 2

    assert kasse("task", "done", call, "--undo", db=db).out == f"Opgave {call} er åben igen\n"
    assert len(kasse("tasks", "--json", "--today", TODAY, db=db).json()) == 2
    table = kasse("tasks", "--today", TODAY, db=db).out
    for shown in ("20-11-2026", "3 dage over", "Overskredet", "Ring til lægen", call, "2 opgaver"):
        assert shown in table


def test_tasks_csv_has_the_json_keys_as_header_and_quotes_a_title_against_formulas(db):
    uid = written(kasse("task", "P-1", "=Ring til lægen", "--due", "2026-11-20", db=db))
    lines = kasse("tasks", "--csv", "--today", TODAY, db=db).out.splitlines()
    assert lines[0] == ",".join(TASK_KEYS)
    assert ",'=Ring til lægen,2026-11-20,overdue,-3,,anna," in lines[1]
    kasse("task", "done", uid, "--today", TODAY, db=db)
    assert kasse("tasks", "--today", TODAY, db=db).out == "Ingen åbne opgaver.\n"


def test_without_tasks_the_lookups_print_exactly_what_they_did_and_with_tasks_the_task_rows_too(db):
    lookups = [["overdue", "--json"], ["overdue", "--csv"], ["overdue"], ["due", "--json"], ["deadlines", "--csv"]]
    before = [kasse(*args, "--today", TODAY, db=db).out for args in lookups]
    kasse("task", "P-1", "Ring til lægen", "--due", "2026-11-20", db=db)
    kasse("task", "F-1", "Hjemmebesøg", "--due", "2026-11-30", db=db)
    done = written(kasse("task", "P-2", "Send brev", "--due", "2026-11-10", db=db))
    kasse("task", "done", done, "--today", "2026-11-09", db=db)

    assert [kasse(*args, "--today", TODAY, db=db).out for args in lookups] == before
    overdue = kasse("overdue", "--tasks", "--json", "--today", TODAY, db=db).json()
    tasks = [record for record in overdue if record["rule"] == "task"]
    assert tasks == [{"family": "F-1", "person": "P-1", "name": "Amina Hassan", "rule": "task",
                      "title": "Ring til lægen", "due": "2026-11-20", "status": "overdue", "days": -3,
                      "met_date": None, "ruleset": None, "basis": None}]
    assert [record for record in overdue if record["rule"] != "task"] == kasse(*lookups[0], "--today", TODAY,
                                                                             db=db).json()
    keys = [(record["due"], record["family"], record["person"] or "") for record in overdue]
    assert keys == sorted(keys)
    due = kasse("due", "--tasks", "--json", "--today", TODAY, db=db).json()
    assert [r["title"] for r in due if r["rule"] == "task"] == ["Ring til lægen", "Hjemmebesøg"]
    every = kasse("deadlines", "--all", "--tasks", "--json", "--today", TODAY, db=db).json()
    assert [(r["title"], r["status"], r["met_date"]) for r in every if r["rule"] == "task"] == [
        ("Send brev", "met", "2026-11-09"), ("Ring til lægen", "overdue", None), ("Hjemmebesøg", "due_soon", None)]
    assert list(every[0]) == DEADLINE_KEYS
    table = kasse("overdue", "--tasks", "--today", TODAY, db=db).out
    assert "Egen opgave" in table and "Ring til lægen" in table and ", 1 opgave" in table
    narrow = run_kasse("overdue", "--tasks", "--today", TODAY, db=db, env={"COLUMNS": "80"}).out
    assert "Opgave: Ring" in narrow and "Egen opgave" not in narrow  # no basis column: the title says it
    csv_rows = kasse("overdue", "--tasks", "--csv", "--today", TODAY, db=db).out.splitlines()
    assert "F-1,P-1,Amina Hassan,task,Ring til lægen,2026-11-20,overdue,-3,,," in csv_rows


# ------------------------------------------------------------------------------------------------- search


def test_search_finds_a_word_in_a_note_with_its_date_and_family(db):
    kasse("note", "P-3", "Tolken kom ikke til mødet på sprogskolen.", "--at", "2026-11-20 14:30", db=db)
    kasse("note", "F-1", "Amina har fået tolk til næste samtale.", "--at", "2026-11-21 09:00", db=db)

    table = kasse("search", "tolk", db=db).out
    assert "Ingen borgere fundet." in table
    for shown in ("Notater", "20-11-2026 14:30", "21-11-2026 09:00", "F-2", "P-3", "F-1", "2 notater fundet"):
        assert shown in table
    assert table.index("21-11-2026") < table.index("20-11-2026")  # newest first
    found = kasse("search", "--notes", "tolken mød", "--json", db=db).json()
    assert [list(hit) for hit in found] == [["uid", "family", "person", "written_at", "kind", "snippet"]]
    assert (found[0]["family"], found[0]["person"], found[0]["written_at"], found[0]["kind"]) == (
        "F-2", "P-3", "2026-11-20T14:30:00", "note")
    assert "Tolken kom ikke" in found[0]["snippet"]
    assert kasse("search", "--notes", "tolk", "--csv", db=db).out.splitlines()[0] == (
        "uid,family,person,written_at,kind,snippet")
    # Without --notes a script gets the persons, as before; the table lists both.
    assert [hit["ref"] for hit in kasse("search", "amina", "--json", db=db).json()] == ["P-1"]
    both = kasse("search", "amina", db=db).out
    assert "Amina Hassan" in both and "Amina har fået tolk" in both
    assert "Ingen notater fundet." in kasse("search", "--notes", "zzz", db=db).out
    assert "Notater" not in kasse("search", "F-1", db=db).out  # one-letter words find no note


# ------------------------------------------------------------------------------------------------- mistakes


LONG_TEXT = "x" * 100_001
AMBIGUOUS = {"notes": ["abcd1111-0000-4000-8000-000000000001", "abcd2222-0000-4000-8000-000000000002"],
             "tasks": ["dcba1111-0000-4000-8000-000000000001", "dcba2222-0000-4000-8000-000000000002"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["note", "F-404", "Tekst"], "Ingen familie eller person har ref 'F-404'"),
        (["note", "Amina Hassan", "Tekst"], "Ingen familie eller person har den ref (her gælder kun ref'er, ikke navne eller CPR-numre)"),
        (["note", "010190-1234", "Tekst"], "Ingen familie eller person har den ref (her gælder kun ref'er, ikke navne eller CPR-numre)"),
        (["note", "F-1", "  "], "Notatets tekst må ikke være tom"),
        (["note", "F-1", "-"], "Notatets tekst har 100001 tegn (højst 100000)"),
        (["note", "F-1", "Tekst", "--kind", "sms"], "Ukendt notattype 'sms' - brug en af: notat, samtale"),
        (["note", "F-1", "Tekst", "--at", "2026-11-20"], "er ikke et tidspunkt (skriv ÅÅÅÅ-MM-DD TT:MM)"),
        (["note", "F-1", "Tekst", "--at", "2026-02-30 10:00"], "Datoen '2026-02-30' findes ikke"),
        (["note", "F-1", "Tekst", "--at", "2026-11-20 24:10"], "Klokkeslættet i '2026-11-20 24:10' findes ikke"),
        (["note", "F-1", "Tekst", "--corrects", "abcd"], "Flere notater har et id, der begynder med 'abcd'"),
        (["note", "F-2", "Tekst", "--corrects", "abcd1111"], "Intet notat i journalen for familie F-2 har id"),
        (["journal", "P-404"], "Ingen familie eller person har ref 'P-404'"),
        (["task", "F-1", "Ring", "--due", "31-02-2026"], "Datoen '31-02-2026' findes ikke"),
        (["task", "F-1", "  ", "--due", "2026-12-01"], "Opgavens titel må ikke være tom"),
        (["task", "F-9", "Ring", "--due", "2026-12-01"], "Ingen familie eller person har ref 'F-9'"),
        (["task", "done", "dcba"], "Flere opgaver har et id, der begynder med 'dcba'"),
        (["task", "done", "ffff0000"], "Ingen opgave har id 'ffff0000'"),
        (["tasks", "--json", "--csv"], "Vælg enten --json eller --csv, ikke begge"),
        (["note", "F-1", "Tekst", "--at", "0001-01-01 00:00"],
         "Notatets tidspunkt (01-01-0001) skal ligge mellem 01-01-1990 og 31-12-9980"),
        (["task", "F-1", "Ring", "--due", "01-01-0001"], "Datoen '01-01-0001' ligger for langt tilbage (tidligst 01-01-1990)"),
        (["tasks", "--today", "0001-01-01"], "Datoen '0001-01-01' ligger for langt tilbage (tidligst 01-01-1990)"),
        (["overdue", "--tasks", "--today", "1989-12-31"], "ligger for langt tilbage (tidligst 01-01-1990)"),
    ],
)
def test_each_mistake_is_one_danish_line_a_non_zero_exit_and_changes_nothing(db, args, message):
    write_directly(
        db,
        notes=[JournalNote(uid, "F-1", None, datetime(2026, 11, 1, 9), "anna", NoteKind.NOTE, "Tidligere")
               for uid in AMBIGUOUS["notes"]],
        tasks=[Task(uid, "F-1", None, "Tidligere", d("2026-12-01"), None, datetime(2026, 11, 1, 9), "anna")
               for uid in AMBIGUOUS["tasks"]],
    )
    before = stored(db)

    result = kasse(*args, db=db, stdin=LONG_TEXT)

    assert result.code in (1, 2)
    assert result.err.startswith("Fejl: ") and message in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert "1234" not in result.err and "Hassan" not in result.err, "a name or CPR typed is not repeated"
    assert stored(db) == before


def test_writing_to_a_database_that_does_not_exist_is_refused_and_creates_nothing(tmp_path):
    missing = tmp_path / "nowhere.db"
    for args in (["note", "F-1", "Tekst"], ["task", "F-1", "Ring", "--due", "2026-12-01"], ["journal", "F-1"]):
        result = kasse(*args, db=missing)
        assert result.code == 1 and "Databasen findes ikke" in result.err, result.err
    assert not missing.exists()
