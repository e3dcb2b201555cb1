"""CSV import and export: one row per person, Danish Excel's files, all or nothing, errors by row."""

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from kasse.demo import demo_families, demo_persons
from kasse.domain import Family, Housing
from kasse.interchange.csv_format import (
    COLUMNS,
    InvalidSheet,
    Sheet,
    cell_value,
    parse_sheet,
    read_csv,
    write_csv,
)
from kasse.interchange.v1 import dump_document, dump_person
from tests.cli_helpers import run_kasse
from tests.factories import d, person

TODAY = "2026-11-23"
HEADER = ["family.ref", "ref", "name", "birth_date", "category", "takeover_date"]


def table_counts(db):
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def write_rows(path, header, rows, *, delimiter=",", bom=False, newline="\n"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    return path


def simple_rows(count):
    return [[f"F-CSV-{i // 2:04d}", f"P-CSV-{i:04d}", f"Person {i}", "1990-01-01", "refugee", "2025-01-10"]
            for i in range(count)]


def without_lists(doc):
    """The CSV-expressible part of a kasse/v1 document."""
    for family in doc["families"]:
        family["plan"]["followups"] = []
        family["checklist"] = []
        for member in family["members"]:
            member["goals"] = []
            member["contract"]["activities"] = []
            member["contract"]["followups"] = []
    return doc


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "kasse.db"
    source = tmp_path / "demo.json"
    source.write_text(json.dumps(dump_document(demo_families(12, seed=4, today=d(TODAY))), ensure_ascii=False),
                      encoding="utf-8")
    assert run_kasse("import", str(source), db=db).code == 0
    return db


def test_every_scalar_member_field_has_a_column():
    """The column list is the member's and family's scalar fields of kasse/v1, no more, no less."""
    dumped = dump_person(person())
    expected = {key for key, value in dumped.items() if not isinstance(value, dict | list) and key != "um_decision"}
    expected |= {f"{key}.{inner}" for key, value in dumped.items() if isinstance(value, dict)
                 for inner, item in value.items() if not isinstance(item, list)}
    expected |= {"um_decision.date", "um_decision.offered"}
    assert set(COLUMNS) - {c for c in COLUMNS if c.startswith("family.")} == expected


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [
        ("takeover_date", "10-01-2025", "2025-01-10"),
        ("takeover_date", "10.01.2025", "2025-01-10"),
        ("takeover_date", "2025-01-10", "2025-01-10"),
        ("takeover_date", "31-02-2025", "31-02-2025"),  # impossible: kept as typed, for the report
        ("health.consent", "ja", True),
        ("health.consent", "NEJ", False),
        ("health.consent", "true", True),
        ("danish.hours_per_week", "7,5", 7.5),
        ("danish.hours_per_week", "18", 18),
        ("name", "  ", None),
        ("cpr", "010190-1234", "010190-1234"),
    ],
)
def test_cells_are_read_as_danish_excel_writes_them(column, cell, value):
    assert cell_value(column, cell) == value


def test_thousand_rows_with_one_bad_date_change_nothing_and_the_report_names_row_column_value(tmp_path, demo_db):
    rows = simple_rows(1000)
    rows[635][5] = "31-02-2025"  # the 636th data row is row 637 in a spreadsheet (header = row 1)
    big = write_rows(tmp_path / "stor.csv", HEADER, rows, delimiter=";", bom=True)
    report = tmp_path / "fejl.csv"
    before_export, before_counts = run_kasse("export", "-", db=demo_db).out, table_counts(demo_db)

    result = run_kasse("import", str(big), "--report", str(report), db=demo_db)

    assert result.code == 1
    assert "Traceback" not in result.err
    assert any("række 637" in line and "takeover_date" in line and "31-02-2025" in line
               for line in result.err.splitlines()), result.err
    assert run_kasse("export", "-", db=demo_db).out == before_export
    assert table_counts(demo_db) == before_counts
    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["række", "kolonne", "værdi", "årsag"]
    assert len(lines) == 2
    assert lines[1][:3] == ["637", "takeover_date", "31-02-2025"]


