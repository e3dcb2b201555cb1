"""The audit trail is sealed and append-only: every row chains to the one before, plain SQL cannot change or delete
one, and a row changed or deleted with the guard lifted is found by `verify` - also on databases migrated to 0005."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from kasse.data.audit_chain import ENCODED_SQL, AuditChainReport, AuditEntry, append, encode, verify
from kasse.data.db import create_engine_for, open_database
from kasse.data.store import Store, import_families
from kasse.domain import Category, Danish, Family, Person

from .conftest import AUDIT_NOW
from .older_databases import OLDER_REVISIONS, database_at

TRIGGERS = ("audit_no_update", "audit_no_delete")


def person(ref: str, **fields) -> Person:
    fields = {"name": f"Person {ref}", "category": Category.REFUGEE, "birth_date": date(1990, 1, 1), **fields}
    return Person(ref=ref, **fields)


def connect(path: Path) -> sqlite3.Connection:
    return closing(sqlite3.connect(path, isolation_level=None))


def report(path: Path):
    with connect(path) as connection:
        return verify(connection)


def audit_ids(path: Path) -> list[int]:
    with connect(path) as connection:
        return [row_id for (row_id,) in connection.execute("SELECT id FROM audit ORDER BY id")]


def with_guard_lifted(path: Path, statement: str) -> None:
    """What someone with the file can do: drop the triggers, rewrite history, put them back."""
    with connect(path) as connection:
        triggers = [sql for (sql,) in connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")]
        for name in TRIGGERS:
            connection.execute(f"DROP TRIGGER {name}")
        connection.execute(statement)
        for sql in triggers:
            connection.execute(sql)


@pytest.fixture
def history(database, store) -> Path:
    """A database with a short history: created, edited twice, a member deleted."""
    family = Family(ref="F-1", members=(person("P-1"), person("P-2")))
    with store.transaction() as tx:
        tx.save_family(family)
    with store.transaction() as tx:
        tx.save_person("F-1", person("P-1", danish=Danish(hours_per_week=17.5)))
    with store.transaction() as tx:
        tx.save_person("F-1", person("P-1", danish=Danish(hours_per_week=20.0), nationality="Syrien"))
    with store.transaction() as tx:
        tx.delete_person("P-2")
    return database.path


def test_every_row_the_store_writes_is_chained_as_documented(history):
    with connect(history) as connection:
        rows = connection.execute(
            "SELECT id, at, actor, table_name, record, field, old_value, new_value, chain FROM audit ORDER BY id"
        ).fetchall()
    assert len(rows) == 7
    previous = ""
    for row in rows:
        # The contract restore and check rely on: UTF-8 columns joined by 0xFF, NULL as 0xFE, after the last chain.
        encoded = b"\xff".join(b"\xfe" if value is None else str(value).encode() for value in row[:8])
        previous = hashlib.sha256(previous.encode() + encoded).hexdigest()
        assert row[8] == previous
    assert report(history).ok and report(history).rows == 7


def test_plain_sql_cannot_change_or_delete_an_audit_row(history):
    with connect(history) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="kan ikke ændres"):
            connection.execute("UPDATE audit SET actor = 'nogen' WHERE id = 2")
        with pytest.raises(sqlite3.IntegrityError, match="kan ikke slettes"):
            connection.execute("DELETE FROM audit WHERE id = 2")
    assert report(history).ok


def test_an_old_value_changed_with_the_guard_lifted_breaks_the_chain_at_that_row(history):
    target = audit_ids(history)[4]
    with_guard_lifted(history, f"UPDATE audit SET old_value = '18' WHERE id = {target}")

    assert report(history).first_broken_id == target
    assert not report(history).ok


def test_a_row_deleted_with_the_guard_lifted_breaks_the_chain_at_the_row_after_it(history):
    ids = audit_ids(history)
    with_guard_lifted(history, f"DELETE FROM audit WHERE id = {ids[2]}")

    assert report(history) == AuditChainReport(rows=6, first_broken_id=ids[3])


def test_a_chain_value_rewritten_to_match_its_own_row_still_breaks_the_next(history):
    ids = audit_ids(history)
    with_guard_lifted(history, f"UPDATE audit SET actor = 'nogen', chain = 'x' WHERE id = {ids[1]}")

    assert report(history).first_broken_id == ids[1]


def test_text_cannot_move_between_fields_unnoticed(database):
    entries = [AuditEntry("2026-11-23", "anna", "person", "P-1", "name", "ab", None)]
    with connect(database.path) as connection:
        append(connection, entries)
        (first,) = connection.execute("SELECT chain FROM audit").fetchone()
    other = database.path.with_name("other.db")
    open_database(other).close()
    with connect(other) as connection:
        append(connection, [replace(entries[0], old="a", new="b")])
        (second,) = connection.execute("SELECT chain FROM audit").fetchone()
    assert first != second


def test_the_writers_encoding_and_the_stored_rows_encoding_agree_on_awkward_text(database):
    awkward = ["", "ÿþ", "\x00", "Åse\nØ\r\t", "👩‍👧 " * 50, "x" * 100_000, "'; DROP TABLE audit; --"]
    entries = [AuditEntry(f"2026-11-{n:02d}", text, "person", text, "*", text or None, text) for n, text in
               enumerate(awkward, start=1)]  # fmt: skip
    with connect(database.path) as connection:
        append(connection, entries)
        stored = connection.execute(f"SELECT {ENCODED_SQL} FROM audit ORDER BY id").fetchall()

    assert [encoded for (encoded,) in stored] == [encode(n, entry) for n, entry in enumerate(entries, start=1)]
    assert report(database.path) == AuditChainReport(rows=len(awkward), first_broken_id=None)


def test_append_continues_the_chain_in_the_callers_transaction(history):
    last = audit_ids(history)[-1]
    entries = [
        AuditEntry("2026-11-24T09:00:00.000+00:00", "gendannelse", "database", "", "restore", None, '{"fra": "x"}'),
        AuditEntry("2026-11-24T09:00:00.000+00:00", "anna", "person", "P-9", "name", "Æsa", "Åse\nØ\x00"),
    ]
    with connect(history) as connection:
        connection.execute("BEGIN IMMEDIATE")
        assert append(connection, entries) == 2
        connection.execute("ROLLBACK")
    assert audit_ids(history)[-1] == last

    with connect(history) as connection:
        connection.execute("BEGIN IMMEDIATE")
        append(connection, entries)
        assert connection.in_transaction, "append leaves the commit to its caller"
        connection.execute("COMMIT")
    assert audit_ids(history)[-2:] == [last + 1, last + 2]
    assert report(history).ok

    with open_database(history) as database, Store(database, actor="bo").transaction() as tx:
        tx.save_person("F-1", person("P-1", nationality="Eritrea"))  # the store goes on from the appended rows
    assert report(history) == AuditChainReport(rows=len(audit_ids(history)), first_broken_id=None)


def test_a_few_thousand_rows_verify_and_one_changed_among_them_is_found(database, store):
    families = [Family(ref=f"F-{n:03d}", members=(person(f"P-{n:03d}a"), person(f"P-{n:03d}b"))) for n in range(400)]
    import_families(store, families)
    import_families(store, [replace(f, coordinating_department="Jobcenter") for f in families])
    entries = [
        AuditEntry(f"2026-11-24T09:{n % 60:02d}", "anna", "person", f"P-{n}", "note", None if n % 3 else "", str(n))
        for n in range(2000)
    ]
    with connect(database.path) as connection:
        connection.execute("BEGIN IMMEDIATE")
        append(connection, entries)
        connection.execute("COMMIT")

    assert report(database.path) == AuditChainReport(rows=3600, first_broken_id=None)
    with_guard_lifted(database.path, "UPDATE audit SET new_value = 'Jobcenter Nord' WHERE id = 1001")
    assert report(database.path).first_broken_id == 1001


def test_verify_in_an_open_transaction_leaves_it_open(history):
    with connect(history) as connection:
        connection.execute("BEGIN")
        assert verify(connection).ok
        assert connection.in_transaction


def test_an_empty_trail_verifies(database):
    assert report(database.path) == AuditChainReport(rows=0, first_broken_id=None)


def test_the_engine_still_refuses_unaudited_writes_to_the_trail(history):
    engine = create_engine_for(history)
    try:
        with pytest.raises(RuntimeError), engine.begin() as connection:
            connection.execute(
                text("INSERT INTO audit (at, actor, table_name, record, field) VALUES ('', '', '', '', '')")
            )
    finally:
        engine.dispose()
    assert report(history).ok


# -- migration 0005 on databases older kasses left ------------------------------------------------------

# As an older kasse left it: F-1 with P-1 and P-4; P-2 deleted; F-2 deleted with P-3; P-4 deleted, then
# created again (in use: no tombstone); P-5 deleted twice (the latest deletion counts).
OLDER_ROWS = """
INSERT INTO family (id, ref) VALUES (1, 'F-1');
INSERT INTO person (id, family_id, ref, name, birth_date, category) VALUES
    (1, 1, 'P-1', 'Amina', '1990-01-01', 'refugee'), (4, 1, 'P-4', 'Omar', '1992-01-01', 'refugee');
