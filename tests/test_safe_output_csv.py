"""CSV export and `--csv` neutralise formulas the OWASP way; CSV import takes the apostrophe off again."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kasse.cli.output import CSV_TEXT_FIELDS, csv_record
from kasse.domain import Family
from kasse.interchange.csv_format import COLUMNS, TEXT_COLUMNS, InvalidSheet, parse_sheet, read_csv, write_csv
from kasse.interchange.v1 import dump_document
from kasse.rules import deadlines
from kasse.safe_text import quote_formula, unquote_formula
from tests.cli_helpers import run_kasse
from tests.factories import d, person
from tests.test_safe_output_xlsx import FORMULAS, hostile_document, hostile_family, text_cells

# A spreadsheet also runs a cell that begins with a tab or a carriage return (OWASP); a CSV keeps both.
CSV_FORMULAS = (*FORMULAS, "\t=1+1", "\r=1+1", "''-to apostroffer")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_document() -> dict:
    return dump_document([hostile_family(number, payload) for number, payload in enumerate(CSV_FORMULAS)])


def sheet_rows(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))


def test_free_text_is_quoted_and_nothing_else(tmp_path):
    path = tmp_path / "sagsstamme.csv"
    write_csv(csv_document(), path)

    rows = sheet_rows(path)
    assert len(rows) == len(CSV_FORMULAS)
    for row in rows:
        for column in COLUMNS:
            cell = row[column]
            assert not cell.startswith(FORMULA_START), (column, cell)
            if column in TEXT_COLUMNS and not cell.startswith("#N/A"):
                assert cell.startswith("'"), (column, cell)
    # Dates and numbers are never user text: written as they always were.
    assert {row["takeover_date"] for row in rows} == {"2025-01-10"}
    assert {row["contract.signed_date"] for row in rows} == {"2025-01-20"}


def test_columns_are_free_text_or_typed_never_both():
    from kasse.interchange.csv_format import BOOLEAN_COLUMNS, DATE_COLUMNS, NUMBER_COLUMNS

    assert TEXT_COLUMNS <= set(COLUMNS)
    assert not TEXT_COLUMNS & (DATE_COLUMNS | BOOLEAN_COLUMNS | NUMBER_COLUMNS | {"cpr"})


def test_export_import_export_gives_the_same_file_and_every_field_back(tmp_path):
    doc, first, second = csv_document(), tmp_path / "first.csv", tmp_path / "second.csv"
    write_csv(doc, first)

    back = dump_document(parse_sheet(read_csv(first), {}, {}))
    write_csv(back, second)

    assert text_cells(back) == text_cells(doc)  # leading tab and carriage return included
    assert second.read_bytes() == first.read_bytes()


def test_the_cli_round_trip_through_csv_keeps_the_formula_text(tmp_path):
    source, sheet, first, second = (tmp_path / name for name in ("in.json", "out.csv", "first.db", "second.db"))
    source.write_text(json.dumps(hostile_document(), ensure_ascii=False), encoding="utf-8")
    assert run_kasse("import", str(source), db=first).code == 0

    assert run_kasse("export", str(sheet), db=first).code == 0
    assert all(row["name"].startswith("'") for row in sheet_rows(sheet) if not row["name"].startswith("#"))
    imported = run_kasse("import", str(sheet), db=second)
    assert imported.code == 0, imported.err

    assert text_cells(run_kasse("export", "-", db=second).json()) == text_cells(
        run_kasse("export", "-", db=first).json())


def test_a_hand_typed_apostrophe_before_other_text_is_kept(tmp_path):
    path = tmp_path / "hånd.csv"
    path.write_text("family.ref;ref;name;birth_date;category;takeover_date\n"
                    "F-1;P-1;'t Hooft;1990-01-01;refugee;2025-01-10\n"
                    "F-1;P-2;'=1+1;1990-01-01;refugee;2025-01-10\n", encoding="utf-8")

    [family] = parse_sheet(read_csv(path), {}, {})

    assert [member.name for member in family.members] == ["'t Hooft", "=1+1"]


def lookup_caseload(tmp_path):
    families = [Family(ref=f"{payload} F{number}", members=(person(f"{payload} P{number}", name=f"{payload} navn"),))
                for number, payload in enumerate(FORMULAS)]
    source, db = tmp_path / "in.json", tmp_path / "kasse.db"
    source.write_text(json.dumps(dump_document(families), ensure_ascii=False), encoding="utf-8")
    assert run_kasse("import", str(source), db=db).code == 0
    return db


def test_lookup_csv_quotes_refs_and_names_and_leaves_days_a_number(tmp_path):
    db = lookup_caseload(tmp_path)

    result = run_kasse("overdue", "--csv", "--today", "2025-03-01", db=db)

    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert {unquote_formula(row["name"]) for row in rows} == {f"{payload} navn" for payload in FORMULAS}
    for row in rows:
        for field in CSV_TEXT_FIELDS:
            assert not row[field].startswith(FORMULA_START)
            assert row[field].startswith("'") or row[field].startswith("#N/A")
        assert int(row["days"]) < 0 and row["days"].startswith("-")  # a number, not a formula: left alone
    as_json = run_kasse("overdue", "--json", "--today", "2025-03-01", db=db).json()
    assert [[unquote_formula(row[field]) for field in CSV_TEXT_FIELDS] for row in rows] == [
        [record[field] for field in CSV_TEXT_FIELDS] for record in as_json]


def test_lookup_csv_on_a_terminal_also_shows_control_characters_as_symbols():
    found = deadlines([Family(ref="F-1", members=(person("P-1", name="=Ond\x1b]0;pwned\x07"),))], today=d("2025-03-01"))

    to_file = csv_record(found[0])
    on_screen = csv_record(found[0], on_screen=True)

    assert to_file["name"] == "'=Ond\x1b]0;pwned\x07"  # a file or a pipe gets the exact text, quoted
    assert on_screen["name"] == "'=Ond␛]0;pwned␇"


def test_the_problem_report_quotes_the_hostile_values_it_repeats(tmp_path):
    bad, report, db = tmp_path / "ond.csv", tmp_path / "rapport.csv", tmp_path / "kasse.db"
    bad.write_text("family.ref;ref;name;birth_date;category;takeover_date\n"
                   'F-1;P-1;Amina;=HYPERLINK("http://x");refugee;2025-01-10\n', encoding="utf-8")

    result = run_kasse("import", str(bad), "--report", str(report), db=db)

    assert result.code != 0
    [row] = sheet_rows(report)
    assert row["værdi"] == '\'=HYPERLINK("http://x")'


def test_an_invalid_sheet_message_shows_a_hostile_value_without_its_escape(tmp_path):
    bad = tmp_path / "ond.csv"
    bad.write_text("family.ref;ref;name;birth_date;category;takeover_date\n"
                   "F-1;P-1;Amina;\"\x1b]0;pwned\x07\";refugee;2025-01-10\n", encoding="utf-8")
    try:
        parse_sheet(read_csv(bad), {}, {})
    except InvalidSheet as invalid:
        assert "\x1b" not in invalid.message and "␛]0;pwned␇" in invalid.message
    else:
        raise AssertionError("the sheet should be refused")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_quoting_is_undone_exactly_and_never_leaves_a_formula(text):
    quoted = quote_formula(text)
    assert unquote_formula(quoted) == text
    assert not quoted.startswith(FORMULA_START)
