"""Journal notes and own tasks in kasse/v1 JSON: read and written beside the families, every field checked with a
Danish problem, what they name checked against the file and the database, imported all or nothing with the
families, a note never duplicated or changed by an import, and the round trip exact."""

from __future__ import annotations

import copy
import json
import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kasse.data import reader
from kasse.data.audit_chain import verify
from kasse.data.journal import journal_transaction, save_records
from kasse.data.journal_reads import all_notes
from kasse.data.store import import_families
from kasse.data.task_reads import tasks
from kasse.errors import KasseError
from kasse.interchange.transfer import export_file, import_file
from kasse.interchange.v1 import InvalidDocument, Problem, dump_document, parse_document, parse_records
from kasse.journal import JournalNote, NoteKind, Task
from tests.cli_helpers import run_kasse
from tests.factories import d, family, person

TODAY = d("2026-11-25")
WRITTEN = datetime(2026, 11, 2, 14, 30)


def note(uid: str = "n-1", text: str = "Samtale om danskuddannelsen", *, person_ref: str | None = "P-1",
         family_ref: str = "F-1", corrects: str | None = None, at: datetime = WRITTEN) -> JournalNote:  # fmt: skip
    return JournalNote(uid, family_ref, person_ref, at, "anna", NoteKind.CONVERSATION, text, corrects)


def task(uid: str = "t-1", title: str = "Ring til lægen fredag", *, person_ref: str | None = "P-1",
         family_ref: str = "F-1", done: str | None = None) -> Task:  # fmt: skip
    return Task(uid, family_ref, person_ref, title, d("2026-11-27"), done and d(done), WRITTEN, "anna")


def caseload() -> list:
    return [family(person("P-1"), person("P-2")), family(person("P-3"), ref="F-2")]


def document(notes: tuple | None = None, tasks: tuple | None = None) -> dict:
    """The caseload with `notes` and `tasks` (by default one of each) as kasse/v1."""
    return dump_document(caseload(), (note(),) if notes is None else notes, (task(),) if tasks is None else tasks)


def problems_of(doc: dict) -> list[Problem]:
    with pytest.raises(InvalidDocument) as refused:
        parse_records(doc)
    return refused.value.problems


def write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def stored(db: Path) -> tuple[list[JournalNote], list[Task]]:
    with closing(reader.connect(db)) as connection:
        return all_notes(connection), tasks(connection)


# --------------------------------------------------------------------------- the document


def test_notes_and_tasks_are_records_beside_the_families_and_round_trip_canonically():
    written = document(
        notes=(note(), note("n-2", "Rettelse: telefonsamtale", corrects="n-1"), note("n-3", person_ref=None)),
        tasks=(task(), task("t-2", person_ref=None, done="2026-11-26")),
    )

    assert written["journal"][1] == {
        "uid": "n-2", "family": "F-1", "person": "P-1", "written_at": "2026-11-02T14:30:00", "author": "anna",
        "kind": "conversation", "text": "Rettelse: telefonsamtale", "corrects": "n-1",
    }  # fmt: skip
    assert written["tasks"][1] == {
        "uid": "t-2", "family": "F-1", "person": None, "title": "Ring til lægen fredag", "due": "2026-11-27",
        "done": "2026-11-26", "created_at": "2026-11-02T14:30:00", "author": "anna",
    }  # fmt: skip
    records = parse_records(copy.deepcopy(written))
    assert dump_document(records.families, records.notes, records.tasks) == written
    assert records.notes[1] == note("n-2", "Rettelse: telefonsamtale", corrects="n-1")


def test_the_example_in_docs_format_md_is_valid():
    text = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    section = text[text.index("## Journal notes and own tasks"):]
    example = json.loads(section[section.index("```json") + 7 : section.index("```", section.index("```json") + 7)])
    records = parse_records({**example, "families": []})
    assert (records.notes[0].kind, records.tasks[0].due) == (NoteKind.PHONE, d("2025-03-07"))


def test_a_file_without_journal_or_tasks_is_valid_as_before_and_lists_may_be_empty_or_null():
    old = dump_document(caseload())
    del old["journal"], old["tasks"]
    assert parse_records(old).notes == [] and parse_document(old) == caseload()
    assert parse_records({**old, "journal": None, "tasks": []}).tasks == []


def test_a_moment_may_be_written_with_a_space_and_without_seconds():
    doc = document()
    doc["journal"][0]["written_at"] = "2026-11-02 14:30"
    assert parse_records(doc).notes[0].written_at == WRITTEN