INSERT INTO audit (id, at, actor, table_name, record, field, old_value, new_value) VALUES
    (1, '2025-01-01T09:00:00.000+00:00', 'anna', 'family', 'F-1', '*', NULL, '{"ref": "F-1"}'),
    (2, '2025-01-01T09:00:00.000+00:00', 'anna', 'person', 'P-1', '*', NULL, '{"ref": "P-1"}'),
    (3, '2025-01-02T09:00:00.000+00:00', 'anna', 'person', 'P-2', '*', NULL, '{"ref": "P-2"}'),
    (4, '2025-01-03T09:00:00.000+00:00', 'bo', 'person', 'P-2', '*', '{"ref": "P-2"}', NULL),
    (5, '2025-01-04T09:00:00.000+00:00', 'bo', 'family', 'F-2', '*', '{"ref": "F-2"}', NULL),
    (6, '2025-01-04T09:00:00.000+00:00', 'bo', 'person', 'P-3', '*', '{"ref": "P-3"}', NULL),
    (7, '2025-01-05T09:00:00.000+00:00', 'bo', 'person', 'P-4', '*', '{"ref": "P-4"}', NULL),
    (8, '2025-01-06T09:00:00.000+00:00', 'anna', 'person', 'P-4', '*', NULL, '{"ref": "P-4"}'),
    (9, '2025-01-07T09:00:00.000+00:00', 'anna', 'person', 'P-1', 'name', 'Amina H', 'Amina'),
    (10, '2025-01-08T09:00:00.000+00:00', 'bo', 'person', 'P-5', '*', '{"ref": "P-5"}', NULL),
    (11, '2025-02-08T09:00:00.000+00:00', 'bo', 'person', 'P-5', '*', '{"ref": "P-5"}', NULL);
