"""The lookups as a caseworker runs them: kasse overdue / due / deadlines / show / search."""

import json
import subprocess
import sys

import pytest

from kasse.demo import demo_families
from kasse.interchange.v1 import dump_document
from tests.cli_helpers import run_kasse
from tests.factories import d

TODAY = "2026-11-23"


def test_overdue_json_lists_only_overdue_records_in_the_public_shape(demo_db):
    records = run_kasse("overdue", "--json", "--today", TODAY, db=demo_db).json()
    assert records, "the demo caseload has overdue deadlines"
    assert {r["status"] for r in records} == {"overdue"}
    assert list(records[0]) == ["family", "person", "name", "rule", "title", "due", "status", "days", "met_date",
                                "ruleset", "basis"]
    assert all(r["days"] < 0 for r in records)
    keys = [(r["due"], r["family"], r["person"] or "") for r in records]
    assert keys == sorted(keys)


def test_due_lists_overdue_and_due_within_the_window(demo_db):
    within_30 = run_kasse("due", "--within", "30", "--json", "--today", TODAY, db=demo_db).json()
    assert {r["status"] for r in within_30} <= {"overdue", "due_soon"}
    assert all(r["days"] <= 30 for r in within_30)
    default = run_kasse("due", "--json", "--today", TODAY, db=demo_db).json()
    assert all(r["days"] <= 14 for r in default)
    assert len(default) <= len(within_30)


def test_deadlines_all_includes_every_status_and_agrees_with_the_engine(demo_db):
    records = run_kasse("deadlines", "--all", "--json", "--today", TODAY, db=demo_db).json()
    from kasse.cli.output import deadline_record
    from kasse.rules import deadlines

    expected = [deadline_record(x) for x in deadlines(demo_families(12, seed=3, today=d(TODAY)), today=d(TODAY))]
    assert records == expected
    open_only = run_kasse("deadlines", "--json", "--today", TODAY, db=demo_db).json()
    assert {r["status"] for r in open_only} <= {"overdue", "due_soon", "upcoming", "paused"}
    assert len(open_only) < len(records)


def test_csv_output_has_the_json_fields_as_header(demo_db):
    lines = run_kasse("overdue", "--csv", "--today", TODAY, db=demo_db).out.splitlines()
    assert lines[0] == "family,person,name,rule,title,due,status,days,met_date,ruleset,basis"
    assert len(lines) > 1


def test_table_output_is_danish_with_dates_as_dd_mm_yyyy(demo_db):
    out = run_kasse("overdue", "--today", TODAY, db=demo_db).out
    assert "Overskredet" in out
    assert "Forfald" in out
    first = run_kasse("overdue", "--json", "--today", TODAY, db=demo_db).json()[0]["due"]
    year, month, day = first.split("-")
    assert f"{day}-{month}-{year}" in out


def test_global_and_command_db_options_and_env_all_reach_the_database(demo_db):
    via_env = run_kasse("overdue", "--json", "--today", TODAY, env={"KASSE_DB": str(demo_db)})
    via_global = run_kasse("--db", str(demo_db), "overdue", "--json", "--today", TODAY)
    assert via_env.code == via_global.code == 0, (via_env.err, via_global.err)
    assert via_env.json() == via_global.json()


@pytest.mark.parametrize("option", [["--today", "2027-06-01"], ["--rules", "2015"]])
def test_today_and_rules_before_the_command_equal_the_same_after_it(demo_db, option):
    """`kasse --today X overdue` is `kasse overdue --today X` (and so for --rules), not silently today's list."""
    fixed_day = [] if option[0] == "--today" else ["--today", TODAY]
    before = run_kasse(*option, "overdue", "--json", *fixed_day, db=demo_db).json()
    after = run_kasse("overdue", "--json", *fixed_day, *option, db=demo_db).json()
    without = run_kasse("overdue", "--json", "--today", TODAY, db=demo_db).json()
    assert before == after != without


def test_show_and_search_find_a_person(demo_db):
    person = run_kasse("export", "-", db=demo_db).json()["families"][0]["members"][0]
    shown = run_kasse("show", person["ref"], "--today", TODAY, db=demo_db)
    assert shown.code == 0, shown.err
    assert person["name"] in shown.out and "Frister" in shown.out
    found = run_kasse("search", person["name"].split()[0], db=demo_db)
    assert person["ref"] in found.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["overdue", "--today", "2026-02-30"], "findes ikke"),
        (["show", "P-DOES-NOT-EXIST"], "Ingen borger"),
        (["overdue", "--json", "--csv"], "enten --json eller --csv"),
    ],
)
def test_user_mistakes_give_one_danish_line_and_non_zero_exit(demo_db, args, message):
    result = run_kasse(*args, db=demo_db)
    assert result.code != 0
    assert message in result.err
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_missing_database_is_a_message_not_a_traceback(tmp_path):
    result = run_kasse("overdue", db=tmp_path / "nowhere.db")
    assert result.code == 1
    assert "Databasen findes ikke" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "nowhere.db").exists()


