"""Journal notes and own tasks as spreadsheets: a CSV file each beside the caseload's, a sheet each in Excel; text
kept exactly and never a formula, cells read leniently, problems by file or sheet, row and column, and the round
trip exact."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kasse.data.store import import_families
from kasse.errors import KasseError
from kasse.interchange.csv_format import read_csv, read_journal_csv, write_csv
from kasse.interchange.journal_sheet import JournalSheets, companion_path, parse_journal_sheets
from kasse.interchange.sheet import InvalidSheet, Sheet
from kasse.interchange.transfer import export_file, import_file
from kasse.interchange.v1 import dump_document
from kasse.interchange.xlsx_format import read_workbook, write_xlsx
from kasse.journal import JournalNote, NoteKind, Task
from tests.cli_helpers import run_kasse
from tests.factories import d, family, person

TODAY = d("2026-11-25")
WRITTEN = datetime(2026, 11, 2, 14, 30, 5)
TRICKY_TEXTS = ("=HYPERLINK(\"http://x\",\"klik\")", "  indrykket\nmed linjeskift og tab\t ", "+45 12 34 56 78",
                "'=1+1", "@SUM(A1)", "-2 grader", "Æble, ø og å; \"citat\"")  # fmt: skip


def notes() -> list[JournalNote]:
    return [
        JournalNote(f"n-{number}", "F-1", "P-1" if number % 2 else None, WRITTEN, "anna", NoteKind.PHONE, text)
        for number, text in enumerate(TRICKY_TEXTS)
    ]


def tasks() -> list[Task]:
    return [
        Task("t-1", "F-1", "P-1", "=Ring til lægen fredag", d("2026-11-27"), None, WRITTEN, "anna"),
        Task("t-2", "F-1", None, "Hjemmebesøg", d("2026-11-20"), d("2026-11-21"), WRITTEN, "@jonas"),
    ]


def document() -> dict:
    return dump_document([family(person("P-1"))], notes(), tasks())


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))


def write_rows(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream, delimiter=";").writerows(rows)
    return path


# --------------------------------------------------------------------------- CSV


def test_csv_export_writes_the_journal_and_tasks_beside_the_caseload_with_formulas_inert(tmp_path):
    target = tmp_path / "sager.csv"
    write_csv(document(), target)

    journal, task_rows = csv_rows(tmp_path / "sager.journal.csv"), csv_rows(tmp_path / "sager.tasks.csv")
    assert journal[0] == ["uid", "family", "person", "written_at", "author", "kind", "text", "corrects"]
    assert journal[1] == ["n-0", "F-1", "", "2026-11-02 14:30:05", "anna", "phone", "'" + TRICKY_TEXTS[0], ""]
    assert [row[6] for row in journal[2:]] == [TRICKY_TEXTS[1], "'" + TRICKY_TEXTS[2], "''=1+1", "'@SUM(A1)",
                                               "'-2 grader", TRICKY_TEXTS[6]]  # fmt: skip
    assert task_rows[1][3] == "'=Ring til lægen fredag" and task_rows[2][7] == "'@jonas"

    sheets = read_journal_csv(target)
    read_notes, read_tasks, _ = parse_journal_sheets(sheets)
    assert (read_notes, read_tasks) == (notes(), tasks())


def test_companion_files_are_written_even_empty_so_an_older_journal_beside_is_never_read_again(tmp_path):
    target = tmp_path / "sager.csv"
    write_csv(document(), target)
    write_csv(dump_document([family(person("P-1"))]), target)

    assert csv_rows(tmp_path / "sager.journal.csv") == [["uid", "family", "person", "written_at", "author", "kind",
                                                        "text", "corrects"]]  # fmt: skip
    assert parse_journal_sheets(read_journal_csv(target))[:2] == ([], [])
    assert companion_path(tmp_path / "sager", "tasks") == tmp_path / "sager.tasks.csv"


def test_a_hand_made_journal_sheet_is_read_leniently_danish_dates_times_and_kind_words(tmp_path):
    rows = [["uid", "family", "person", "written_at", "author", "kind", "text"],
            ["n-1", "F-1", "P-1", "02-11-2026 14:30", "anna", "Telefon", "Ringede til sprogskolen"],
            ["n-2", " F-1 ", "", "2026-11-03 09:05:30", "anna", "møde", "  Møde med tolk  "]]  # fmt: skip
    journal = read_csv(write_rows(tmp_path / "j.csv", rows))
    tasks_sheet = Sheet(["uid", "family", "title", "due", "created_at", "author"],
                        [(2, ["t-1", "F-1", "Ring til lægen fredag", "27.11.2026", "20-11-2026 8:00", "anna"])])  # fmt: skip

    found_notes, found_tasks, _ = parse_journal_sheets(JournalSheets(journal, tasks_sheet))

    assert [(n.written_at, n.kind, n.text, n.person_ref) for n in found_notes] == [
        (datetime(2026, 11, 2, 14, 30), NoteKind.PHONE, "Ringede til sprogskolen", "P-1"),
        (datetime(2026, 11, 3, 9, 5, 30), NoteKind.MEETING, "  Møde med tolk  ", None),
    ]
    assert (found_tasks[0].due, found_tasks[0].created_at) == (d("2026-11-27"), datetime(2026, 11, 20, 8))


def test_sheet_problems_name_the_file_row_column_and_value(tmp_path):
    rows = [["uid", "family", "written_at", "author", "kind", "text", "farve"],
            ["n-1", "F-1", "31-11-2026 10:00", "anna", "sms", "Tekst", ""]]  # fmt: skip
    journal = read_csv(write_rows(tmp_path / "j.csv", rows))
    with pytest.raises(InvalidSheet) as refused:
        parse_journal_sheets(JournalSheets(journal, names={"journal": "sager.journal.csv", "tasks": "x"}))
    assert [str(problem) for problem in refused.value.problems] == ["sager.journal.csv, række 1, kolonne farve: ukendt kolonne"]

    del rows[0][-1], rows[1][-1]
    rows.append(["n-1", "F-1", "2026-11-02 10:00", "anna", "note", "To gange", "løs celle"])
    journal = read_csv(write_rows(tmp_path / "j.csv", rows))
    with pytest.raises(InvalidSheet) as refused:
        parse_journal_sheets(JournalSheets(journal, names={"journal": "sager.journal.csv", "tasks": "x"}))
    assert [str(problem) for problem in refused.value.problems] == [
        "sager.journal.csv, række 2, kolonne written_at, værdi '31-11-2026 10:00': datoen 2026-11-31 findes ikke",
        ("sager.journal.csv, række 2, kolonne kind, værdi 'sms': ukendt notattype 'sms' (tilladt: note, "
         "conversation, phone, letter, meeting, email)"),
        "sager.journal.csv, række 3, kolonne nr. 7, værdi 'løs celle': værdi uden kolonnenavn",
        "sager.journal.csv, række 3, kolonne uid, værdi 'n-1': 'n-1' bruges allerede af notat n-1",
    ]


@pytest.fixture
def db(store) -> Path:
    import_families(store, [family(person("P-1"))])
    return store.database.path


def test_a_csv_import_checks_what_the_journal_names_and_reports_it_by_row(tmp_path, db):
    target = tmp_path / "sager.csv"
    write_csv(dump_document([family(person("P-1"))], [JournalNote("n-1", "F-1", "P-9", WRITTEN, "anna",
                                                                  NoteKind.NOTE, "Hvem?")]), target)  # fmt: skip
    report = tmp_path / "fejl.csv"
    with pytest.raises(KasseError) as refused:
        import_file(target, db, today=TODAY, report=report)
    assert ("sager.journal.csv, række 2, kolonne person, værdi 'P-9': personen P-9 findes hverken i filen eller "
            "i databasen") in refused.value.message  # fmt: skip
    assert csv_rows(report)[1][:2] == ["2 (sager.journal.csv)", "person"]


def test_importing_a_companion_file_by_itself_says_which_file_to_import(tmp_path, db):
    write_csv(document(), tmp_path / "sager.csv")
    with pytest.raises(KasseError, match="indlæs sagsstammens CSV-fil"):
        import_file(tmp_path / "sager.journal.csv", db, today=TODAY)


def test_csv_to_standard_output_holds_the_caseload_alone(tmp_path, db):
    import_file(_json(tmp_path, document()), db, today=TODAY)
    result = run_kasse("export", "-", "--format", "csv", db=db)
    assert result.code == 0 and "uid;" not in result.out
    assert not list(tmp_path.glob("*.journal.csv"))


# --------------------------------------------------------------------------- Excel


def test_xlsx_export_has_a_sheet_each_with_real_times_and_text_cells_and_reads_back_exactly(tmp_path):
    target = tmp_path / "sager.xlsx"
    write_xlsx(document(), target)

    workbook = load_workbook(target)
    assert workbook.sheetnames == ["kasse", "journal", "tasks"]
    journal = workbook["journal"]
    assert journal["D2"].value == WRITTEN and journal["D2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert journal["G2"].value == TRICKY_TEXTS[0] and journal["G2"].data_type == "s"
    assert workbook["tasks"]["E2"].value == datetime(2026, 11, 27)

    _, sheets = read_workbook(target)
    assert parse_journal_sheets(sheets)[:2] == (notes(), tasks())


def test_a_carriage_return_in_a_note_stops_an_xlsx_export_rather_than_change_the_note(tmp_path):
    pasted = JournalNote("n-1", "F-1", None, WRITTEN, "anna", NoteKind.EMAIL, "Fra Outlook\r\nLinje to")
    with pytest.raises(KasseError, match=r"arket journal, række 2 \(notat n-1\), kolonne text: .*U\+000D"):
        write_xlsx(dump_document([family(person("P-1"))], [pasted]), tmp_path / "sager.xlsx")
    write_csv(dump_document([family(person("P-1"))], [pasted]), tmp_path / "sager.csv")  # CSV keeps it
    assert parse_journal_sheets(read_journal_csv(tmp_path / "sager.csv"))[0] == [pasted]


def test_an_xlsx_problem_names_the_sheet(tmp_path, db):
    target = tmp_path / "sager.xlsx"
    write_xlsx(document(), target)
    workbook = load_workbook(target)
    workbook["tasks"]["E3"] = "i morgen"  # the due date
    workbook.save(target)

    with pytest.raises(InvalidSheet) as refused:
        import_file(target, db, today=TODAY)
    assert [str(problem) for problem in refused.value.problems] == [
        "tasks, række 3, kolonne due, værdi 'i morgen': 'i morgen' er ikke en dato på formen ÅÅÅÅ-MM-DD"
    ]


# --------------------------------------------------------------------------- the round trip


def _json(folder: Path, doc: dict) -> Path:
    path = folder / "kilde.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_import_export_through_a_sheet_gives_the_same_journal_and_tasks(tmp_path, demo_db, kind):
    sheet, empty = tmp_path / f"sager.{kind}", tmp_path / "tom.db"
    first = export_file(demo_db, str(sheet))
    assert first.notes > 50 and first.tasks > 3

    imported = import_file(sheet, empty, today=d("2026-11-23"))
    assert (imported.notes_added, imported.tasks_created) == (first.notes, first.tasks)
    again = import_file(sheet, empty, today=d("2026-11-23"))
    assert (again.notes_added, again.tasks_created, again.tasks_updated) == (0, 0, 0)

    export_file(demo_db, str(tmp_path / "a.json"))
    export_file(empty, str(tmp_path / "b.json"))
    before, after = (json.loads((tmp_path / name).read_text(encoding="utf-8")) for name in ("a.json", "b.json"))
    assert after["journal"] == before["journal"] and after["tasks"] == before["tasks"]