@pytest.mark.parametrize(
    ("part", "key", "value", "reason"),
    [
        ("journal", "uid", None, "mangler"),
        ("journal", "uid", "ikke et id", "er ugyldigt: 1-64 tegn"),
        ("journal", "uid", "x" * 65, "er ugyldigt"),
        ("journal", "family", None, "mangler"),
        ("journal", "family", "F-1\x1b[2J", "kontroltegn"),
        ("journal", "person", "P\x00", "kontroltegn"),
        ("journal", "written_at", None, "mangler"),
        ("journal", "written_at", 20261102, "skal være et tidspunkt som tekst"),
        ("journal", "written_at", "02-11-2026 14:30", "er ikke et tidspunkt som 2025-03-04T14:30:00"),
        ("journal", "written_at", "2026-11-02T14:30:00+01:00", "uden tidszone"),
        ("journal", "written_at", "2026-11-02T14:30:00.5", "er ikke et tidspunkt"),
        ("journal", "written_at", "2026-11-02T24:00:00", "klokkeslættet 24:00:00 findes ikke"),
        ("journal", "written_at", "2026-02-30T10:00", "datoen 2026-02-30 findes ikke"),
        ("journal", "written_at", "9999-01-01T10:00", "for langt ude i fremtiden"),
        ("journal", "author", " ", "må ikke være tom"),
        ("journal", "author", "anna\nbent", "én linje uden kontroltegn"),
        ("journal", "author", "a" * 201, "højst 200"),
        ("journal", "kind", "brevdue", "ukendt notattype 'brevdue' (tilladt: note, conversation, phone"),
        ("journal", "kind", None, "mangler"),
        ("journal", "text", "", "må ikke være tom"),
        ("journal", "text", "x" * 100_001, "teksten har 100001 tegn (højst 100000)"),
        ("journal", "text", "før \ud800 efter", "U+D800, halvdelen af et tegnpar"),
        ("journal", "text", ["en", "liste"], "skal være tekst"),
        ("journal", "corrects", "n-1", "et notat kan ikke rette sig selv"),
        ("journal", "corrects", "?", "er ugyldigt"),
        ("journal", "txt", "stavefejl", "ukendt felt (mente du 'text'?)"),
        ("tasks", "title", "To\nlinjer", "én linje uden kontroltegn"),
        ("tasks", "title", "x" * 501, "højst 500"),
        ("tasks", "due", None, "mangler"),
        ("tasks", "due", "27-11-2026", "er ikke en dato på formen ÅÅÅÅ-MM-DD"),
        ("tasks", "done", "2026-11-31", "datoen 2026-11-31 findes ikke"),
        ("tasks", "created_at", "i går", "er ikke et tidspunkt"),
        ("tasks", "person", 7, "skal være tekst"),
    ],
)
def test_every_field_is_checked_and_refused_with_record_field_and_danish_reason(part, key, value, reason):
    doc = document()
    doc[part][0][key] = value

    problems = problems_of(doc)

    record = "journal[0]" if (part, key) == ("journal", "uid") else ("notat n-1" if part == "journal" else "opgave t-1")
    assert [(problem.record, problem.field) for problem in problems] == [(record, key)]
    assert reason in problems[0].reason


def test_the_parts_must_be_lists_of_objects_with_unique_uids():
    assert [str(p) for p in problems_of({**document(), "journal": "notater"})] == [
        "dokumentet, journal: skal være en liste"
    ]
    assert [str(p) for p in problems_of({**document(), "tasks": [42]})] == ["tasks[0]: skal være et objekt"]
    twice = document(notes=(note(), note()), tasks=(task(), task()))
    assert [str(p) for p in problems_of(twice)] == [
        "notat n-1, uid: 'n-1' bruges allerede af notat n-1",
        "opgave t-1, uid: 't-1' bruges allerede af opgave t-1",
    ]


def test_every_problem_of_a_file_is_listed_families_notes_and_tasks_alike():
    doc = document()
    doc["families"][0]["members"][0]["category"] = "flygtning"
    doc["journal"][0]["kind"] = "sms"
    doc["tasks"][0]["due"] = None
    assert [(p.record, p.field) for p in problems_of(doc)] == [
        ("familie F-1, person P-1", "category"), ("notat n-1", "kind"), ("opgave t-1", "due"),
    ]  # fmt: skip


# --------------------------------------------------------------------------- importing


@pytest.fixture
def db(tmp_path, store) -> Path:
    """A database holding F-1 (P-1, P-2) and F-2 (P-3)."""
    import_families(store, caseload())
    return store.database.path


