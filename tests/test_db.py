"""Opening the database: where it lives, private files, pragmas, real transactions, migrations and backups."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import threading
from contextlib import closing
from datetime import date
from pathlib import Path

import platformdirs
import pytest
from sqlalchemy import text

from kasse.data import db, reader
from kasse.data.db import (
    WRITES_ALLOWED,
    create_engine_for,
    migrate,
    open_database,
)
from kasse.data.store import Store
from kasse.data.version import SCHEMA_REVISION
from kasse.deadline_index import family_index
from kasse.domain import (
    Area,
    Category,
    ChecklistItem,
    Contract,
    Danish,
    Family,
    FamilyPlan,
    FollowUp,
    Goal,
    Health,
    Intervention,
    InterventionStatus,
    Person,
    Phase,
)
from kasse.errors import KasseError
from kasse.paths import default_db_path, resolve_db_path

from .conftest import AUDIT_NOW
from .older_databases import database_at


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def revision(path: Path) -> str | None:
    with sqlite3.connect(path) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def family_with_goals(ref: str = "F-1") -> Family:
    person = Person(
        ref="P-1",
        name="Amina Hassan",
        category=Category.REFUGEE,
        birth_date=date(1990, 1, 1),
        goals=(Goal(Area.SOCIAL_HEALTH, "Netværk", ("Et delmål",)), Goal(Area.DANISH_EMPLOYMENT, "Job")),
    )
    return Family(ref=ref, members=(person,))


# -- where the database lives ---------------------------------------------------


def test_default_path_is_kasse_db_in_the_user_data_folder():
    assert default_db_path() == Path(platformdirs.user_data_dir("kasse", appauthor=False)) / "kasse.db"


def test_explicit_path_wins_over_the_environment_which_wins_over_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv("KASSE_DB", raising=False)
    assert resolve_db_path(None) == default_db_path()

    monkeypatch.setenv("KASSE_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(None) == tmp_path / "env.db"
    assert resolve_db_path(tmp_path / "cli.db") == tmp_path / "cli.db"
    assert resolve_db_path(str(tmp_path / "cli.db")) == tmp_path / "cli.db"


# -- private files ----------------------------------------------------------------


def test_a_new_database_is_private_to_its_owner(tmp_path):
    path = tmp_path / "new-folder" / "kasse.db"

    database = open_database(path)
    try:
        with Store(database, actor="tester").transaction() as tx:
            tx.save_family(family_with_goals())
        # The engine's pooled connection keeps the WAL files in place.
        companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
        assert all(companion.exists() for companion in companions)

        assert mode(path.parent) == 0o700
        assert mode(path) == 0o600
        for companion in companions:
            assert mode(companion) & 0o077 == 0, companion
    finally:
        database.close()


def test_an_existing_folder_keeps_its_permissions(tmp_path):
    tmp_path.chmod(0o755)

    open_database(tmp_path / "kasse.db").close()

    assert mode(tmp_path) == 0o755
    assert mode(tmp_path / "kasse.db") == 0o600


# -- connections and transactions ----------------------------------------------


def test_every_connection_gets_kasses_pragmas(database):
    with database.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000


def test_a_rollback_undoes_ddl_and_released_savepoints(database):
    with database.engine.connect() as connection:
        connection.execution_options(**{WRITES_ALLOWED: True})
        transaction = connection.begin()
        connection.execute(text("CREATE TABLE scratch (value INTEGER)"))
        with connection.begin_nested():  # SAVEPOINT ... RELEASE
            connection.execute(text("INSERT INTO scratch VALUES (1)"))
        connection.execute(text("INSERT INTO family (ref) VALUES ('F-rolled-back')"))
        transaction.rollback()

    with sqlite3.connect(database.path) as raw:
        tables = {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "scratch" not in tables
        assert raw.execute("SELECT count(*) FROM family").fetchone() == (0,)


def test_a_second_writer_waits_for_the_first_instead_of_failing(database):
    first_store = Store(database, actor="first")
    second = open_database(database.path)
    second_done = threading.Event()
    errors: list[BaseException] = []

    def write_second() -> None:
        try:
            with Store(second, actor="second").transaction() as tx:
                tx.save_family(Family(ref="F-2"))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            second_done.set()

    try:
        with first_store.transaction() as tx:
            tx.save_family(Family(ref="F-1"))
            writer = threading.Thread(target=write_second)
            writer.start()
            assert not second_done.wait(0.3), "the second writer must wait for the first's commit"
        writer.join(timeout=10)
    finally:
        second.close()

    assert errors == []
    with sqlite3.connect(database.path) as raw:
        assert raw.execute("SELECT ref FROM family ORDER BY ref").fetchall() == [("F-1",), ("F-2",)]


# -- migrations -----------------------------------------------------------------------


def test_schema_revision_constant_is_alembics_head():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(db.alembic_config()).get_current_head() == SCHEMA_REVISION


def test_migrations_build_exactly_the_models_schema(database):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kasse.data.models import include_name, metadata

    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        assert compare_metadata(context, metadata) == []


def test_an_empty_file_is_migrated_without_a_backup(tmp_path):
    path = tmp_path / "kasse.db"
    path.touch(mode=0o600)

    open_database(path).close()

    assert revision(path) == SCHEMA_REVISION
    assert list(tmp_path.glob("*.bak")) == []


def test_opening_twice_is_idempotent(database, store):
    with store.transaction() as tx:
        tx.save_family(family_with_goals())
    database.close()

    open_database(database.path).close()
    open_database(database.path).close()

    assert revision(database.path) == SCHEMA_REVISION
    assert list(database.path.parent.glob("*.bak")) == []
    with sqlite3.connect(database.path) as raw:
        assert raw.execute("SELECT count(*) FROM goal").fetchone() == (2,)


def test_a_database_from_a_newer_kasse_is_refused(database):
    database.close()
    with sqlite3.connect(database.path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")

    with pytest.raises(KasseError, match="skemaversion 9999"):
        open_database(database.path)


def test_a_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE recipes (name TEXT)")

    with pytest.raises(KasseError, match="ikke en kasse-database"):
        open_database(path)


REBUILD_PERSON = '''
"""Test only: add a column the way SQLite needs it - by rebuilding the table."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("person", recreate="always") as batch:
        batch.add_column(sa.Column("nickname", sa.String(), nullable=True))


