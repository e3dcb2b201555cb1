"""kasse check: integrity, foreign keys, schema version and counts, with a non-zero exit when anything is wrong."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kasse.backup.integrity import check_database
from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.data.version import SCHEMA_REVISION
from kasse.demo import demo_families
from tests.cli_helpers import run_kasse
from tests.factories import d
from tests.older_databases import database_at


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kasse.db"
    with open_database(path) as database:
        import_families(Store(database), demo_families(4, seed=3, today=d("2026-11-23")))
    return path


def test_a_good_database_passes_with_its_counts(db):
    report = check_database(db)
    assert report.ok
    with sqlite3.connect(db) as connection:
        persons = connection.execute("SELECT count(*) FROM person").fetchone()[0]
    assert (report.families, report.persons) == (4, persons)
    assert report.audit.rows > 0 and report.audit.ok and not report.schema

    done = run_kasse("check", db=db)
    assert done.code == 0, done.err
    assert "Integritet:    ok" in done.out
    assert "Fremmednøgler: ok" in done.out
    assert "Familier:      4" in done.out
    assert "Alt er i orden." in done.out


def test_a_foreign_key_violation_fails(db):
    with sqlite3.connect(db) as connection:  # foreign keys are off in a plain connection
        connection.execute("UPDATE person SET family_id = 999999 WHERE id = (SELECT min(id) FROM person)")

    done = run_kasse("check", db=db)

    assert done.code == 1
    assert "Fremmednøgler: FEJL: 1 rækker peger forkert" in done.out
    assert "Databasen har fejl" in done.err


def test_an_unknown_schema_version_fails(db):
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    done = run_kasse("check", db=db)
    assert done.code == 1
    assert "Skemaversion:  FEJL: 9999" in done.out


def test_an_older_schema_version_is_reported_and_not_an_error(tmp_path):
    db = tmp_path / "old.db"
    database_at(db, "0002")
    done = run_kasse("check", db=db)
    assert done.code == 0
    assert f"Skemaversion:  0002 (ældre; opgraderes til {SCHEMA_REVISION}" in done.out
    assert "Alt er i orden." in done.out


def test_a_file_that_is_not_a_database_is_a_one_line_error(tmp_path):
    path = tmp_path / "kasse.db"
    path.write_text("ikke en database" * 100)
    done = run_kasse("check", db=path)
    assert done.code == 1
    assert done.err.startswith("Fejl: ")
    assert "Traceback" not in done.err


def test_a_missing_database_is_a_one_line_error(tmp_path):
    done = run_kasse("check", db=tmp_path / "intet.db")
    assert done.code == 1
    assert "findes ikke" in done.err
