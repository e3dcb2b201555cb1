"""The one write path: upserts by ref, replaces lists, keeps members, and audits every change."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from kasse.data import reader
from kasse.data.audit import current_actor
from kasse.data.store import ImportSummary, Outcome, Store, import_families
from kasse.domain import (
    Area,
    Category,
    Contract,
    ContractFollowUp,
    ConversationForm,
    Danish,
    Family,
    FamilyPlan,
    FollowUp,
    Goal,
    Health,
    Intervention,
    Person,
    UmDecision,
)
from kasse.errors import KasseError

from .conftest import AUDIT_NOW


def person(ref: str, name: str = "Amina Hassan", **fields) -> Person:
    return Person(ref=ref, name=name, category=Category.REFUGEE, birth_date=date(1990, 1, 1), **fields)


def read(database) -> list[Family]:
    connection = reader.connect(database.path)
    try:
        return reader.read_families(connection)
    finally:
        connection.close()


def audit_rows(database) -> list[tuple]:
    with sqlite3.connect(database.path) as connection:
        return connection.execute(
            "SELECT at, actor, table_name, record, field, old_value, new_value FROM audit ORDER BY id"
        ).fetchall()


def count(database, table: str) -> int:
    with sqlite3.connect(database.path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def save(store: Store, family: Family) -> Outcome:
    with store.transaction() as tx:
        return tx.save_family(family)


def test_a_new_family_is_created_with_one_audit_row_per_record(store, database, rich_family):
    assert save(store, rich_family) == "created"

    rows = audit_rows(database)
    assert [(table, record, field) for _, _, table, record, field, _, _ in rows] == [
        ("family", "F-2025-001", "*"),
        ("person", "P-0002", "*"),
        ("person", "P-0001", "*"),
    ]
    at, actor, _, _, _, old, new = rows[1]
    assert (at, actor, old) == (AUDIT_NOW.isoformat(timespec="milliseconds"), "tester", None)
    recorded = json.loads(new)
    assert recorded["family"] == "F-2025-001"
    assert recorded["name"] == "Æsa Ødegård"
    assert recorded["danish"]["hours_per_week"] == 17.5
    assert recorded["um_decision"] == {"date": "2025-03-03", "offered": False}


def test_saving_the_same_family_again_changes_nothing_and_audits_nothing(store, database, rich_family):
    save(store, rich_family)
    before = audit_rows(database)

    assert save(store, rich_family) == "unchanged"
    assert audit_rows(database) == before
    assert read(database) == [rich_family]


def test_an_update_writes_one_audit_row_per_changed_field(store, database, rich_family):
    save(store, rich_family)
    applicant = rich_family.members[0]
    changed = replace(
        applicant,
        name="Æsa Hansen",
        danish=replace(applicant.danish, hours_per_week=22.5),
        health=replace(applicant.health, consent=None),
    )
    updated = replace(rich_family, housing_since=date(2025, 2, 1), members=(changed, rich_family.members[1]))

    assert save(store, updated) == "updated"

    new_rows = [row[2:] for row in audit_rows(database)[3:]]
    assert new_rows == [
        ("family", "F-2025-001", "housing_since", "2025-01-10", "2025-02-01"),
        ("person", "P-0002", "name", "Æsa Ødegård", "Æsa Hansen"),
        ("person", "P-0002", "danish.hours_per_week", "17.5", "22.5"),
        ("person", "P-0002", "health.consent", "false", None),
    ]
    assert read(database) == [updated]


def test_a_decision_recorded_later_is_audited_as_a_whole(store, database):
    save(store, Family(ref="F-1", members=(person("P-1"),)))

    decided = person("P-1", um_decision=UmDecision(date(2025, 6, 1), True))
    save(store, Family(ref="F-1", members=(decided,)))

    assert audit_rows(database)[-1][2:] == (
        "person",
        "P-1",
        "um_decision",
        None,
        json.dumps({"date": "2025-06-01", "offered": True}),
    )


def test_lists_are_replaced_and_old_child_rows_disappear(store, database, rich_family):
    save(store, rich_family)
    applicant = rich_family.members[0]
    new_goals = (Goal(Area.SOCIAL_HEALTH, "Netværk", ("Ét nyt mål",), (Intervention("Mentor"),)),)
    updated = replace(rich_family, members=(replace(applicant, goals=new_goals), rich_family.members[1]))

    save(store, updated)

    assert read(database) == [updated]
    assert count(database, "goal") == 2  # one for each member
    assert count(database, "subgoal") == 1
    assert count(database, "intervention") == 2
    *_, (table, record, field, old, new) = [row[2:] for row in audit_rows(database)]
    assert (table, record, field) == ("person", "P-0002", "goals")
    assert [goal["goal"] for goal in json.loads(old)] == ["Bestå Prøve i Dansk 2", "Frivillig i idrætsforening"]
    assert json.loads(new)[0]["interventions"][0]["title"] == "Mentor"


def test_a_contract_followup_added_replaces_the_stored_list_and_is_audited_whole(store, database):
    first = ContractFollowUp(date(2025, 3, 1), ConversationForm.MEETING, "Første samtale")
    signed = Contract(signed_date=date(2025, 2, 1), followups=(first,))
    save(store, Family(ref="F-1", members=(person("P-1", contract=signed),)))

    second = ContractFollowUp(date(2025, 4, 1), ConversationForm.PHONE)
    updated = person("P-1", contract=replace(signed, followups=(first, second)))
    assert save(store, Family(ref="F-1", members=(updated,))) == "updated"

    assert read(database)[0].members == (updated,)
    assert count(database, "contract_followup") == 2
    table, record, field, old, new = audit_rows(database)[-1][2:]
    assert (table, record, field) == ("person", "P-1", "contract.followups")
    assert json.loads(old) == [{"date": "2025-03-01", "form": "meeting", "note": "Første samtale"}]
    assert json.loads(new) == [*json.loads(old), {"date": "2025-04-01", "form": "phone", "note": None}]


def test_the_referral_and_the_need_assessment_are_audited_by_their_kasse_v1_paths(store, database):
    save(store, Family(ref="F-1", members=(person("P-1"),)))

    assessed = person(
        "P-1",
        danish=Danish(referral_date=date(2025, 1, 20)),
        health=Health(need=False, need_date=date(2025, 1, 25)),
    )
    save(store, Family(ref="F-1", members=(assessed,)))

    assert [row[3:] for row in audit_rows(database)[-3:]] == [
        ("P-1", "danish.referral_date", None, "2025-01-20"),
        ("P-1", "health.need", None, "false"),
        ("P-1", "health.need_date", None, "2025-01-25"),
    ]
    assert read(database)[0].members == (assessed,)


def test_members_missing_from_a_saved_family_are_kept(store, database):
    save(store, Family(ref="F-1", members=(person("P-1"), person("P-2"))))

    assert save(store, Family(ref="F-1", members=(person("P-2"),))) == "unchanged"

    assert [member.ref for member in read(database)[0].members] == ["P-1", "P-2"]


def test_a_person_saved_in_another_family_moves_there(store, database):
    save(store, Family(ref="F-1", members=(person("P-1"), person("P-2"))))

    assert save(store, Family(ref="F-2", members=(person("P-2"),))) == "created"

    families = {family.ref: family for family in read(database)}
    assert [member.ref for member in families["F-1"].members] == ["P-1"]
    assert [member.ref for member in families["F-2"].members] == ["P-2"]
    assert audit_rows(database)[-1][2:] == ("person", "P-2", "family", "F-1", "F-2")


def test_save_person_creates_and_updates_one_member(store, database):
    save(store, Family(ref="F-1", members=(person("P-1"),)))

    with store.transaction() as tx:
        assert tx.save_person("F-1", person("P-2")) == "created"
        assert tx.save_person("F-1", person("P-2", takeover_date=date(2025, 1, 10))) == "updated"
        assert tx.save_person("F-1", person("P-2", takeover_date=date(2025, 1, 10))) == "unchanged"

    assert read(database)[0].members[1].takeover_date == date(2025, 1, 10)


def test_save_person_in_an_unknown_family_is_refused(store, database):
    with pytest.raises(KasseError, match="Ukendt reference: F-404"), store.transaction() as tx:
        tx.save_person("F-404", person("P-1"))

    assert count(database, "person") == 0


def test_add_followup_appends_to_the_plan_and_is_audited(store, database):
    first = FollowUp(date(2025, 9, 1), "Første")
    save(store, Family(ref="F-1", plan=FamilyPlan(followups=(first,)), members=(person("P-1"),)))

    with store.transaction() as tx:
        tx.add_followup("F-1", FollowUp(date(2026, 3, 1)))

    [family] = read(database)
    assert family.plan.followups == (first, FollowUp(date(2026, 3, 1)))
    assert [member.ref for member in family.members] == ["P-1"]
    table, record, field, old, new = audit_rows(database)[-1][2:]
    assert (table, record, field) == ("family", "F-1", "plan.followups")
    assert len(json.loads(old)) == 1 and len(json.loads(new)) == 2


def test_delete_person_removes_the_person_and_their_lists(store, database, rich_family):
    save(store, rich_family)

    with store.transaction() as tx:
        tx.delete_person("P-0002")

    assert [member.ref for member in read(database)[0].members] == ["P-0001"]
    assert count(database, "contract_activity") == 0
    assert count(database, "contract_followup") == 0
    assert count(database, "subgoal") == 0
    table, record, field, old, new = audit_rows(database)[-1][2:]
    assert (table, record, field, new) == ("person", "P-0002", "*", None)
    assert json.loads(old)["name"] == "Æsa Ødegård"


def test_delete_family_removes_everything_under_it_and_audits_each_record(store, database, rich_family):
    save(store, rich_family)

    with store.transaction() as tx:
        tx.delete_family("F-2025-001")

    assert read(database) == []
    tables = ("person", "followup", "checklist_item", "goal", "subgoal", "intervention", "contract_activity",
              "contract_followup")
    for table in tables:
        assert count(database, table) == 0, table
    assert [row[2:5] for row in audit_rows(database)[-3:]] == [
        ("family", "F-2025-001", "*"),
        ("person", "P-0002", "*"),
        ("person", "P-0001", "*"),
    ]


@pytest.mark.parametrize("operation", ["delete_person", "delete_family", "add_followup"])
def test_unknown_refs_are_refused(store, operation):
    arguments = {"add_followup": ("F-404", FollowUp(date(2025, 1, 1)))}.get(operation, ("X-404",))

    with pytest.raises(KasseError, match="Ukendt reference: .-404"), store.transaction() as tx:
        getattr(tx, operation)(*arguments)


def test_import_counts_what_was_created_updated_and_left_alone(store, database):
    save(store, Family(ref="F-1", members=(person("P-1"), person("P-2"))))
    save(store, Family(ref="F-2", members=(person("P-3"),)))

    summary = import_families(
        store,
        [
            Family(ref="F-1", members=(person("P-1"), person("P-2", "Ny"))),
            Family(ref="F-2", members=(person("P-3"),)),
            Family(ref="F-3", members=(person("P-4"), person("P-5"))),
        ],
    )

    assert summary == ImportSummary(
        families_created=1,
        families_updated=1,
        families_unchanged=1,
        persons_created=2,
        persons_updated=1,
        persons_unchanged=2,
    )


def test_an_import_with_a_bad_record_changes_nothing(store, database):
    save(store, Family(ref="F-1", members=(person("P-1"),)))
    before = audit_rows(database)
    broken = Person(ref="P-3", name="Uden fødselsdato", category=Category.REFUGEE, birth_date=None)

    with pytest.raises(Exception):  # noqa: B017 - any failure must roll back
        import_families(
            store,
            [Family(ref="F-1", members=(person("P-1", "Ændret"),)), Family(ref="F-2", members=(broken,))],
        )

    assert [family.ref for family in read(database)] == ["F-1"]
    assert read(database)[0].members[0].name == "Amina Hassan"
    assert audit_rows(database) == before


def test_a_person_twice_in_one_import_is_refused(store, database):
    with pytest.raises(KasseError, match="Personen P-1 optræder mere end én gang"):
        import_families(
            store, [Family(ref="F-1", members=(person("P-1"),)), Family(ref="F-2", members=(person("P-1"),))]
        )

    assert count(database, "family") == 0


def test_a_dry_run_reports_but_saves_nothing(store, database, rich_family):
    summary = import_families(store, [rich_family], dry_run=True)

    assert (summary.families_created, summary.persons_created) == (1, 2)
    assert read(database) == []
    assert audit_rows(database) == []


def test_the_actor_is_the_given_name_else_kasse_user_else_the_os_user(monkeypatch):
    monkeypatch.setenv("KASSE_USER", "sagsbehandler1")
    assert current_actor("lead") == "lead"
    assert current_actor() == "sagsbehandler1"

    monkeypatch.delenv("KASSE_USER")
    monkeypatch.setattr("getpass.getuser", lambda: "osuser")
    assert current_actor() == "osuser"


def test_the_audit_names_the_actor_from_the_environment(database, monkeypatch):
    monkeypatch.setenv("KASSE_USER", "sagsbehandler1")

    save(Store(database), Family(ref="F-1"))

    assert audit_rows(database)[0][1] == "sagsbehandler1"


def test_consent_false_and_unknown_are_different_values(store, database):
    save(store, Family(ref="F-1", members=(person("P-1", health=Health(consent=False)),)))

    assert save(store, Family(ref="F-1", members=(person("P-1", health=Health(consent=None)),))) == "updated"
    assert save(store, Family(ref="F-1", members=(person("P-1", health=Health(consent=None)),))) == "unchanged"
    assert read(database)[0].members[0].health.consent is None


def test_whole_hours_equal_to_their_float_are_unchanged(store, database):
    save(store, Family(ref="F-1", members=(person("P-1", danish=Danish(hours_per_week=18)),)))

    assert save(store, Family(ref="F-1", members=(person("P-1", danish=Danish(hours_per_week=18.0)),))) == "unchanged"


def test_writes_that_bypass_the_store_are_refused(database):
    from sqlalchemy import text

    with pytest.raises(RuntimeError, match="kasse.data.store"), database.engine.begin() as connection:
        connection.execute(text("INSERT INTO family (ref) VALUES ('F-sneaky')"))

    assert count(database, "family") == 0


def test_a_save_on_an_outdated_version_is_refused_and_writes_nothing(store, database):
    from kasse.data.stale_edit import StaleEdit

    save(store, Family(ref="F-1", members=(person("P-1"),)))
    with store.transaction() as tx:
        tx.save_person("F-1", person("P-1", nationality="Syrien"), expected_version=1)  # now version 2
    rows_before = audit_rows(database)

    with pytest.raises(StaleEdit, match="Personen P-1 er ændret af en anden"), store.transaction() as tx:
        tx.save_person("F-1", person("P-1", name="Amina H."), expected_version=1)
    with pytest.raises(StaleEdit, match="Familien F-1 er ændret"), store.transaction() as tx:
        tx.save_person("F-1", person("P-1", nationality="Irak"), expected_version=2)  # fine on its own
        tx.save_family(Family(ref="F-1", coordinating_department="Jobcenter"), expected_version=0)

    assert audit_rows(database) == rows_before
    assert read(database)[0].members[0].nationality == "Syrien"
    with sqlite3.connect(database.path) as connection:
        assert connection.execute("SELECT version FROM person").fetchall() == [(2,)]


def test_a_family_saved_over_a_newer_member_is_refused_and_writes_nothing(store, database):
    from kasse.data.stale_edit import StaleEdit

    save(store, Family(ref="F-1", members=(person("P-1"), person("P-2", "Omar Hassan"))))
    with store.transaction() as tx:
        tx.save_person("F-1", person("P-1", nationality="Syrien"), expected_version=1)  # now version 2
    rows_before = audit_rows(database)
    edited = (person("P-1", name="Amina H."), person("P-2", "Omar Hassan", nationality="Irak"))

    with pytest.raises(StaleEdit, match="Personen P-1 er ændret af en anden"), store.transaction() as tx:
        tx.save_family(Family("F-1", edited, "Jobcenter"), expected_version=1, member_versions={"P-1": 1, "P-2": 1})

    assert audit_rows(database) == rows_before
    with store.transaction() as tx:  # on the version it now has, the same edit goes in
        tx.save_family(Family("F-1", edited, "Jobcenter"), expected_version=1, member_versions={"P-1": 2, "P-2": 1})
    assert [(member.name, member.nationality) for member in read(database)[0].members] == [
        ("Amina H.", None),
        ("Omar Hassan", "Irak"),
    ]
