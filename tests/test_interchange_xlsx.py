"""Excel (.xlsx) import and export: the CSV columns on one sheet, real dates, errors by row."""

import json
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from kasse.demo import demo_families
from kasse.interchange.csv_format import COLUMNS
from kasse.interchange.v1 import dump_document
from tests.cli_helpers import run_kasse
from tests.factories import d
from tests.test_interchange_csv import without_lists

TODAY = "2026-11-23"


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "kasse.db"
    source = tmp_path / "demo.json"
    source.write_text(json.dumps(dump_document(demo_families(10, seed=8, today=d(TODAY))), ensure_ascii=False),
                      encoding="utf-8")
    assert run_kasse("import", str(source), db=db).code == 0
    return db


def test_xlsx_round_trip_keeps_every_spreadsheet_field(tmp_path, demo_db):
    sheet_path, second = tmp_path / "sagsstamme.xlsx", tmp_path / "second.db"
    result = run_kasse("export", str(sheet_path), db=demo_db)
    assert result.code == 0, result.err

    workbook = load_workbook(sheet_path)
    assert [sheet.title for sheet in workbook.worksheets] == ["kasse", "journal", "tasks"]  # always all three
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    takeover = rows[1][COLUMNS.index("takeover_date")]
    assert isinstance(takeover, datetime)  # a real Excel date, not text

    assert run_kasse("import", str(sheet_path), db=second).code == 0
    assert without_lists(run_kasse("export", "-", db=second).json()) == without_lists(
        run_kasse("export", "-", db=demo_db).json())


def test_a_sheet_typed_by_hand_imports_and_its_errors_name_the_row(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["family.ref", "ref", "name", "birth_date", "category", "takeover_date", "danish.hours_per_week",
                  "health.consent"])
    sheet.append(["F-1", "P-1", "Amina", date(1990, 1, 1), "refugee", "10-01-2025", 7.5, "ja"])
    sheet.append(["F-1", "P-2", "Omar", datetime(1988, 5, 3), "refugee", date(2025, 1, 10), 18, True])
    good = tmp_path / "god.xlsx"
    workbook.save(good)
    db = tmp_path / "kasse.db"
    result = run_kasse("import", str(good), db=db)
    assert result.code == 0, result.err
    first, second = run_kasse("export", "-", db=db).json()["families"][0]["members"]
    assert first["takeover_date"] == "2025-01-10" and first["danish"]["hours_per_week"] == 7.5
    assert second["birth_date"] == "1988-05-03" and second["health"]["consent"] is True

    sheet.append(["F-1", "P-3", "Sara", date(1990, 1, 1), "refugee", "30-02-2025", None, None])
    bad = tmp_path / "fejl.xlsx"
    workbook.save(bad)
    result = run_kasse("import", str(bad), db=db)
    assert result.code == 1
    assert "række 4, kolonne takeover_date, værdi '30-02-2025'" in result.err


def test_a_file_that_is_not_excel_is_a_message(tmp_path):
    path = tmp_path / "falsk.xlsx"
    path.write_text("ikke et regneark", encoding="utf-8")
    result = run_kasse("import", str(path), db=tmp_path / "kasse.db")
    assert result.code == 1 and "Excel" in result.err and "Traceback" not in result.err
