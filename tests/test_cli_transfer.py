"""kasse import / export of kasse/v1 files, run as a user runs them."""

import json
import sqlite3

import pytest

from kasse.demo import demo_families
from kasse.interchange.v1 import dump_document
from tests.cli_helpers import run_kasse
from tests.factories import d

TODAY = "2026-11-23"


@pytest.fixture
def caseload_file(tmp_path):
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(dump_document(demo_families(8, seed=5, today=d(TODAY))), ensure_ascii=False),
                    encoding="utf-8")
    return path


def table_counts(db):
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_export_import_export_gives_identical_json(tmp_path, caseload_file):
    first_db, second_db = tmp_path / "first.db", tmp_path / "second.db"
    assert run_kasse("import", str(caseload_file), db=first_db).code == 0
    exported = tmp_path / "exported.json"
    assert run_kasse("export", str(exported), db=first_db).code == 0
    assert run_kasse("import", str(exported), db=second_db).code == 0
    again = run_kasse("export", "-", db=second_db)
    assert again.code == 0, again.err
    assert again.out == exported.read_text(encoding="utf-8")
    assert json.loads(again.out)["format"] == "kasse/v1"


def bad_document():
    families = dump_document(demo_families(3, seed=2, today=d(TODAY)))
    families["families"][1]["members"][0]["category"] = "asylum_seeker"
    families["families"][2]["members"][0]["takeover_date"] = "2025-02-30"
    return families


def test_bad_file_is_refused_naming_record_and_field_and_changes_nothing(tmp_path, caseload_file):
    db = tmp_path / "kasse.db"
    assert run_kasse("import", str(caseload_file), db=db).code == 0
    before_export, before_counts = run_kasse("export", "-", db=db).out, table_counts(db)
    doc = bad_document()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")

    result = run_kasse("import", str(bad), db=db)

    assert result.code == 1
    assert "Traceback" not in result.err
    wrong_category = doc["families"][1]["members"][0]["ref"]
    wrong_date = doc["families"][2]["members"][0]["ref"]
    assert any(wrong_category in line and "category" in line for line in result.err.splitlines())
    assert any(wrong_date in line and "takeover_date" in line and "findes ikke" in line
               for line in result.err.splitlines())
    assert run_kasse("export", "-", db=db).out == before_export
    assert table_counts(db) == before_counts


def test_dry_run_reports_and_writes_nothing(tmp_path, caseload_file):
    db = tmp_path / "kasse.db"
    assert run_kasse("init", db=db).code == 0
    before = table_counts(db)
    result = run_kasse("import", str(caseload_file), "--dry-run", db=db)
    assert result.code == 0, result.err
    assert "8 familier" in result.out and "ville blive oprettet" in result.out
    assert table_counts(db) == before


def test_import_updates_by_ref_and_audits_the_change(tmp_path, caseload_file):
    db = tmp_path / "kasse.db"
    assert run_kasse("import", str(caseload_file), db=db).code == 0
    doc = json.loads(caseload_file.read_text(encoding="utf-8"))
    member = doc["families"][0]["members"][0]
    member["name"] = "Navn Rettet"
    caseload_file.write_text(json.dumps(doc), encoding="utf-8")

    result = run_kasse("import", str(caseload_file), db=db, env={"KASSE_USER": "sagsbehandler1"})

    assert result.code == 0, result.err
    assert "1 personer blev opdateret" in result.out or "1 familier og 1 personer blev opdateret" in result.out
    exported = run_kasse("export", "-", db=db).json()
    assert exported["families"][0]["members"][0]["name"] == "Navn Rettet"
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT * FROM audit WHERE new_value = 'Navn Rettet'").fetchall()
    assert len(rows) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "JSON"), ('{"format": "kasse/v2", "families": []}', "kasse/v1")],
)
def test_unreadable_files_are_refused_with_a_message(tmp_path, content, message):
    path = tmp_path / "in.json"
    path.write_text(content, encoding="utf-8")
    result = run_kasse("import", str(path), db=tmp_path / "kasse.db")
    assert result.code == 1
    assert message in result.err and "Traceback" not in result.err


