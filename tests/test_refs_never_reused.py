"""A deleted family's or person's ref is retired for good: the store, an import and the app refuse to give it to a
new record (whose audit trail would mix with the deleted one's), and the app's next ref skips it."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date

import pytest
from textual.widgets import Input

from kasse.data.store import import_families
from kasse.domain import Category, Family, Person
from kasse.errors import KasseError
from kasse.interchange.v1 import dump_document
from kasse.tui.caseload import Caseload
from kasse.tui.forms.form import FormScreen
from tests.cli_helpers import run_kasse
from tests.tui_support import TODAY, app_on, settle, static_text

from .conftest import AUDIT_NOW

AT = AUDIT_NOW.isoformat(timespec="milliseconds")


def person(ref: str, name: str = "Amina Hassan") -> Person:
    return Person(
        ref=ref, name=name, category=Category.REFUGEE, birth_date=date(1990, 1, 1), takeover_date=date(2025, 1, 10)
    )


def rows(path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture
def deleted(store, database):
    """F-1 with P-0001 and P-0002, then P-0002 deleted; F-2 with P-0003, then F-2 deleted."""
    import_families(store, [Family("F-1", (person("P-0001"), person("P-0002"))), Family("F-2", (person("P-0003"),))])
    with store.transaction() as tx:
        tx.delete_person("P-0002")
    with store.transaction() as tx:
        tx.delete_family("F-2")
    return database.path


def test_deleting_leaves_a_tombstone_for_each_record_it_removes(deleted):
    assert rows(deleted, "SELECT ref, kind, retired_at FROM retired_ref ORDER BY ref") == [
        ("F-2", "family", AT),
        ("P-0002", "person", AT),
        ("P-0003", "person", AT),
    ]


@pytest.mark.parametrize(
    "save, message",
    [
        (lambda tx: tx.save_person("F-1", person("P-0002", "Ny Person")), "P-0002 har tilhørt en slettet person"),
        (lambda tx: tx.save_family(Family("F-2")), "F-2 har tilhørt en slettet familie"),
        (lambda tx: tx.save_family(Family("F-9", (person("P-0003", "Ny"),))), "P-0003 har tilhørt en slettet person"),
    ],
)
def test_the_store_refuses_a_retired_ref_for_a_new_record(deleted, store, save, message):
    audit_before = rows(deleted, "SELECT * FROM audit")

    with pytest.raises(KasseError, match=f"Referencen {message} og kan ikke genbruges"), store.transaction() as tx:
        save(tx)

    assert rows(deleted, "SELECT * FROM audit") == audit_before
    assert rows(deleted, "SELECT ref FROM person ORDER BY ref") == [("P-0001",)]


def test_an_import_naming_retired_refs_is_refused_and_changes_nothing(deleted, tmp_path):
    families = [Family("F-1", (person("P-0001"), person("P-0002", "Ny Person"))), Family("F-2", (person("P-0004"),))]
    source = tmp_path / "tilbage.json"
    source.write_text(json.dumps(dump_document(families)), encoding="utf-8")
    before = rows(deleted, "SELECT * FROM audit")

    done = run_kasse("import", str(source), db=deleted)

    assert done.code == 1 and "Traceback" not in done.err
    assert "2 referencer har tilhørt slettede familier eller personer og kan ikke genbruges" in done.err
    assert "F-2 (familie)" in done.err and "P-0002 (person)" in done.err
    assert rows(deleted, "SELECT * FROM audit") == before


def test_the_caseload_counts_retired_refs_as_taken_and_next_ref_skips_them(deleted):
    caseload = Caseload(deleted, TODAY)

    assert caseload.taken_refs(["P-0001", "P-0002", "P-0003", "P-0004"]) == {"P-0001", "P-0002", "P-0003"}
    snapshot = caseload.load()
    assert snapshot.retired == {"F-2", "P-0002", "P-0003"}
    assert "P-0003" in snapshot.refs_in_use()


@pytest.mark.parametrize(
    "save, taken",
    [
        (lambda caseload: caseload.save_family(Family("F-1", (person("P-0009", "Ny"),))), "F-1"),
        (lambda caseload: caseload.save_family(Family("F-9", (person("P-0001", "Ny"),))), "P-0001"),
        (lambda caseload: caseload.save_person("F-1", person("P-0001", "Ny Person")), "P-0001"),
        (lambda caseload: caseload.save_person("F-1", person("P-0003", "Ny Person")), "P-0003"),
    ],
)
def test_a_ref_taken_after_the_forms_check_is_refused_by_the_save_itself(deleted, save, taken):
    """The form checks the refs of a new record when it is saved; another writer may take one in between, so
    the caseload checks again inside the write transaction: a new record never takes over another's ref."""
    before = rows(deleted, "SELECT * FROM audit"), rows(deleted, "SELECT ref, name FROM person ORDER BY ref")

    with pytest.raises(KasseError, match=f"Referencen {taken} (er allerede i brug|har tilhørt en slettet)"):
        save(Caseload(deleted, TODAY))

    assert (rows(deleted, "SELECT * FROM audit"), rows(deleted, "SELECT ref, name FROM person ORDER BY ref")) == before


def test_a_family_edit_carrying_a_new_member_refuses_a_ref_in_use_elsewhere(deleted, store):
    import_families(store, [Family("F-3", (person("P-0009", "Anden Person"),))])
    caseload = Caseload(deleted, TODAY)
    family = caseload.family("F-1")

    with pytest.raises(KasseError, match="Referencen P-0009 er allerede i brug"):
        caseload.save_family(replace(family, members=(*family.members, person("P-0009", "Ny"))), based_on=family)

    assert rows(deleted, "SELECT p.ref, f.ref FROM person p JOIN family f ON f.id = p.family_id ORDER BY p.ref") == [
        ("P-0001", "F-1"),
        ("P-0009", "F-3"),
    ], "not moved into F-1"


async def test_the_app_offers_a_new_ref_past_the_deleted_ones_and_refuses_a_retired_one(tmp_path):
    app = app_on(tmp_path, Family("F-2025-001", (person("P-0001"), person("P-0002"))))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.save(lambda caseload: caseload.delete_person("F-2025-001", "P-0002"), "F-2025-001", "Slettet.")
        await settle(pilot)

        await pilot.press("n")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-member_ref", Input).value == "P-0003", "not the deleted P-0002"
        assert form.query_one("#field-ref", Input).value == "F-2025-002"

        for key, value in {
            "member_ref": "P-0002",
            "member_name": "Ny Person",
            "member_birth_date": "01-01-1990",
        }.items():
            form.query_one(f"#field-{key}", Input).value = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "the form names the retired ref and stays open"
        assert "slettet" in static_text(form.query_one("#error-member_ref"))
    assert rows(app.caseload.path, "SELECT ref FROM person") == [("P-0001",)]