def test_notes_naming_what_neither_file_nor_database_holds_are_refused_and_nothing_is_written(tmp_path, db):
    doc = {"format": "kasse/v1", "families": [], "journal": [
        note("n-1", person_ref=None, family_ref="F-9"), note("n-2", person_ref="P-9"), note("n-3", corrects="n-404"),
    ], "tasks": [task("t-1", person_ref="P-3"), task("t-2", person_ref=None, family_ref="F-9")]}  # fmt: skip
    doc = json.loads(json.dumps(dump_document([], doc["journal"], doc["tasks"])))
    before = Path(db).read_bytes()

    with pytest.raises(InvalidDocument) as refused:
        import_file(write(tmp_path / "fil.json", doc), db, today=TODAY)

    assert [str(problem) for problem in refused.value.problems] == [
        "notat n-1, family: familien F-9 findes hverken i filen eller i databasen",
        "notat n-2, person: personen P-9 findes hverken i filen eller i databasen",
        "notat n-3, corrects: notatet n-404 findes hverken i filen eller i databasen",
        "opgave t-1, family: personen P-3 er i familien F-2, ikke F-1",
        "opgave t-2, family: familien F-9 findes hverken i filen eller i databasen",
    ]
    assert Path(db).read_bytes() == before


def test_what_notes_name_may_be_in_the_file_in_the_database_or_an_earlier_note(tmp_path, db):
    newcomers = family(person("P-7"), ref="F-7")
    first = dump_document([newcomers], [note("n-1", person_ref="P-7", family_ref="F-7")])
    import_file(write(tmp_path / "a.json", first), db, today=TODAY)
    # A member's note keeps the family it was written in, even one the member has left.
    second = dump_document([], [note("n-2", corrects="n-1", person_ref="P-7", family_ref="F-gone")], [task()])

    result = import_file(write(tmp_path / "b.json", second), db, today=TODAY)

    assert (result.notes_added, result.tasks_created) == (1, 1)
    assert [found.uid for found in stored(db)[0]] == ["n-1", "n-2"]


def test_an_import_appends_new_notes_only_and_never_changes_one_the_journal_holds(tmp_path, db):
    path = write(tmp_path / "fil.json", document(notes=(note(), note("n-2", at=datetime(2026, 11, 3, 9)))))
    assert import_file(path, db, today=TODAY).notes_added == 2

    altered = document(notes=(note(text="Omskrevet bagefter"), note("n-3", "Ny note")))
    result = import_file(write(tmp_path / "igen.json", altered), db, today=TODAY)

    assert result.notes_added == 1
    assert [(found.uid, found.text) for found in stored(db)[0]] == [
        ("n-1", "Samtale om danskuddannelsen"), ("n-3", "Ny note"), ("n-2", "Samtale om danskuddannelsen"),
    ]  # fmt: skip


def test_tasks_by_uid_a_new_one_added_a_changed_done_date_updated_and_audited(tmp_path, db):
    assert import_file(write(tmp_path / "a.json", document(notes=())), db, today=TODAY).tasks_created == 1
    again = import_file(write(tmp_path / "b.json", document(notes=())), db, today=TODAY)
    assert (again.tasks_created, again.tasks_updated) == (0, 0)

    done = import_file(write(tmp_path / "c.json", document(notes=(), tasks=(task(done="2026-11-26"),))), db,
                       today=TODAY)  # fmt: skip

    assert (done.tasks_created, done.tasks_updated) == (0, 1)
    assert stored(db)[1][0].done == d("2026-11-26")
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT record, field, old_value, new_value FROM audit WHERE table_name = 'task'"
                                  " ORDER BY id").fetchall()  # fmt: skip
        assert rows[1:] == [("t-1", "done", None, "2026-11-26")]
        assert verify(connection).ok


def test_a_dry_run_counts_notes_and_tasks_and_writes_nothing(tmp_path, db):
    result = import_file(write(tmp_path / "fil.json", document()), db, today=TODAY, dry_run=True)
    assert (result.notes_added, result.tasks_created) == (1, 1)
    assert stored(db) == ([], [])


# --------------------------------------------------------------------------- one transaction


def test_a_note_that_cannot_be_saved_rolls_back_the_families_of_the_same_import(store):
    newcomers = family(person("P-7"), ref="F-7")
    with pytest.raises(KasseError, match="notat n-1: personen P-9"), store.transaction() as transaction:
        save_records(transaction, [newcomers], [note(person_ref="P-9", family_ref="F-7")], [])

    with closing(reader.connect(store.database.path)) as connection:
        assert reader.read_families(connection) == []
        assert connection.execute("SELECT count(*) FROM audit").fetchone() == (0,)


def test_a_task_that_cannot_be_saved_rolls_back_the_families_and_notes_too(store):
    newcomers = family(person("P-7"), ref="F-7")
    wrong_family = task(person_ref="P-7", family_ref="F-1")
    with pytest.raises(KasseError, match="familien F-1 findes ikke"), store.transaction() as transaction:
        save_records(transaction, [newcomers], [note(person_ref="P-7", family_ref="F-7")], [wrong_family])

    with closing(reader.connect(store.database.path)) as connection:
        assert reader.read_families(connection) == [] and all_notes(connection) == []


