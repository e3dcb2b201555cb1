"""One error boundary: every expected failure is one Danish line without personal data, a bug is one line and a
report, messages are capped, and a failed import leaves no backup."""

from __future__ import annotations

import errno
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, text

from kasse import failures
from kasse.data.db import WRITES_ALLOWED, create_engine_for, open_database
from kasse.data.store import Store, import_families
from kasse.errors import KasseError, problem_list, shorten_values
from kasse.interchange.v1 import InvalidDocument, Problem
from tests.cli_helpers import run_kasse
from tests.databases import new_database_file
from tests.factories import family, person

NAME = "Amina Hassan"
CPR = "010190-1234"
CPR_DIGITS = CPR.replace("-", "")
HEADER = ["family.ref", "ref", "name", "birth_date", "category", "takeover_date"]


def caseload_db(path: Path, count: int = 1) -> Path:
    """A kasse database holding `count` families, each one person named NAME with CPR."""
    with open_database(new_database_file(path)) as database:
        import_families(Store(database, actor="tester"), [
            family(person(f"P-{i}", name=f"{NAME} {i}", cpr=CPR_DIGITS, born="1990-01-01"), ref=f"F-{i}")
            for i in range(count)
        ])
    return path


def document(*persons: dict) -> dict:
    return {"format": "kasse/v1", "families": [
        {"ref": f"F-{p['ref']}", "members": [p]} for p in persons
    ]}


def member(ref: str, name: str = NAME, **fields) -> dict:
    return {"ref": ref, "name": name, "cpr": CPR, "birth_date": "1990-01-01", "category": "refugee",
            "takeover_date": "2025-01-10", **fields}


