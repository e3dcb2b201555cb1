"""Several members of one family saved together (a plan offer or a move-away for all of them): one transaction,
every person's version checked, all or nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from kasse.data import reader
from kasse.data.stale_edit import StaleEdit
from kasse.domain import Category, Family, Person, PlanOffer
from kasse.tui.caseload import Caseload
from tests.tui_support import TODAY, write_caseload

OFFERED = date(2025, 3, 1)


def person(ref: str, name: str) -> Person:
    return Person(
        ref=ref, name=name, category=Category.REFUGEE, birth_date=date(1990, 1, 1), takeover_date=date(2025, 1, 10)
    )


FAMILY = Family("F-1", (person("P-1", "Amina Hassan"), person("P-2", "Omar Hassan"), person("P-3", "Sara Hassan")))


@pytest.fixture
def path(tmp_path) -> Path:
    return write_caseload(tmp_path / "kasse.db", [FAMILY])


def stored(path: Path) -> Family:
    with closing(reader.connect(path)) as connection:
        return reader.read_families(connection, refs=["F-1"])[0]


def audit(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT actor, record, field, new_value FROM audit WHERE actor != 'test'").fetchall()


def offered(member: Person) -> Person:
    return replace(member, plan_offer=PlanOffer(offered_date=OFFERED))


def test_two_persons_are_saved_together_each_with_its_audit_rows(path):
    caseload = Caseload(path, TODAY)
    amina, omar, _ = caseload.family("F-1").members

    family = caseload.save_persons("F-1", [(amina, offered(amina)), (omar, offered(omar))])

    assert [member.plan_offer.offered_date for member in family.members] == [OFFERED, OFFERED, None]
    assert family == stored(path), "the family as reread, like save_person returns it"
    assert [(record, field, new) for _, record, field, new in audit(path)] == [
        ("P-1", "plan_offer.offered_date", "2025-03-01"),
        ("P-2", "plan_offer.offered_date", "2025-03-01"),
    ]
    assert caseload.version_of(family.members[0]) == 2, "the reread members are what the next edit is based on"


def test_one_person_changed_meanwhile_and_neither_is_saved(path):
    first, second = Caseload(path, TODAY), Caseload(path, TODAY)
    amina, omar, _ = second.family("F-1").members
    amina_first = first.family("F-1").members[0]
    first.save_person("F-1", replace(amina_first, nationality="Syrien"), based_on=amina_first)
    before = audit(path)

    with pytest.raises(StaleEdit) as refused:
        second.save_persons("F-1", [(omar, offered(omar)), (amina, offered(amina))])

    assert (refused.value.kind, refused.value.ref) == ("person", "P-1")
    assert refused.value.message.startswith("Ikke gemt: Personen P-1 er ændret af en anden, mens du redigerede.")
    assert [member.plan_offer.offered_date for member in stored(path).members] == [None, None, None]
    assert audit(path) == before, "Omar, saved first in the transaction, is rolled back with it"


def test_a_person_deleted_meanwhile_is_named_and_nothing_is_saved(path):
    first, second = Caseload(path, TODAY), Caseload(path, TODAY)
    amina, _, sara = second.family("F-1").members
    first.delete_person("F-1", "P-3")

    with pytest.raises(StaleEdit, match="Personen P-3 er slettet af en anden"):
        second.save_persons("F-1", [(amina, offered(amina)), (sara, offered(sara))])
    assert [member.plan_offer.offered_date for member in stored(path).members] == [None, None]


def test_unchanged_pairs_and_no_pairs_write_nothing(path):
    caseload = Caseload(path, TODAY)
    amina, omar, _ = caseload.family("F-1").members

    assert caseload.save_persons("F-1", []) == stored(path)
    caseload.save_persons("F-1", [(amina, amina), (omar, omar)])

    assert audit(path) == []


@pytest.mark.parametrize("twice", [True, False])
def test_a_person_named_twice_or_under_another_ref_is_a_programming_error(path, twice):
    caseload = Caseload(path, TODAY)
    amina, omar, _ = caseload.family("F-1").members
    changes = [(amina, offered(amina)), (amina, amina)] if twice else [(amina, offered(omar))]

    with pytest.raises(ValueError):
        caseload.save_persons("F-1", changes)
    assert audit(path) == []
