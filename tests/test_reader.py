"""The fast read path: what the store saved comes back as the same domain values, via sqlite3 only."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from kasse.data import reader
from kasse.domain import (
    Category,
    Contract,
    ContractFollowUp,
    ConversationForm,
    Danish,
    Family,
    FamilyPlan,
    FollowUp,
    Health,
    Person,
)
from kasse.errors import KasseError


def person(ref: str, name: str = "Amina Hassan", **fields) -> Person:
    return Person(ref=ref, name=name, category=Category.REFUGEE, birth_date=date(1990, 1, 1), **fields)


def save(store, *families: Family) -> None:
    with store.transaction() as tx:
        for family in families:
            tx.save_family(family)


@pytest.fixture
def conn(database):
    connection = reader.connect(database.path)
    yield connection
    connection.close()


def test_a_richly_filled_family_reads_back_exactly_as_saved(store, conn, rich_family):
    save(store, rich_family)

    assert reader.read_families(conn) == [rich_family]


def test_empty_texts_stay_empty_texts_not_unrecorded(store, conn):
    blank = person(
        "P-1",
        contract=Contract(goal=""),
        danish=Danish(provider=""),
        assessment=replace(person("x").assessment, education=""),
    )
    family = Family(ref="F-1", coordinating_department="", members=(blank,))
    save(store, family)

    assert reader.read_families(conn) == [family]


def test_round_trip_keeps_types_not_just_equality(store, conn, rich_family):
    save(store, rich_family)

    [family] = reader.read_families(conn)
    applicant, minor = family.members
    assert applicant.health.consent is False
    assert minor.health.consent is True
    assert applicant.health.need is True
    assert minor.health.need is False
    assert type(applicant.contract.followups[0].form) is ConversationForm
    assert applicant.um_decision.offered is False
    assert applicant.danish.hours_per_week == 17.5
    assert type(applicant.category) is Category
    assert isinstance(applicant.birth_date, date)


def test_a_person_with_only_the_required_facts_reads_back_with_defaults(store, conn):
    minimal = Family(ref="F-1", members=(person("P-1"),))
    save(store, minimal)

    [family] = reader.read_families(conn)
    assert family == minimal
    assert family.members[0].um_decision is None
    assert family.members[0].health.consent is None


def test_fast_mode_reads_what_the_rules_and_the_queue_filter_need_and_nothing_else(store, conn, rich_family):
    save(store, rich_family)

    [family] = reader.read_families(conn, full=False)

    expected_members = tuple(
        replace(
            member,
            left_reason=None,
            contract=Contract(
                signed_date=member.contract.signed_date,
                followups=tuple(ContractFollowUp(followup.date) for followup in member.contract.followups),
            ),
            danish=replace(member.danish, provider=None, track=None, hours_per_week=None),
            assessment=type(member.assessment)(),
            goals=(),
        )
        for member in rich_family.members
    )
    assert family == Family(
        ref=rich_family.ref,
        members=expected_members,
        plan=FamilyPlan(
            rich_family.plan.made_date,
            rich_family.plan.followup_months,
            tuple(FollowUp(followup.date) for followup in rich_family.plan.followups),
        ),
    )


def test_families_come_ordered_by_ref_and_members_in_the_order_they_were_added(store, conn):
    save(
        store,
        Family(ref="F-3", members=(person("P-9"), person("P-1"))),
        Family(ref="F-1", members=(person("P-5"),)),
    )
    with store.transaction() as tx:
        tx.save_person("F-3", person("P-0"))

    families = reader.read_families(conn)

    assert [family.ref for family in families] == ["F-1", "F-3"]
    assert [member.ref for member in families[1].members] == ["P-9", "P-1", "P-0"]


def test_refs_select_families_and_unknown_refs_are_ignored(store, conn):
    save(store, *(Family(ref=f"F-{n}", members=(person(f"P-{n}"),)) for n in range(1, 5)))

    found = reader.read_families(conn, refs=["F-4", "F-2", "F-nope"])

    assert [family.ref for family in found] == ["F-2", "F-4"]
    assert [family.members[0].ref for family in found] == ["P-2", "P-4"]
    assert reader.read_families(conn, refs=[]) == []


def test_lists_keep_their_order(store, conn):
    activities = ("Zumba", "Arbejdsprøvning", "Mentor")
    followups = (FollowUp(date(2026, 1, 1)), FollowUp(date(2025, 1, 1)))
    save(
        store,
        Family(
            ref="F-1",
            plan=FamilyPlan(followups=followups),
            members=(person("P-1", contract=Contract(activities=activities)),),
        ),
    )

    [family] = reader.read_families(conn)

    assert family.plan.followups == followups
    assert family.members[0].contract.activities == activities


def test_connect_to_a_missing_database_tells_the_user_to_run_init(tmp_path):
    missing = tmp_path / "nothing.db"

    with pytest.raises(KasseError, match="Databasen findes ikke: .*nothing.db - kør 'kasse init'"):
        reader.connect(missing)
    assert not missing.exists()


def test_read_connections_cannot_write(conn):
    import sqlite3

    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM family")


def test_is_current_compares_the_stored_revision_with_the_code(database, tmp_path):
    import sqlite3

    assert reader.is_current(database.path)
    assert not reader.is_current(tmp_path / "missing.db")

    empty = tmp_path / "empty.db"
    empty.touch()
    assert not reader.is_current(empty)

    with sqlite3.connect(database.path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = 'older'")
    assert not reader.is_current(database.path)


@pytest.fixture
def searchable(store):
    save(
        store,
        Family(
            ref="F-2025-001",
            members=(
                person("P-0001", "Æsa Ødegård", cpr="010190-1234", nationality="Syrien"),
                person("P-0002", "Omar Hassan", nationality="Eritrea"),
            ),
        ),
        Family(ref="F-2025-002", members=(person("P-0003", "Sara 100% Hansen"),)),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("æsa ødegård", [("F-2025-001", "P-0001")]),
        ("ØDEG", [("F-2025-001", "P-0001")]),
        ("0101901234", [("F-2025-001", "P-0001")]),
        ("010190-12", [("F-2025-001", "P-0001")]),
        ("eritrea", [("F-2025-001", "P-0002")]),
        ("p-0003", [("F-2025-002", "P-0003")]),
        ("f-2025-001", [("F-2025-001", "P-0001"), ("F-2025-001", "P-0002")]),
        ("100%", [("F-2025-002", "P-0003")]),
        ("a%h", []),  # % is a literal, not a wildcard ("Omar Hassan" would match)
        ("nobody", []),
    ],
)
def test_search_matches_name_ref_cpr_nationality_and_family_ref_ignoring_case(searchable, conn, text, expected):
    assert reader.search(conn, text) == expected


def test_search_finds_a_family_without_members_by_its_ref(store, conn):
    save(store, Family(ref="F-EMPTY"))

    assert reader.search(conn, "f-empty") == [("F-EMPTY", None)]


def test_fast_read_of_the_danish_pause_keeps_all_its_dates(store, conn):
    paused = person("P-1", danish=Danish(paused_from=date(2025, 3, 1), paused_to=date(2025, 4, 1)))
    save(store, Family(ref="F-1", members=(paused,)))

    [family] = reader.read_families(conn, full=False)

    assert family.members[0].danish == Danish(paused_from=date(2025, 3, 1), paused_to=date(2025, 4, 1))


def test_the_2016_facts_alone_are_read_in_both_modes_for_the_selected_families_only(store, conn):
    """A referral, a need assessment or conversations, with nothing else recorded in their part."""
    conversations = (ContractFollowUp(date(2025, 3, 1), ConversationForm.VIDEO, "Kort samtale"),)
    first = person(
        "P-1",
        contract=Contract(followups=conversations),
        danish=Danish(referral_date=date(2025, 1, 20)),
        health=Health(need=False, need_date=date(2025, 1, 25)),
    )
    other = person("P-2", contract=Contract(followups=(ContractFollowUp(date(2025, 5, 1)),)))
    save(store, Family(ref="F-1", members=(first,)), Family(ref="F-2", members=(other,)))

    [full] = reader.read_families(conn, refs=["F-1"])
    [fast] = reader.read_families(conn, full=False, refs=["F-1"])

    assert full.members == (first,)
    assert fast.members == (replace(first, contract=Contract(followups=(ContractFollowUp(date(2025, 3, 1)),))),)


def test_importing_the_reader_loads_no_orm_nor_ui_library():
    heavy = ["sqlalchemy", "sqlmodel", "alembic", "textual", "typer", "rich"]
    code = (
        "import sys, kasse.data.reader\n"
        f"loaded = [name for name in {heavy!r} if name in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)

    assert result.stdout.strip() == ""