"""


@pytest.mark.parametrize("revision", OLDER_REVISIONS)
def test_migrating_an_older_database_seals_its_trail_and_retires_its_deleted_refs(tmp_path, revision):
    path = tmp_path / "kasse.db"
    database_at(path, revision)
    with connect(path) as connection:
        connection.executescript(OLDER_ROWS)

    open_database(path, clock=lambda: AUDIT_NOW).close()

    assert report(path) == AuditChainReport(rows=11, first_broken_id=None)
    with connect(path) as connection:
        retired = connection.execute("SELECT ref, kind, retired_at FROM retired_ref ORDER BY ref").fetchall()
        versions = connection.execute("SELECT version FROM family UNION ALL SELECT version FROM person").fetchall()
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute("DELETE FROM audit")
    assert retired == [
        ("F-2", "family", "2025-01-04T09:00:00.000+00:00"),
        ("P-2", "person", "2025-01-03T09:00:00.000+00:00"),
        ("P-3", "person", "2025-01-04T09:00:00.000+00:00"),
        ("P-5", "person", "2025-02-08T09:00:00.000+00:00"),
    ]
    assert versions == [(1,), (1,), (1,)]

    with open_database(path) as database, Store(database, actor="anna").transaction() as tx:
        tx.save_person("F-1", person("P-1", name="Amina", nationality="Syrien"))  # the store goes on from the seal
    assert report(path).ok and report(path).rows == 12