def test_a_file_that_is_not_a_database_is_a_message(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("this is not sqlite " * 100)
    result = run_kasse("overdue", db=junk)
    assert result.code == 1
    assert "Traceback" not in result.err and result.err.startswith("Fejl:")


def test_lookup_path_imports_neither_sqlmodel_sqlalchemy_nor_textual(demo_db):
    probe = (
        "import sys\n"
        "from kasse.cli import main as cli\n"
        f"sys.argv = ['kasse', 'overdue', '--json', '--today', '{TODAY}', '--db', {str(demo_db)!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sqlmodel', 'sqlalchemy', 'alembic', 'textual', 'pydantic'})\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr
    assert json.loads(done.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["search", "Amina", "--json"],
        ["search", "Amina"],
        ["search", "--notes", "tolk", "--json"],
        ["overdue", "--tasks", "--json", "--today", TODAY],
        ["tasks", "--json", "--today", TODAY],
        ["journal", "F-2026-001", "--json"],
    ],
    ids=" ".join,
)
def test_the_journals_lookups_import_neither_sqlmodel_sqlalchemy_nor_textual(demo_db, args):
    probe = (
        "import sys\n"
        "from kasse.cli import main as cli\n"
        f"sys.argv = ['kasse', *{args!r}, '--db', {str(demo_db)!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sqlmodel', 'sqlalchemy', 'alembic', 'textual'})\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr


def test_demo_never_writes_into_a_database_holding_a_caseload(tmp_path):
    db = tmp_path / "real.db"
    families = demo_families(2, seed=9, today=d(TODAY))
    source = tmp_path / "real.json"
    source.write_text(json.dumps(dump_document(families)), encoding="utf-8")
    assert run_kasse("import", str(source), db=db).code == 0
    before = run_kasse("export", "-", db=db).out
    data_home = tmp_path / "data"
    result = run_kasse("demo", "--no-open", "--families", "3", "--today", TODAY, db=db,
                       env={"XDG_DATA_HOME": str(data_home)})
    assert result.code == 0, result.err
    assert "demo.db" in result.out
    assert run_kasse("export", "-", db=db).out == before
    assert (data_home / "kasse" / "demo.db").exists()


def test_demo_never_replaces_a_demo_file_holding_real_work(tmp_path):
    data_home = tmp_path / "data"
    env = {"XDG_DATA_HOME": str(data_home)}
    real = tmp_path / "real.db"
    assert run_kasse("demo", "--no-open", "--families", "2", "--today", TODAY, db=real, env=env).code == 0
    demo_file = data_home / "kasse" / "demo.db"
    assert run_kasse("demo", "--no-open", "--families", "2", "--today", TODAY, db=real, env=env).code == 0
    assert demo_file.exists(), "a second demo goes to demo.db beside the real caseload"
    doc = run_kasse("export", "-", db=demo_file).json()
    doc["families"][0]["members"][0]["name"] = "Rigtig Borger"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc), encoding="utf-8")
    assert run_kasse("import", str(edited), db=demo_file, env={"KASSE_USER": "sagsbehandler"}).code == 0

    refused = run_kasse("demo", "--no-open", "--today", TODAY, db=real, env=env)

    assert refused.code == 1 and "andet end demo-data" in refused.err
    assert run_kasse("export", "-", db=demo_file).json()["families"][0]["members"][0]["name"] == "Rigtig Borger"


@pytest.mark.parametrize(("command", "collecting"), [("overdue", False), ("show", False), ("init", True), (None, True)])
def test_only_quick_lookups_run_without_the_cycle_collector(demo_db, command, collecting):
    """The console script starts with the collector off; every command but a quick lookup turns it on."""
    probe = (
        "import gc, sys\n"
        "from kasse.__main__ import main\n"
        f"sys.argv = ['kasse', *{[command, 'P-0016'] if command == 'show' else [command] if command else []!r},"
        f" '--db', {str(demo_db)!r}]\n"
        "from kasse.cli import main as cli\n"
        "cli.open_app = lambda *args: None  # the app itself is not the point here\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('COLLECTING', gc.isenabled(), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert f"COLLECTING {collecting}" in done.stderr