def test_a_file_saved_by_danish_excel_imports(tmp_path):
    header = ["family.ref", "family.housing", "ref", "name", "cpr", "category", "role", "takeover_date",
              "danish.hours_per_week", "health.consent", "um_decision.date", "um_decision.offered", "nationality"]
    rows = [
        ["F-2025-001", "temporary", "P-0001", "Amina Hassan", "010190-1234", "refugee", "applicant", "10-01-2025",
         "7,5", "ja", "", "", "Syrien"],
        ["F-2025-001", "", "P-0002", "Søren Ærø", "", "refugee", "child", "10.01.2025", "", "nej", "", "", ""],
    ]
    rows[1][4] = "150312-4321"
    path = write_rows(tmp_path / "excel.csv", header, rows, delimiter=";", bom=True, newline="\r\n")
    db = tmp_path / "kasse.db"

    result = run_kasse("import", str(path), db=db)

    assert result.code == 0, result.err
    family = run_kasse("export", "-", db=db).json()["families"][0]
    first, second = family["members"]
    assert family["housing"] == "temporary"
    assert first["takeover_date"] == "2025-01-10" and first["birth_date"] == "1990-01-01"
    assert first["danish"]["hours_per_week"] == 7.5 and first["health"]["consent"] is True
    assert first["um_decision"] is None and first["nationality"] == "Syrien"
    assert second["name"] == "Søren Ærø" and second["health"]["consent"] is False


def test_comma_delimited_utf8_without_bom_imports(tmp_path):
    path = write_rows(tmp_path / "plain.csv", HEADER, simple_rows(3))
    result = run_kasse("import", str(path), db=tmp_path / "kasse.db")
    assert result.code == 0, result.err
    assert "2 familier og 3 personer blev oprettet" in result.out


def test_json_to_csv_to_json_keeps_every_csv_field(tmp_path, demo_db):
    exported_csv, second = tmp_path / "ud.csv", tmp_path / "second.db"
    assert run_kasse("export", str(exported_csv), db=demo_db).code == 0
    raw = exported_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and raw.split(b"\r\n")[0].count(b";") == len(COLUMNS) - 1

    assert run_kasse("import", str(exported_csv), db=second).code == 0
    original = without_lists(run_kasse("export", "-", db=demo_db).json())
    again = without_lists(run_kasse("export", "-", db=second).json())
    assert again == original


def test_csv_rows_for_existing_persons_keep_their_lists_and_are_audited(tmp_path, demo_db):
    before = run_kasse("export", "-", db=demo_db).json()
    with_lists = next(m for f in before["families"] for m in f["members"] if m["goals"] and m["contract"]["activities"])
    family = next(f for f in before["families"] if with_lists in f["members"])
    path = write_rows(tmp_path / "ret.csv", ["family.ref", "ref", "name"],
                      [[family["ref"], with_lists["ref"], "Navn Rettet"]], delimiter=";")

    result = run_kasse("import", str(path), db=demo_db)

    assert result.code == 0, result.err
    assert "1 personer blev opdateret" in result.out
    after = run_kasse("export", "-", db=demo_db).json()
    changed_family = next(f for f in after["families"] if f["ref"] == family["ref"])
    changed = next(m for m in changed_family["members"] if m["ref"] == with_lists["ref"])
    assert changed == {**with_lists, "name": "Navn Rettet"}  # goals, activities and all other fields kept
    assert changed_family["plan"] == family["plan"] and changed_family["checklist"] == family["checklist"]
    assert len(changed_family["members"]) == len(family["members"])  # members not in the file are kept
    with sqlite3.connect(demo_db) as conn:
        assert conn.execute("SELECT count(*) FROM audit WHERE new_value = 'Navn Rettet'").fetchone()[0] == 1


def test_an_empty_cell_clears_a_stored_field(tmp_path, demo_db):
    before = run_kasse("export", "-", db=demo_db).json()
    family = before["families"][0]
    member = next(m for m in family["members"] if m["nationality"])
    path = write_rows(tmp_path / "ret.csv", ["family.ref", "ref", "nationality"], [[family["ref"], member["ref"], ""]])
    assert run_kasse("import", str(path), db=demo_db).code == 0
    after = run_kasse("export", "-", "--person", member["ref"], db=demo_db).json()
    assert after["families"][0]["members"][0]["nationality"] is None


def sheet(header, *rows):
    return Sheet(header, [(number, list(cells)) for number, cells in enumerate(rows, start=2)])


def test_an_unknown_column_is_an_error_with_a_suggestion():
    with pytest.raises(InvalidSheet) as raised:
        parse_sheet(sheet(["family.ref", "ref", "nam"], ["F-1", "P-1", "X"]), {}, {})
    assert "række 1, kolonne nam: ukendt kolonne (mente du 'name'?)" in raised.value.message