def downgrade():
    with op.batch_alter_table("person", recreate="always") as batch:
        batch.drop_column("nickname")
'''

ORPHAN_GOAL = '''
"""Test only: a migration that leaves a goal pointing at no person."""
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("INSERT INTO goal (person_id, position, area, goal) VALUES (999, 0, 'social_health', 'Forældreløs')")


def downgrade():
    pass
'''


def scenario(tmp_path: Path, migration: str) -> Path:
    """kasse's migrations plus one more test revision, 9999, after kasse's head."""
    location = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    (location / "versions" / "9999_test.py").write_text(migration.replace("{head}", SCHEMA_REVISION))
    return location


def test_an_older_database_is_backed_up_then_migrated_without_losing_child_rows(database, store, tmp_path):
    with store.transaction() as tx:
        tx.save_family(family_with_goals())

    backup = migrate(
        database.engine, database.path, script_location=scenario(tmp_path, REBUILD_PERSON), clock=lambda: AUDIT_NOW
    )

    assert backup == database.path.with_name("kasse.db.before-9999-20261123T101500.bak")
    assert mode(backup) == 0o600
    assert revision(backup) == SCHEMA_REVISION
    assert revision(database.path) == "9999"
    with sqlite3.connect(database.path) as raw:
        # With foreign keys on, rebuilding `person` would have cascade-deleted these.
        assert raw.execute("SELECT count(*) FROM goal").fetchone() == (2,)
        assert raw.execute("SELECT count(*) FROM subgoal").fetchone() == (1,)
        assert "nickname" in {row[1] for row in raw.execute("PRAGMA table_info(person)")}
    with sqlite3.connect(backup) as raw:
        assert raw.execute("SELECT count(*) FROM goal").fetchone() == (2,)
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_migration_that_breaks_foreign_keys_is_rolled_back(database, store, tmp_path):
    with store.transaction() as tx:
        tx.save_family(family_with_goals())

    with pytest.raises(KasseError, match="Opgraderingen af databasen blev afbrudt"):
        migrate(
            database.engine, database.path, script_location=scenario(tmp_path, ORPHAN_GOAL), clock=lambda: AUDIT_NOW
        )

    assert revision(database.path) == SCHEMA_REVISION
    with sqlite3.connect(database.path) as raw:
        assert raw.execute("SELECT count(*) FROM goal").fetchone() == (2,)
    # The file is unchanged, so the copy taken before is a second plaintext copy of it: not kept.
    assert list(database.path.parent.glob("*.bak")) == []




# Rows as kasse 0003 wrote them: a family with a plan, a follow-up and a checklist; a refugee with a
# signed contract, an activity, Danish, a health offer and a goal with a subgoal and an intervention.
ROWS_AT_0003 = """
INSERT INTO family (id, ref, coordinating_department, plan_made_date, plan_followup_months)
    VALUES (1, 'F-1', 'Jobcenter', '2025-03-01', 6);
INSERT INTO followup (family_id, position, date, note) VALUES (1, 0, '2025-09-01', 'Alle mål gennemgået');
INSERT INTO checklist_item (family_id, position, phase, task, done_date) VALUES (1, 0, 'arrival', 'Bolig klar', NULL);
INSERT INTO person (id, family_id, ref, name, birth_date, category, takeover_date, contract_signed_date,
                    danish_start_date, danish_provider, health_offered_date, health_consent)
    VALUES (1, 1, 'P-1', 'Amina Hassan', '1990-01-01', 'refugee', '2025-01-10', '2025-02-05',
            '2025-02-03', 'Lær Dansk', '2025-02-20', 1);
INSERT INTO contract_activity (person_id, position, text) VALUES (1, 0, 'Virksomhedspraktik');
INSERT INTO goal (id, person_id, position, area, goal) VALUES (1, 1, 0, 'danish_employment', 'Bestå PD2');
INSERT INTO subgoal (goal_id, position, text) VALUES (1, 0, 'Modul 3');
INSERT INTO intervention (goal_id, position, title, status) VALUES (1, 0, 'Danskuddannelse', 'active');
"""

FAMILY_AT_0003 = Family(
    ref="F-1",
    coordinating_department="Jobcenter",
    plan=FamilyPlan(date(2025, 3, 1), 6, (FollowUp(date(2025, 9, 1), "Alle mål gennemgået"),)),
    checklist=(ChecklistItem(Phase.ARRIVAL, "Bolig klar"),),
    members=(
        Person(
            ref="P-1",
            name="Amina Hassan",
            category=Category.REFUGEE,
            birth_date=date(1990, 1, 1),
            takeover_date=date(2025, 1, 10),
            contract=Contract(signed_date=date(2025, 2, 5), activities=("Virksomhedspraktik",)),
            danish=Danish(start_date=date(2025, 2, 3), provider="Lær Dansk"),
            health=Health(offered_date=date(2025, 2, 20), consent=True),
            goals=(
                Goal(
                    Area.DANISH_EMPLOYMENT,
                    "Bestå PD2",
                    ("Modul 3",),
                    (Intervention("Danskuddannelse", status=InterventionStatus.ACTIVE),),
                ),
            ),
        ),
    ),
)


def test_a_0003_database_migrates_to_head_keeping_every_row_with_the_2016_facts_unrecorded(tmp_path):
    path = tmp_path / "kasse.db"
    database_at(path, "0003")
    with sqlite3.connect(path) as raw:
        raw.executescript(ROWS_AT_0003)
        tables = [name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        before = {table: raw.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}

    open_database(path, clock=lambda: AUDIT_NOW).close()

    assert revision(path) == SCHEMA_REVISION
    assert revision(path.with_name(f"kasse.db.before-{SCHEMA_REVISION}-20261123T101500.bak")) == "0003"
    with closing(reader.connect(path)) as connection:
        assert reader.read_families(connection) == [FAMILY_AT_0003]
        for table, rows in before.items():
            if table != "alembic_version":
                assert connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == rows, table
        assert connection.execute("SELECT count(*) FROM contract_followup").fetchone()[0] == 0
        # The head recomputed the prefilter index, as the store would have written it.
        expected = family_index(FAMILY_AT_0003)
        columns = ", ".join(expected.plan.columns())
        plan_index = connection.execute(f"SELECT {columns} FROM family").fetchone()
        person_index = connection.execute(f"SELECT {columns} FROM person").fetchone()
    assert plan_index == tuple(_iso(day) for day in expected.plan.columns().values())
    assert person_index == tuple(_iso(day) for day in expected.members["P-1"].columns().values())
    assert any(expected.members["P-1"])  # so the check above proves the backfill ran


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def test_only_the_head_revision_fills_in_the_prefilter_index(tmp_path):
    path = tmp_path / "kasse.db"
    database_at(path, "0003")
    with sqlite3.connect(path) as raw:
        raw.executescript(ROWS_AT_0003)
    database_at(path, "0004")  # DDL only: its backfill moved to the head, which reads the newest schema
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT index_due_auto FROM person").fetchall() == [(None,)]

    open_database(path, clock=lambda: AUDIT_NOW).close()

    with sqlite3.connect(path) as raw:
        (due,) = raw.execute("SELECT index_due_auto FROM person").fetchone()
    assert due == _iso(family_index(FAMILY_AT_0003).members["P-1"].columns()["index_due_auto"]) is not None


def test_a_migrated_database_has_exactly_the_models_schema(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kasse.data.models import include_name, metadata

    path = tmp_path / "kasse.db"
    database_at(path, "0003")
    with open_database(path) as database, database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        assert compare_metadata(context, metadata) == []


def test_engine_refuses_writes_unless_the_store_allows_them(database):
    engine = create_engine_for(database.path)
    try:
        with pytest.raises(RuntimeError), engine.begin() as connection:
            connection.execute(text("DELETE FROM family"))
    finally:
        engine.dispose()