def write_json(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def backups(db: Path) -> list[str]:
    folder = db.parent / "backups"
    return sorted(entry.name for entry in folder.iterdir()) if folder.is_dir() else []


def assert_one_clean_line(err: str, *also_absent: str) -> str:
    """stderr holds one 'Fejl: ...' line: no traceback, no name, no CPR number."""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Fejl: "), err
    for secret in (NAME, CPR, CPR_DIGITS, *also_absent):
        assert secret not in err
    return lines[0]


# --------------------------------------------------------------------------- the CLI, as a user runs it


def test_an_import_meeting_a_lock_says_the_database_is_busy_and_takes_no_backup(tmp_path):
    db = caseload_db(tmp_path / "kasse.db")
    changed = write_json(tmp_path / "changed.json", document(member("P-0", name=f"{NAME} Ali")))
    blocker = sqlite3.connect(db, timeout=0, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        result = run_kasse("import", str(changed), db=db)  # waits out the busy timeout (5 s)
    finally:
        blocker.rollback()
        blocker.close()
    assert result.code == 1
    line = assert_one_clean_line(result.err)
    assert line == "Fejl: Databasen er optaget af et andet program - prøv igen om lidt."
    assert backups(db) == []


@pytest.mark.parametrize("command", [["overdue"], ["search", "Amina"], ["import", "IMPORT"], ["export", "-"],
                                     ["backup"], ["init"]])
def test_a_file_that_is_not_sqlite_gives_one_line(tmp_path, command):
    db = tmp_path / "kasse.db"
    db.write_text("Amina Hassan 010190-1234 - a note, not a database\n" * 20, encoding="utf-8")
    source = write_json(tmp_path / "in.json", document(member("P-1")))
    result = run_kasse(*[str(source) if part == "IMPORT" else part for part in command], db=db)
    assert result.code == 1
    assert_one_clean_line(result.err)


def test_a_damaged_database_gives_one_line_pointing_to_check_and_restore(tmp_path):
    db = caseload_db(tmp_path / "kasse.db", count=30)
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        roots = [page for (page,) in connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name IN ('family', 'person')")]
    data = bytearray(db.read_bytes())
    for page in roots:  # the tables' pages, not the schema: the file still opens
        start = (page - 1) * page_size
        data[start + 8:start + page_size:5] = b"\xff" * len(range(start + 8, start + page_size, 5))
    db.write_bytes(bytes(data))
    for command in (["overdue"], ["export", "-"]):
        result = run_kasse(*command, db=db)
        assert result.code == 1
        line = assert_one_clean_line(result.err)
        assert "kasse check" in line and "kasse restore" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a file whatever its mode")
def test_a_read_only_database_gives_one_line(tmp_path):
    db = caseload_db(tmp_path / "kasse.db")
    changed = write_json(tmp_path / "changed.json", document(member("P-0", name=f"{NAME} Ali")))
    db.chmod(0o400)
    try:
        result = run_kasse("import", str(changed), db=db)
    finally:
        db.chmod(0o600)
    assert result.code == 1
    assert_one_clean_line(result.err)


def test_a_full_disk_during_an_import_is_one_line_and_leaves_no_backup(tmp_path, monkeypatch, capsys):
    """SQLITE_FULL for real: the store's connections may not grow the file by one page (PRAGMA max_page_count)."""
    import kasse.data.db as db_module
    from kasse.cli.main import main

    db = caseload_db(tmp_path / "kasse.db")
    source = write_json(tmp_path / "many.json", document(*(member(f"P-{i}", name=f"{NAME} {i}" * 40,
                                                                  cpr=f"010190-{i:04d}")  # one CPR a person
                                                           for i in range(1, 200))))

    def engine_on_a_full_disk(path):
        engine = create_engine_for(path)

        @event.listens_for(engine, "connect")
        def _no_room(connection, _record) -> None:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count={pages}")

        return engine

    monkeypatch.setattr(db_module, "create_engine_for", engine_on_a_full_disk)
    monkeypatch.setenv("KASSE_CONFIG", os.devnull + ".kasse.toml")
    monkeypatch.delenv("KASSE_DB", raising=False)
    monkeypatch.setattr(sys, "argv", ["kasse", "--db", str(db), "import", str(source)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    line = assert_one_clean_line(capsys.readouterr().err)
    assert line.startswith("Fejl: Disken er fuld")
    assert backups(db) == []
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM person").fetchone()[0] == 1


def test_a_bug_is_one_line_exit_70_and_a_report_without_personal_data(tmp_path):
    db = caseload_db(tmp_path / "kasse.db")
    xdg = tmp_path / "xdg"
    script = (
        "import sys, kasse.lookups as lookups\n"
        "def broken(*args, **kwargs):\n"
        f"    raise RuntimeError('{NAME} {CPR}')\n"
        "lookups.find = broken\n"
        "from kasse.cli.main import main\n"
        f"sys.argv = ['kasse', '--db', {str(db)!r}, 'search', {NAME!r}]\n"
        "main()\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "KASSE_DB"}
    environment.update({"XDG_DATA_HOME": str(xdg), "KASSE_CONFIG": os.devnull + ".kasse.toml"})
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment,
                          timeout=120, check=False)
    assert done.returncode == failures.EXIT_UNEXPECTED
    line = assert_one_clean_line(done.stderr)
    assert line.startswith("Fejl: Uventet fejl i kasse (RuntimeError)")
    reports = list((xdg / "kasse" / failures.CRASH_FOLDER).iterdir())
    assert len(reports) == 1 and str(reports[0]) in line
    assert reports[0].stat().st_mode & 0o777 == 0o600
    report = reports[0].read_text(encoding="utf-8")
    assert "Kommando: kasse search" in report
    assert "in broken" in report and "builtins.RuntimeError" in report
    assert NAME not in report and CPR not in report


# --------------------------------------------------------------------------- capped messages


def bad_rows_csv(path: Path, count: int) -> Path:
    rows = [",".join(HEADER)]
    rows += [f"F-{i},P-{i},{NAME} {i},1990-13-45,refugee,2025-01-10" for i in range(count)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_500_bad_rows_print_at_most_22_lines_and_the_report_has_all_500(tmp_path):
    db = caseload_db(tmp_path / "kasse.db")
    source = bad_rows_csv(tmp_path / "bad.csv", 500)
    report = tmp_path / "fejl.csv"
    result = run_kasse("import", str(source), "--report", str(report), db=db)
    assert result.code == 1
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) <= 23, result.err  # heading, 20 problems, the count of the rest, the report's name
    assert "(500 fejl)" in lines[0]
    assert "... og 480 flere fejl" in result.err
    assert str(report) in lines[-1]
    with report.open(encoding="utf-8-sig") as file:
        assert len(file.read().splitlines()) == 1 + 500
    assert backups(db) == []


def test_500_bad_records_in_json_print_20_and_a_count(tmp_path):
    db = tmp_path / "kasse.db"
    source = write_json(tmp_path / "bad.json", document(*(member(f"P-{i}", birth_date="1990-02-30")
                                                         for i in range(500))))
    result = run_kasse("import", str(source), db=db)
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 22 and lines[-1] == "  ... og 480 flere fejl", result.err


def test_a_huge_value_is_cut_in_the_message(tmp_path):
    huge = "x" * 131_000
    source = bad_rows_csv(tmp_path / "bad.csv", 1)
    source.write_text(source.read_text(encoding="utf-8").replace("1990-13-45", huge), encoding="utf-8")
    result = run_kasse("import", str(source), db=tmp_path / "kasse.db")
    assert result.code == 1
    assert len(result.err) < 2_000, len(result.err)
    assert "x" * 59 + "…" in result.err and "x" * 61 not in result.err


def test_problem_lists_cut_quoted_values_and_refs():
    long_ref = "R" * 500
    problems = [Problem(f"familie {long_ref}", "members[0].category", f"ukendt kategori '{'q ' * 300}'")]
    message = str(InvalidDocument(problems))
    assert "R" * 59 + "…" in message and "R" * 61 not in message
    assert max(len(line) for line in message.splitlines()) <= 300
    assert message.count("\n") == 1
    assert shorten_values("række 2, værdi 'kort': ukendt") == "række 2, værdi 'kort': ukendt"
    many = problem_list("Overskrift:", [f"fejl {i}" for i in range(21)])
    assert many.splitlines()[-1] == "  ... og 1 flere fejl" and len(many.splitlines()) == 22


def test_a_line_break_in_a_value_keeps_one_problem_on_one_line():
    message = problem_list("Overskrift:", [Problem("familie F-1\nFejl: falsk", "ref", "mangler")])
    assert message.count("\n") == 1


# --------------------------------------------------------------------------- refs SQLite treats differently


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\n", "\x85"])
def test_a_control_character_in_a_ref_is_refused_before_anything_is_written(tmp_path, control):
    """Validation refuses it: Danish, no traceback, no raw control character, no data, no backup."""
    db = caseload_db(tmp_path / "kasse.db")
    source = write_json(tmp_path / "nul.json", {"format": "kasse/v1", "families": [
        {"ref": f"F-{control}2", "members": [member(f"P-{control}2")]}]})
    result = run_kasse("import", str(source), db=db)
    assert result.code == 1 and result.err.startswith("Fejl: "), result.err
    assert "kontroltegn" in result.err
    assert "Traceback" not in result.err and control not in result.err.replace("\n", "")
    assert NAME not in result.err and CPR not in result.err
    assert backups(db) == []
    assert run_kasse("search", "P-", db=db).code == 0


def test_a_failed_validation_takes_no_backup_and_a_good_import_takes_one(tmp_path):
    db = caseload_db(tmp_path / "kasse.db")
    bad = write_json(tmp_path / "bad.json", document(member("P-9", birth_date="1990-02-30")))
    assert run_kasse("import", str(bad), db=db).code == 1
    assert run_kasse("import", str(bad_rows_csv(tmp_path / "bad.csv", 3)), db=db).code == 1
    good = write_json(tmp_path / "good.json", document(member("P-9")))
    assert run_kasse("import", str(good), "--dry-run", db=db).code == 0
    assert backups(db) == []
    assert run_kasse("import", str(good), db=db).code == 0
    assert len(backups(db)) == 1


# --------------------------------------------------------------------------- the mapping, with real SQLite errors


def raised(action) -> BaseException:
    try:
        action()
    except BaseException as error:  # noqa: BLE001 - the error is the test's subject
        return error
    raise AssertionError("nothing was raised")


def test_sqlite_errors_map_to_their_lines(tmp_path):
    db = tmp_path / "plain.db"
    with sqlite3.connect(db) as setup:
        setup.execute("CREATE TABLE t (ref TEXT UNIQUE NOT NULL)")
        setup.execute("INSERT INTO t VALUES ('F-1')")

    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        busy = raised(lambda: sqlite3.connect(db, timeout=0).execute("SELECT * FROM t").fetchall())
    finally:
        holder.rollback()
        holder.close()
    assert failures.explain(busy) == failures.BUSY

    read_only = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert failures.explain(raised(lambda: read_only.execute("INSERT INTO t VALUES ('F-2')"))) == failures.READ_ONLY
    read_only.close()

    not_a_db = tmp_path / "note.txt"
    not_a_db.write_text("not a database " * 100, encoding="utf-8")
    assert failures.explain(raised(lambda: sqlite3.connect(not_a_db).execute("SELECT 1 FROM t"))) == failures.DAMAGED

    missing = tmp_path / "no-such-folder" / "kasse.db"
    assert failures.explain(raised(lambda: sqlite3.connect(missing))) == failures.CANNOT_OPEN

    with sqlite3.connect(db) as connection:
        duplicate = raised(lambda: connection.execute("INSERT INTO t VALUES ('F-1')"))
    assert failures.explain(duplicate) == failures.VALUE_REFUSED.format(code="SQLITE_CONSTRAINT_UNIQUE")


def test_disk_full_maps_by_error_code():
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode, full.sqlite_errorname = 13, "SQLITE_FULL"
    assert failures.explain(full) == failures.FULL
    assert failures.explain(OSError(errno.ENOSPC, "No space left on device", "/data/kasse.db")) == failures.FULL


def test_os_errors_name_the_file_and_not_its_content():
    denied = failures.explain(PermissionError(errno.EACCES, "Permission denied", "/data/kasse.db"))
    assert denied.startswith("Ingen adgang til filen /data/kasse.db")
    assert failures.explain(FileNotFoundError(errno.ENOENT, "No such file", "x.json")) == "Filen x.json findes ikke."


def test_sqlalchemy_errors_hide_the_values_and_map_by_their_cause(tmp_path):
    db = caseload_db(tmp_path / "kasse.db")
    engine = create_engine_for(db)
    try:
        with engine.connect() as connection:
            connection.execution_options(**{WRITES_ALLOWED: True})
            insert = text("INSERT INTO family (id, ref) VALUES (:id, :ref)")
            duplicate = raised(lambda: connection.execute(insert, {"id": 1, "ref": f"F-0 {CPR} {NAME}"}))
            surrogate = raised(lambda: connection.execute(insert, {"id": 998, "ref": f"{NAME} \ud800"}))
            too_big = raised(lambda: connection.execute(insert, {"id": 2**70, "ref": NAME}))
    finally:
        engine.dispose()
    assert type(duplicate).__module__.startswith("sqlalchemy")
    for error in (duplicate, surrogate, too_big):  # the last two the driver raises before SQLite runs
        assert NAME not in str(error) and CPR not in str(error)
        line = failures.explain(error)
        assert line is not None and line.startswith("Databasen afviste en værdi"), (error, line)


def test_a_user_mistake_is_its_own_message_and_a_bug_is_none():
    assert failures.explain(KasseError("Ukendt familie: F-9")) == "Ukendt familie: F-9"
    assert failures.explain(KeyError(NAME)) is None
    assert failures.explain(sqlite3.ProgrammingError("Cannot operate on a closed database.")) is None
    assert NAME not in failures.describe(RuntimeError(NAME))


def test_the_terminal_gets_no_control_characters_and_no_endless_message():
    shown = failures.for_terminal("Ukendt familie: F-\x1b]0;hacked\x07\n" + "linje\n" * 100)
    assert "\x1b" not in shown and "\x07" not in shown
    assert len(shown.splitlines()) <= failures.MAX_MESSAGE_LINES + 1


# --------------------------------------------------------------------------- the app


async def test_a_bug_in_a_database_job_is_one_danish_notification_and_a_report(tmp_path, monkeypatch):
    from tests.tui_support import app_on, settle

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    app = app_on(tmp_path, family(person("P-1", name=NAME, cpr=CPR_DIGITS), ref="F-1"))

    def broken() -> None:
        raise RuntimeError(f"{NAME} {CPR}")

    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.run_db(broken)
        await settle(pilot)
        messages = [n.message for n in app._notifications]
    errors = [m for m in messages if m.startswith("Uventet fejl i kasse (RuntimeError)")]
    assert len(errors) == 1 and not any(NAME in m or CPR in m for m in messages)
    (report,) = (tmp_path / "xdg" / "kasse" / failures.CRASH_FOLDER).iterdir()
    assert str(report) in errors[0]
    assert "Kommando: kasse tui" in report.read_text(encoding="utf-8")
    assert NAME not in report.read_text(encoding="utf-8")


async def test_a_crash_closes_the_app_with_one_line_not_a_traceback_with_locals(tmp_path, monkeypatch):
    from rich.console import Console

    from tests.tui_support import app_on, settle

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    app = app_on(tmp_path, family(person("P-1", name=NAME, cpr=CPR_DIGITS), ref="F-1"))
    shown: list = []
    monkeypatch.setattr(app, "_print_error_renderables", lambda: shown.extend(app._exit_renderables))

    def crash() -> None:
        secret = f"{NAME} {CPR}"  # a local variable Textual's own traceback would print
        raise RuntimeError(secret)

    with pytest.raises(RuntimeError):
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            app.call_later(crash)
            await settle(pilot)
    console = Console(width=200, record=True, file=io.StringIO())
    for renderable in app._exit_renderables or shown:
        console.print(renderable)
    printed = console.export_text()
    assert printed.strip().startswith("Uventet fejl i kasse (RuntimeError)"), printed  # one line, wrapped
    assert NAME not in printed and "Traceback" not in printed and "secret" not in printed
    assert len(list((tmp_path / "xdg" / "kasse" / failures.CRASH_FOLDER).iterdir())) == 1