def test_problems_name_row_column_and_value():
    header = ["family.ref", "family.housing", "ref", "name", "birth_date", "category", "takeover_date"]
    with pytest.raises(InvalidSheet) as raised:
        parse_sheet(sheet(header,
                          ["F-1", "temporary", "P-1", "A", "1990-01-01", "refugee", "2025-01-10"],
                          ["F-1", "", "P-1", "B", "1990-01-01", "refugee", "2025-01-10"],
                          ["F-2", "villa", "P-3", "C", "1990-01-01", "refugee", ""],
                          ["F-2", "", "P-4", "D", "1990-01-01", "asylum", "2025-01-10"]), {}, {})
    assert [(p.row, p.column, p.value) for p in raised.value.problems] == [
        (3, "ref", "P-1"),  # the repeat, not the first use
        (4, "family.housing", "villa"),
        (4, "takeover_date", ""),
        (5, "category", "asylum"),
    ]
    assert "række 3, kolonne ref, værdi 'P-1': 'P-1' bruges allerede i række 2" in raised.value.message


def test_one_family_with_two_values_in_two_rows_is_an_error():
    header = ["family.ref", "family.housing", "ref", "name", "birth_date", "category", "takeover_date"]
    with pytest.raises(InvalidSheet) as raised:
        parse_sheet(sheet(header,
                          ["F-1", "temporary", "P-1", "A", "1990-01-01", "refugee", "2025-01-10"],
                          ["F-1", "permanent", "P-2", "B", "1990-01-01", "refugee", "2025-01-10"]), {}, {})
    assert [(p.row, p.column) for p in raised.value.problems] == [(3, "family.housing")]


def test_a_family_without_members_survives_a_csv_round_trip(tmp_path):
    path = tmp_path / "tom.csv"
    write_csv(dump_document([Family(ref="F-9", members=(), housing=Housing.NONE)]), path)
    families = parse_sheet(read_csv(path), {}, {})
    assert [(f.ref, f.members) for f in families] == [("F-9", ())]


def test_export_filters_by_family_and_person(tmp_path, demo_db):
    everything = run_kasse("export", "-", db=demo_db).json()
    family = everything["families"][1]
    one_family = run_kasse("export", "-", "--family", family["ref"], db=demo_db).json()
    assert one_family["families"] == [family]
    member = family["members"][-1]
    one_person = run_kasse("export", "-", "--format", "json", "--person", member["ref"], db=demo_db).json()
    assert one_person["families"] == [{**family, "members": [member]}]
    path = tmp_path / "en.csv"
    assert run_kasse("export", str(path), "--person", member["ref"], db=demo_db).code == 0
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 2
    unknown = run_kasse("export", "-", "--family", "F-NOPE", db=demo_db)
    assert unknown.code == 1 and "F-NOPE" in unknown.err


def test_format_option_overrides_the_file_name(tmp_path, demo_db):
    path = tmp_path / "ud.txt"
    assert run_kasse("export", str(path), "--format", "csv", db=demo_db).code == 0
    assert path.read_bytes().startswith(b"\xef\xbb\xbffamily.ref;")
    result = run_kasse("import", str(path), "--format", "csv", "--dry-run", db=tmp_path / "new.db")
    assert result.code == 0, result.err and "ville blive oprettet" in result.out
    assert run_kasse("export", "-", "--format", "pdf", db=demo_db).code == 1


def test_kill_9_during_a_csv_import_leaves_the_database_intact_and_unchanged(tmp_path, demo_db):
    big = tmp_path / "stor.csv"
    write_csv(dump_document(demo_persons(8000, seed=3, today=d(TODAY))), big)
    before_export, before_counts = run_kasse("export", "-", db=demo_db).out, table_counts(demo_db)
    environment = {key: value for key, value in os.environ.items() if key != "KASSE_DB"}
    process = subprocess.Popen([sys.executable, "-m", "kasse", "import", str(big), "--db", str(demo_db)],
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wal = demo_db.with_name(demo_db.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    started = time.monotonic()
    # Kill once the import is writing (the WAL grows), or at the latest after 2.5 s.
    while time.monotonic() - started < 2.5 and process.poll() is None:
        if time.monotonic() - started > 0.4 and wal.exists() and wal.stat().st_size > wal_size:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the import finished before it could be killed"

    with sqlite3.connect(demo_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert table_counts(demo_db) == before_counts
    assert run_kasse("export", "-", db=demo_db).out == before_export
