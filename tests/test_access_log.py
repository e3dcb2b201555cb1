"""The access log: who looked at which person or family - append-only, kept by a restore, purgeable by ref,
written by show, export and print before they show anything, and listed by `kasse access-log`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kasse.access_log import ANONYMISED, look
from kasse.backup.copies import restore_candidate, take_backup
from kasse.backup.integrity import check_database
from kasse.backup.restore import restore_into
from kasse.data import access_log, reader
from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.errors import KasseError
from tests.cli_helpers import run_kasse
from tests.databases import new_database_file
from tests.factories import family, person
from tests.older_databases import database_at

AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
TODAY = "2026-11-23"
CPR = "010190-1238"


def caseload(path: Path) -> Path:
    """F-1 with P-1 and P-2, F-2 with P-3."""
    with open_database(new_database_file(path), clock=lambda: AT) as database:
        families = [family(person("P-1", name="Amina Hassan", cpr=CPR), person("P-2", name="Omar Hassan"), ref="F-1"),
                    family(person("P-3", name="Lina Saleh"), ref="F-2")]
        import_families(Store(database, actor="anna"), families)
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return caseload(tmp_path / "data" / "kasse.db")


def logged(path: Path, ref: str | None = None):
    with closing(reader.connect(path)) as connection:
        return access_log.entries(connection, ref)


def rows(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(
            "SELECT actor, command, record_kind, record_ref, family_ref FROM access_log ORDER BY id").fetchall()


# -- the table ---------------------------------------------------------------------------------------------


def test_a_look_is_logged_and_read_back_newest_first(db):
    access_log.log(db, look("F-1", "P-1", at=AT, actor="anna", command="show"))
    access_log.log(db, look("F-1", None, at=AT.replace(minute=31), actor="bo", command="app"))

    found = logged(db)
    assert [(e.actor, e.command, e.record_kind, e.record_ref, e.family_ref) for e in found] == [
        ("bo", "app", "family", "F-1", "F-1"), ("anna", "show", "person", "P-1", "F-1")]
    assert found[1].at == AT
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("SELECT at FROM access_log ORDER BY id").fetchone() == ("2026-11-23T09:30:00.000+00:00",)


def test_a_persons_looks_are_theirs_and_their_familys_a_familys_its_own_and_its_members(db):
    access_log.log(db, look("F-1", "P-1", at=AT, actor="anna", command="show"))
    access_log.log(db, look("F-1", "P-2", at=AT, actor="anna", command="show"))
    access_log.log(db, look("F-1", None, at=AT, actor="anna", command="app"))
    access_log.log(db, look("F-2", "P-3", at=AT, actor="anna", command="show"))

    assert sorted(e.record_ref for e in logged(db, "P-1")) == ["F-1", "P-1"]
    assert sorted(e.record_ref for e in logged(db, "F-1")) == ["F-1", "P-1", "P-2"]
    assert [e.record_ref for e in logged(db, "P-3")] == ["P-3"]
    assert logged(db, "P-99") == []


def test_the_log_refuses_update_and_delete(db):
    access_log.log(db, look("F-1", "P-1", at=AT, actor="anna", command="show"))
    with closing(sqlite3.connect(db)) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="Adgangsloggen kan kun udvides"):
            connection.execute("DELETE FROM access_log")
        with pytest.raises(sqlite3.IntegrityError, match="Adgangsloggen kan kun udvides"):
            connection.execute("UPDATE access_log SET actor = 'bo'")
        with pytest.raises(sqlite3.IntegrityError, match="Adgangsloggen kan kun udvides"):
            connection.execute("UPDATE access_log SET record_ref = 'P-2'")


def test_a_purge_anonymises_a_refs_rows_and_keeps_who_looked_and_when(db):
    access_log.log(db, look("F-1", "P-1", at=AT, actor="anna", command="show"))
    access_log.log(db, look("F-1", "P-2", at=AT, actor="bo", command="print contract"))
    with closing(sqlite3.connect(db)) as connection, connection:
        assert access_log.anonymise(connection, "P-1") == 1
    assert rows(db) == [("anna", "show", "person", ANONYMISED, "F-1"),
                        ("bo", "print contract", "person", "P-2", "F-1")]
    assert logged(db, "P-1") == []
    assert check_database(db).ok


def test_kasse_check_names_a_dropped_access_log_trigger(db):
    assert check_database(db).ok
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("DROP TRIGGER access_log_no_delete")
    report = check_database(db)
    assert [str(problem) for problem in report.schema] == ["trigger access_log_no_delete mangler"]


def test_a_database_from_0006_gets_the_log_and_passes_check(tmp_path):
    path = tmp_path / "kasse.db"
    database_at(path, "0006")
    open_database(path, clock=lambda: AT).close()
    access_log.log(path, look("F-1", None, at=AT, actor="anna", command="app"))
    assert len(logged(path)) == 1
    assert check_database(path).ok


def test_a_restore_keeps_the_live_log_and_adds_the_backups_rows(db, tmp_path):
    access_log.log(db, look("F-1", "P-1", at=AT, actor="anna", command="show"))
    backup = take_backup(db, clock=lambda: AT)
    access_log.log(db, look("F-2", "P-3", at=AT.replace(hour=10), actor="bo", command="show"))

    with restore_candidate(backup, db, lambda: "unused") as candidate:
        restore_into(candidate, db, clock=lambda: AT.replace(hour=11), actor="bo")

    assert [(actor, ref) for actor, _, _, ref, _ in rows(db)] == [("anna", "P-1"), ("bo", "P-3")]
    assert check_database(db).ok


# -- what cannot be logged is not shown -----------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a file whatever its mode")
def test_a_read_only_database_refuses_the_look_in_danish(db):
    os.chmod(db, 0o400)
    try:
        with pytest.raises(KasseError, match="skrivebeskyttet"):
            access_log.log(db, look("F-1", "P-1", at=AT, actor="anna", command="show"))
    finally:
        os.chmod(db, 0o600)


def test_a_database_another_program_keeps_locked_refuses_the_look_in_danish(db, monkeypatch):
    monkeypatch.setattr(access_log, "BUSY_TIMEOUT_S", 0.2)
    with closing(sqlite3.connect(db, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        with pytest.raises(KasseError, match="et andet program skriver"):
            access_log.log(db, look("F-1", "P-1", at=AT, actor="anna", command="show"))
        writer.execute("ROLLBACK")
    assert logged(db) == []


# -- the commands that show a person or family log it first ------------------------------------------------


def kasse(*args: str, db: Path, user: str = "anna", **kwargs):
    return run_kasse(*args, db=db, env={"KASSE_USER": user, **kwargs.pop("env", {})}, **kwargs)


def test_show_logs_a_person_or_a_family_and_the_configured_user_is_the_looker(db, tmp_path):
    config = tmp_path / "kasse.toml"
    config.write_text('user = "Anna Holm"\n', encoding="utf-8")
    assert kasse("show", "P-1", db=db, env={"KASSE_CONFIG": str(config)}).code == 0
    assert kasse("show", "F-2", "--json", "--today", TODAY, db=db, user="bo").code == 0
    assert rows(db) == [("Anna Holm", "show", "person", "P-1", "F-1"), ("bo", "show", "family", "F-2", "F-2")]


def test_show_that_finds_several_or_nobody_logs_nothing(db):
    assert kasse("show", "Hassan", db=db).code == 1  # two persons: a list to choose from, no one's facts
    assert kasse("show", "Nobody", db=db).code == 1
    assert rows(db) == []


def test_show_on_a_locked_database_shows_nothing_and_says_why_in_one_danish_line(db):
    with closing(sqlite3.connect(db, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")  # another program writing, for longer than kasse waits
        result = kasse("show", "P-1", db=db)
        writer.execute("ROLLBACK")
    assert result.code == 1
    assert result.out == ""
    assert "Amina" not in result.err and "Traceback" not in result.err
    assert result.err.startswith("Fejl: Intet er vist: adgangsloggen kan ikke skrives")
    assert rows(db) == []


def test_export_of_a_person_or_family_is_logged_the_caseloads_is_not_and_never_holds_the_log(db, tmp_path):
    assert kasse("export", str(tmp_path / "p.json"), "--person", "P-2", db=db).code == 0
    assert kasse("export", "-o", str(tmp_path / "f.json"), "--family", "F-2", db=db).code == 0
    assert rows(db) == [("anna", "export", "person", "P-2", "F-1"), ("anna", "export", "family", "F-2", "F-2")]

    for name in ("all.json", "all.csv", "all.xlsx"):
        assert kasse("export", str(tmp_path / name), db=db, user="revisor").code == 0
    assert len(rows(db)) == 2
    whole = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert "access_log" not in whole and "export" not in json.dumps(whole)
    for written in tmp_path.glob("all*"):
        assert b"anna" not in written.read_bytes() and b"access" not in written.read_bytes()


def test_print_logs_the_contract_as_the_persons_and_the_plan_as_the_familys(db, tmp_path):
    assert kasse("print", "contract", "P-1", "-o", str(tmp_path / "k.pdf"), "--today", TODAY, db=db).code == 0
    assert kasse("print", "plan", "P-1", "-o", str(tmp_path / "p.pdf"), "--today", TODAY, db=db).code == 0
    assert rows(db) == [("anna", "print contract", "person", "P-1", "F-1"),
                        ("anna", "print plan", "family", "F-1", "F-1")]


# -- kasse access-log -----------------------------------------------------------------------------------


def test_access_log_lists_newest_first_as_json_csv_and_a_danish_table(db):
    access_log.log(db, look("F-1", "P-1", at=AT, actor="anna", command="show"))
    access_log.log(db, look("F-2", "P-3", at=AT.replace(hour=10), actor="bo", command="print contract"))

    records = kasse("access-log", "--json", db=db).json()
    assert records == [
        {"at": "2026-11-23T10:30:00.000+00:00", "actor": "bo", "command": "print contract", "record_kind": "person",
         "record": "P-3", "family": "F-2"},
        {"at": "2026-11-23T09:30:00.000+00:00", "actor": "anna", "command": "show", "record_kind": "person",
         "record": "P-1", "family": "F-1"},
    ]
    assert [r["record"] for r in kasse("access-log", "P-1", "--json", db=db).json()] == ["P-1"]
    csv = kasse("access-log", "--csv", db=db).out.splitlines()
    assert csv[0] == "at,actor,command,record_kind,record,family" and len(csv) == 3
    table = kasse("access-log", "F-1", db=db, env={"TZ": "Europe/Copenhagen"}).out
    assert "Tidspunkt" in table and "23-11-2026 10:30" in table and "kasse show" in table and "person P-1" in table
    assert "P-3" not in table
    assert "Ingen opslag i adgangsloggen om P-2." in kasse("access-log", "P-2", db=db).out


def test_access_log_finds_a_person_by_cpr_or_name_and_refuses_one_it_cannot_find(db):
    access_log.log(db, look("F-1", "P-1", at=AT, actor="anna", command="show"))
    by_cpr = kasse("access-log", CPR, "--json", db=db)
    assert by_cpr.code == 0 and [r["record"] for r in by_cpr.json()] == ["P-1"]
    assert [r["record"] for r in kasse("access-log", "Amina", "--json", db=db).json()] == ["P-1"]
    nobody = kasse("access-log", "010190-1234", db=db)
    assert nobody.code == 1 and "1234" not in nobody.err and nobody.err.strip() == "Fejl: Ingen borger eller familie matcher - søg med en del af navnet: kasse search TEKST"
    several = kasse("access-log", "Hassan", db=db)
    assert several.code == 1 and "Flere borgere matcher" in several.err


def test_kasse_journal_is_logged_before_the_notes_are_shown(db):
    assert kasse("journal", "P-2", db=db).code == 0
    assert kasse("journal", "F-2", "--json", db=db).code == 0
    assert rows(db) == [("anna", "journal", "person", "P-2", "F-1"), ("anna", "journal", "family", "F-2", "F-2")]


def test_listing_the_log_is_not_itself_logged(db):
    done = kasse("access-log", "--json", db=db)
    assert (done.code, done.out.strip()) == (0, "[]")
    assert rows(db) == []


@pytest.mark.parametrize("args", [["show", "P-1", "--json"], ["show", "F-1"], ["access-log", "P-1"]], ids=" ".join)
def test_show_writes_its_row_and_access_log_reads_without_sqlalchemy_or_textual(db, args):
    probe = (
        "import sys\n"
        "from kasse.cli import main as cli\n"
        f"sys.argv = ['kasse', *{args!r}, '--db', {str(db)!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sqlmodel', 'sqlalchemy', 'alembic', 'textual'})\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr
    assert len(rows(db)) == (0 if args[0] == "access-log" else 1)


# -- the app ----------------------------------------------------------------------------------------------


async def test_opening_a_family_in_the_app_is_logged_once_as_the_app(tmp_path):
    from tests.tui_support import app_on, settle

    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1")
        await settle(pilot)
        assert type(app.screen).__name__ == "FamilyScreen"
    assert [(command, kind, ref) for _, command, kind, ref, _ in rows(app.caseload.path)] == [("app", "family", "F-1")]


async def test_a_family_the_app_cannot_log_is_not_opened(tmp_path, monkeypatch):
    from tests.tui_support import app_on, settle

    monkeypatch.setattr(access_log, "BUSY_TIMEOUT_S", 0.2)
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        with closing(sqlite3.connect(app.caseload.path, isolation_level=None)) as writer:
            writer.execute("BEGIN IMMEDIATE")
            app.open_family("F-1")
            writer.execute("ROLLBACK")
        await settle(pilot)
        assert type(app.screen).__name__ != "FamilyScreen"
    assert rows(app.caseload.path) == []