def test_missing_import_file_is_a_message(tmp_path):
    result = run_kasse("import", str(tmp_path / "missing.json"), db=tmp_path / "kasse.db")
    assert result.code == 1 and "Traceback" not in result.err


def test_export_returns_what_it_wrote_and_the_cli_says_it(tmp_path, caseload_file):
    """The service returns counts (ExportResult); the sentence is the CLI's - for kasse/v1 and for a calendar."""
    from kasse.interchange.transfer import ExportResult, FileFormat, export_file

    db = tmp_path / "kasse.db"
    assert run_kasse("import", str(caseload_file), db=db).code == 0
    persons = sum(len(family["members"]) for family in json.loads(caseload_file.read_text())["families"])
    first_family = json.loads(caseload_file.read_text())["families"][0]

    sheet, calendar = tmp_path / "caseload.csv", tmp_path / "frister.ics"
    said = run_kasse("export", str(sheet), db=db)
    said_calendar = run_kasse("export", str(calendar), "--today", TODAY, db=db)

    assert said.out == f"8 familier og {persons} personer skrevet til {sheet}\n"
    events = calendar.read_text(encoding="utf-8").count("BEGIN:VEVENT")
    assert events > 0 and said_calendar.out == f"{events} åbne frister skrevet til {calendar}\n"
    one = export_file(db, str(tmp_path / "one.json"), family=first_family["ref"])
    assert one == ExportResult(str(tmp_path / "one.json"), FileFormat.JSON, 1, len(first_family["members"]))
    assert run_kasse("export", "-", db=db).out.startswith("{")  # standard output holds the file alone


def test_demo_returns_where_it_wrote_and_the_cli_says_how_to_open_it(tmp_path):
    from kasse.demo.setup import DemoResult, write_demo

    result = write_demo(tmp_path / "service.db", families=2, seed=4, today=d(TODAY))
    assert result == DemoResult(tmp_path / "service.db", 2, result.persons, result.notes, result.tasks)
    assert result.persons >= 2 and result.notes >= 2

    requested = tmp_path / "demo.db"
    elsewhere = run_kasse("demo", "--no-open", "--families", "2", "--seed", "4", "--today", TODAY, db=requested)
    configured = run_kasse("demo", "--no-open", "--families", "2", "--seed", "4", "--today", TODAY,
                           env={"KASSE_DB": str(tmp_path / "configured.db")})

    journal = f"{result.notes} notater og {result.tasks} opgaver"
    assert elsewhere.out == (f"Demo-sagsstamme med 2 familier, {result.persons} personer, {journal} skrevet til {requested}\n"
                             f"Åbn den med: kasse --db {requested}\n")
    assert configured.out.endswith("skrevet til " + str(tmp_path / "configured.db") + "\nÅbn den med: kasse\n")


def test_export_and_import_say_how_many_notes_and_tasks_and_a_second_import_adds_none(tmp_path, demo_db):
    exported = run_kasse("export", str(tmp_path / "all.json"), db=demo_db)
    document = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    notes, tasks = len(document["journal"]), len(document["tasks"])
    assert notes > 0 and tasks > 0
    assert f"med {notes} notater og {tasks} opgaver skrevet til" in exported.out

    first = run_kasse("import", str(tmp_path / "all.json"), db=tmp_path / "copy.db")
    again = run_kasse("import", str(tmp_path / "all.json"), db=tmp_path / "copy.db")

    assert f"Journalen: {notes} nye notater og {tasks} nye opgaver blev tilføjet" in first.out
    assert "Journalen" not in again.out and "0 familier og 0 personer blev oprettet" in again.out


def test_an_import_is_audited_under_the_configured_user(tmp_path, caseload_file):
    config = tmp_path / "kasse.toml"
    config.write_text('user = "anna"\n', encoding="utf-8")
    db = tmp_path / "kasse.db"

    assert run_kasse("import", str(caseload_file), db=db, env={"KASSE_CONFIG": str(config)}).code == 0

    with sqlite3.connect(db) as connection:
        actors = {actor for (actor,) in connection.execute("SELECT DISTINCT actor FROM audit")}
    assert actors == {"anna"}  # not the login name the test runs under