def test_families_notes_and_tasks_of_one_transaction_share_one_unbroken_audit_chain(store):
    with store.transaction() as transaction:
        save_records(transaction, caseload(), [note()], [task(), task("t-2", person_ref=None)])
        transaction.save_person("F-1", person("P-2", name="Omdøbt"))  # after the tasks' audit rows
    with journal_transaction(store) as writes:
        writes.set_task_done("t-1", TODAY)

    with closing(sqlite3.connect(store.database.path, isolation_level=None)) as connection:
        assert verify(connection).ok
        ids = [row[0] for row in connection.execute("SELECT id FROM audit ORDER BY id")]
    assert ids == list(range(1, len(ids) + 1))


# --------------------------------------------------------------------------- export and the round trip


def test_export_import_export_gives_the_same_journal_and_tasks_and_a_second_import_adds_nothing(tmp_path, demo_db):
    first, empty = tmp_path / "first.json", tmp_path / "tom.db"
    assert run_kasse("export", str(first), db=demo_db).code == 0
    written = json.loads(first.read_text(encoding="utf-8"))
    assert written["journal"] and written["tasks"]

    assert run_kasse("import", str(first), "--today", "2026-11-23", db=empty).code == 0
    again = run_kasse("import", str(first), "--today", "2026-11-23", db=empty)
    assert again.code == 0, again.err

    second = tmp_path / "second.json"
    assert run_kasse("export", str(second), db=empty).code == 0
    assert second.read_bytes() == first.read_bytes()
    with closing(sqlite3.connect(empty)) as connection:
        assert connection.execute("SELECT count(*) FROM journal_note").fetchone() == (len(written["journal"]),)


def test_one_familys_export_holds_its_notes_and_tasks_and_a_persons_theirs_and_the_familys_own(tmp_path, db):
    notes = (note("n-1"), note("n-2", person_ref="P-2"), note("n-3", person_ref=None), note("n-4", person_ref="P-3",
             family_ref="F-2"))  # fmt: skip
    import_file(write(tmp_path / "a.json", document(notes, (task(), task("t-2", person_ref="P-2")))), db, today=TODAY)

    result = export_file(db, str(tmp_path / "f.json"), family="F-1")
    one = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert [item["uid"] for item in one["journal"]] == ["n-1", "n-2", "n-3"] and (result.notes, result.tasks) == (3, 2)

    export_file(db, str(tmp_path / "p.json"), person="P-2")
    alone = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert [item["uid"] for item in alone["journal"]] == ["n-2", "n-3"]
    assert [item["uid"] for item in alone["tasks"]] == ["t-2"]


def test_a_note_about_a_member_who_moved_goes_with_the_member_not_the_family_left(tmp_path, db, store):
    import_file(write(tmp_path / "a.json", document(notes=(note("n-1", person_ref="P-2"),), tasks=())), db,
                today=TODAY)  # fmt: skip
    with store.transaction() as transaction:
        transaction.save_person("F-2", person("P-2"))

    export_file(db, str(tmp_path / "f1.json"), family="F-1")
    export_file(db, str(tmp_path / "f2.json"), family="F-2")
    assert json.loads((tmp_path / "f1.json").read_text(encoding="utf-8"))["journal"] == []
    moved = json.loads((tmp_path / "f2.json").read_text(encoding="utf-8"))
    assert [(item["uid"], item["family"]) for item in moved["journal"]] == [("n-1", "F-1")]

    elsewhere = tmp_path / "andet.db"
    import_file(tmp_path / "f2.json", elsewhere, today=TODAY)  # F-1 is not there: the member is
    assert [found.uid for found in stored(elsewhere)[0]] == ["n-1"]


@settings(max_examples=60, deadline=None)
@given(day=st.dates(), part_key=st.sampled_from([("tasks", "due"), ("tasks", "done"), ("journal", "written_at")]))
def test_any_date_in_a_file_is_taken_or_refused_naming_its_record_and_field(day, part_key):
    """From year 1 to 9999: inside the days of casework it is read back exactly, outside it is one problem."""
    part, key = part_key
    doc = document()
    doc[part][0][key] = day.isoformat() + ("T09:00:00" if key == "written_at" else "")
    if date(1990, 1, 1) <= day <= date(9980, 12, 31):
        records = parse_records(doc)
        read = records.notes[0].written_at.date() if part == "journal" else getattr(records.tasks[0], key)
        assert read == day
    else:
        (problem,) = problems_of(doc)
        assert (problem.record, problem.field) == ("notat n-1" if part == "journal" else "opgave t-1", key)
        assert "skal ligge mellem 01-01-1990 og 31-12-9980" in problem.reason or "for langt" in problem.reason
