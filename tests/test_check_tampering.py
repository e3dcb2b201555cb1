"""kasse check notices tampering: a schema object the migrations never made, a changed audit row, stray plaintext
copies - and a restore refuses a backup carrying a foreign trigger."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kasse.backup.copies import restore_candidate, take_backup
from kasse.backup.integrity import check_database
from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.demo import demo_families
from kasse.errors import KasseError
from tests.cli_helpers import run_kasse
from tests.factories import d

EVIL_TRIGGER = (
    "CREATE TRIGGER copy_cpr AFTER UPDATE ON person BEGIN "
    "UPDATE person SET name = NEW.cpr WHERE id = NEW.id; END"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kasse.db"
    with open_database(path) as database:
        import_families(Store(database, actor="anna"), demo_families(4, seed=3, today=d("2026-11-23")))
    return path


def tamper(db: Path, *statements: str) -> None:
    with sqlite3.connect(db) as connection:
        for statement in statements:
            connection.execute(statement)


def audit_triggers(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [sql for (sql,) in connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")]


def test_an_untouched_database_passes(db):
    report = check_database(db)
    assert report.ok and not report.schema and report.audit.ok and report.audit.rows > 0


def test_an_extra_trigger_fails_check_by_name(db):
    tamper(db, EVIL_TRIGGER)

    done = run_kasse("check", db=db)

    assert done.code == 1
    assert "trigger copy_cpr findes, men hører ikke til kasse" in done.out


@pytest.mark.parametrize("statement", ["CREATE VIEW everyone AS SELECT cpr FROM person",
                                       "CREATE TABLE exfil (cpr TEXT)",
                                       "CREATE INDEX ix_sneaky ON person (cpr, name)"])
def test_an_extra_table_view_or_index_fails_check(db, statement):
    tamper(db, statement)
    assert not check_database(db).ok


def test_a_dropped_append_only_trigger_fails_check(db):
    (name,) = [name for (name,) in sqlite3.connect(db).execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit' LIMIT 1")]
    tamper(db, f"DROP TRIGGER {name}")

    report = check_database(db)

    assert not report.ok
    assert [(problem.name, problem.problem) for problem in report.schema] == [(name, "missing")]


def test_a_changed_audit_row_breaks_the_chain_and_check_names_the_row(db):
    triggers = audit_triggers(db)
    with sqlite3.connect(db) as connection:
        target = connection.execute("SELECT id FROM audit ORDER BY id LIMIT 1 OFFSET 5").fetchone()[0]
        names = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")]
    # What an attacker with the file does: lift the guard, rewrite history, put the guard back.
    tamper(db, *(f"DROP TRIGGER {name}" for name in names),
           f"UPDATE audit SET actor = 'nogen' WHERE id = {target}", *triggers)

    report = check_database(db)

    assert not report.schema  # the schema looks untouched
    assert report.audit.first_broken_id == target and not report.ok
    done = run_kasse("check", db=db)
    assert done.code == 1 and str(target) in done.out


def test_a_deleted_audit_row_breaks_the_chain(db):
    triggers = audit_triggers(db)
    with sqlite3.connect(db) as connection:
        names = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")]
    tamper(db, *(f"DROP TRIGGER {name}" for name in names), "DELETE FROM audit WHERE id = 3", *triggers)

    assert check_database(db).audit.first_broken_id == 4


def test_plain_sql_cannot_change_or_delete_an_audit_row(db):
    with sqlite3.connect(db) as connection:
        for statement in ("UPDATE audit SET actor = 'nogen'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.DatabaseError):
                connection.execute(statement)


def test_stray_temporary_copies_are_listed_by_check(db):
    from kasse.backup.copies import stray_temp_files

    leftovers = stray_temp_files(db)
    assert leftovers == []
    stray = db.parent / ".kasse-abc123.tmp"
    stray.write_bytes(db.read_bytes())

    done = run_kasse("check", db=db)

    assert str(stray.name) in done.out
    assert check_database(db).stray_files == (stray,)


def test_restore_refuses_a_backup_carrying_a_foreign_trigger(db, tmp_path):
    source = tmp_path / "other" / "kasse.db"
    with open_database(source) as database:
        import_families(Store(database), demo_families(2, seed=9, today=d("2026-11-23")))
    tamper(source, EVIL_TRIGGER)
    crafted = take_backup(source, clock=lambda: datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    before = db.read_bytes()

    with pytest.raises(KasseError, match="copy_cpr"), restore_candidate(crafted, db, lambda: "unused"):
        pass

    assert db.read_bytes() == before


@pytest.mark.parametrize("revision", ["0001", "0002", "0003", "0004"])
def test_a_database_kasse_migrated_from_an_older_schema_passes(tmp_path, revision):
    from tests.older_databases import database_at

    path = tmp_path / "old.db"
    database_at(path, revision)
    open_database(path).close()

    report = check_database(path)
    assert report.ok, [str(problem) for problem in report.schema]


def test_a_dropped_on_delete_cascade_fails_check(db):
    with sqlite3.connect(db) as connection:
        (followup_sql,) = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'followup'").fetchone()
    assert "ON DELETE CASCADE" in followup_sql
    tamper(db, "PRAGMA writable_schema = ON",
           "UPDATE sqlite_master SET sql = '{}' WHERE name = 'followup'".format(
               followup_sql.replace(" ON DELETE CASCADE", "").replace("'", "''")))
    assert any(problem.name == "followup" for problem in check_database(db).schema)


def test_a_partial_index_under_a_kasse_name_fails_check(db):
    tamper(db, "DROP INDEX ix_person_cpr", "CREATE INDEX ix_person_cpr ON person (cpr) WHERE 0")
    assert [(problem.name, problem.problem) for problem in check_database(db).schema] == [("ix_person_cpr", "changed")]


def test_a_crafted_version_counter_fails_check_and_is_refused_by_restore(db, tmp_path):
    tamper(db, "UPDATE person SET version = 9223372036854775807 WHERE id = (SELECT min(id) FROM person)")
    assert check_database(db).bad_versions == 1 and not check_database(db).ok
    crafted = take_backup(db, clock=lambda: datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    other = tmp_path / "other.db"
    open_database(other).close()
    with pytest.raises(KasseError, match="versionstællere"), restore_candidate(crafted, other, lambda: "unused"):
        pass


def lift_audit_guard(db: Path) -> list[str]:
    """Drop the append-only triggers, returning their SQL to put them back."""
    triggers = audit_triggers(db)
    with sqlite3.connect(db) as connection:
        for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'").fetchall():
            connection.execute(f"DROP TRIGGER {name}")
    return triggers


def test_a_cut_tail_is_caught_against_the_newest_backup(db):
    take_backup(db, clock=lambda: datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    with sqlite3.connect(db) as connection:
        last = connection.execute("SELECT max(id) FROM audit").fetchone()[0]
    triggers = lift_audit_guard(db)
    tamper(db, f"DELETE FROM audit WHERE id > {last - 3}", *triggers)

    report = check_database(db)

    assert report.audit.ok  # the chain inside the file cannot see a cut tail...
    assert not report.anchor.ok and report.anchor.last_id == last  # ...the backup outside it can
    done = run_kasse("check", db=db)
    assert done.code == 1 and "stemmer ikke med sikkerhedskopien" in done.out


def test_a_rewritten_and_resealed_history_is_caught_against_the_newest_backup(db):
    from kasse.data.audit_chain import GENESIS, link

    take_backup(db, clock=lambda: datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    triggers = lift_audit_guard(db)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE audit SET actor = 'nogen' WHERE id = 2")
        encode = ("CAST(id || X'FF' || at || X'FF' || actor || X'FF' || table_name || X'FF' || record || X'FF' || "
                  "field || X'FF' || ifnull(old_value, X'FE') || X'FF' || ifnull(new_value, X'FE') AS BLOB)")
        previous = GENESIS
        for row_id, encoded in connection.execute(f"SELECT id, {encode} FROM audit ORDER BY id").fetchall():
            previous = link(previous, encoded)
            connection.execute("UPDATE audit SET chain = ? WHERE id = ?", (previous.decode(), row_id))
    tamper(db, *triggers)

    report = check_database(db)

    assert report.audit.ok, "re-sealed: the chain inside the file holds"
    assert not report.ok and report.anchor is not None and not report.anchor.ok


def test_check_passes_against_the_backup_after_more_changes(db):
    take_backup(db, clock=lambda: datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    with open_database(db) as database:
        import_families(Store(database, actor="anna"), demo_families(6, seed=5, today=d("2026-11-23")))

    report = check_database(db)

    assert report.ok and report.anchor.ok
    assert "loggen rummer sikkerhedskopien" in run_kasse("check", db=db).out
