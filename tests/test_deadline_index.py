"""The prefilter index: lookups through it list exactly what the engine lists over every family, under
every ruleset choice and on days before later facts, the store keeps it on every write, and migrating an
older database fills it in."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date, timedelta
from itertools import product
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kasse import deadline_index, lookups
from kasse.data import reader
from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.deadline_index import (
    CLOSED_FROM,
    COLUMNS,
    DUE,
    MET_UNTIL,
    MILESTONE_FROM,
    MILESTONE_UNTIL,
    NOTHING,
    FamilyIndex,
    IndexDates,
    family_index,
)
from kasse.demo import demo_families
from kasse.domain import Contract, ContractFollowUp, Danish, Family, FollowUp, Health, PlanOffer, Programme
from kasse.law import RulesChoice
from kasse.lookups import Selection
from kasse.policy import Policy
from kasse.rules import Status, unsorted_deadlines
from tests.databases import new_database_file

from .conftest import AUDIT_NOW
from .factories import d, family, person
from .older_databases import database_at
from .strategies import caseload_and_today, policies

# (seed, the demo's today): the showcase makes every rule show every status on that day.
CASELOADS = ((1, d("2026-11-23")), (2, d("2024-02-29")), (3, d("2025-12-31")))
# Every window under auto; the pinned rulesets (their own index columns) with the default window.
SETTINGS = (
    *((window, Policy()) for window in (0, 14, 60)),
    (14, Policy(rules=RulesChoice.LAW_2015)),
    (14, Policy(rules=RulesChoice.LAW_2016)),
)


def met_everything(ref: str, start: str = "2025-02-01", **fields):
    """A refugee (taken over 2025-01-10 unless told) whose deadlines were all met on `start`, the
    programme's start: only the programme's end (three years later) is left."""
    return person(
        ref,
        contract=Contract(signed_date=d(start)),
        programme=Programme(start_date=d(start)),
        plan_offer=PlanOffer(offered_date=d(start)),
        **{"danish": Danish(start_date=d(start)), "health": Health(offered_date=d(start)), **fields},
    )


def lookup_days(demo_today: date) -> list[date]:
    """Before, at and long after the demo's today, plus the year's last day and leap days."""
    return [
        demo_today - timedelta(days=400),
        demo_today - timedelta(days=1),
        demo_today,
        demo_today + timedelta(days=1),
        date(demo_today.year, 12, 31),
        d("2024-02-29"),
        d("2028-02-29"),
        demo_today + timedelta(days=3 * 365),
    ]


@pytest.fixture(scope="module", params=CASELOADS, ids=lambda caseload: f"seed{caseload[0]}")
def caseload(request, tmp_path_factory) -> tuple[Path, date]:
    seed, demo_today = request.param
    path = tmp_path_factory.mktemp(f"caseload{seed}") / "kasse.db"
    with open_database(path) as database:
        import_families(Store(database, actor="tester"), demo_families(60, seed=seed, today=demo_today))
    return path, demo_today


def tight_days(path: Path, per_edge: int = 4) -> tuple[list[date], list[date]]:
    """Days on which the index sits at an edge of the conditions: a row's first unmet deadline
    is one day overdue, or a row's last open deadline closes the next day."""
    with closing(reader.connect(path)) as connection:
        everyone = reader.read_families(connection, full=False)
    one_day_overdue, closing_tomorrow = set(), set()
    for found in everyone:
        index = family_index(found)
        for dates in (index.plan, *index.members.values()):
            _add_edges(found, dates.due_auto, dates.closed_from, one_day_overdue, closing_tomorrow)
    return sorted(one_day_overdue)[:per_edge], sorted(closing_tomorrow)[:per_edge]


def _add_edges(found, first_unmet_due, closed_from, one_day_overdue: set, closing_tomorrow: set) -> None:
    if first_unmet_due is not None:
        day = first_unmet_due + timedelta(days=1)
        if any(x.days == -1 and x.status is Status.OVERDUE for x in unsorted_deadlines([found], today=day)):
            one_day_overdue.add(day)
    if closed_from is not None and closed_from > date.min:
        day = closed_from - timedelta(days=1)
        if any(x.status.is_open for x in unsorted_deadlines([found], today=day)):
            closing_tomorrow.add(day)


def days_at_the_edges(path: Path) -> list[date]:
    one_day_overdue, closing_tomorrow = tight_days(path)
    return one_day_overdue + closing_tomorrow


def mismatches(path: Path, days: list[date]) -> Iterator[tuple[date, int, Selection, Policy]]:
    """Every (today, window, selection, policy) where the lookup differs from the engine run on every family."""
    with closing(reader.connect(path)) as connection:
        everyone = reader.read_families(connection, full=False)
    for today, (window, policy) in product(days, SETTINGS):
        found = unsorted_deadlines(everyone, today=today, window=window, policy=policy)
        for selection in Selection:
            expected = lookups.select(found, selection)
            got = lookups.caseload_deadlines(path, today=today, window=window, selection=selection, policy=policy)
            if got != expected:
                yield today, window, selection, policy


def test_lookups_through_the_index_list_what_the_engine_lists_over_every_family(caseload):
    path, demo_today = caseload
    assert all(tight_days(path)), "the demo caseload has families at each edge"

    assert list(mismatches(path, days_at_the_edges(path) + lookup_days(demo_today))) == []


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(caseload_and_today(), policies(), st.integers(-400, 400))
def test_lookups_through_the_index_agree_with_the_engine_on_random_caseloads(tmp_path_factory, caseload_today,
                                                                             drawn, shift):
    """Any caseload, ruleset choice, local policy (lengths down to 0) and day, before or after its facts."""
    caseload, today = caseload_today
    drawn = dict(drawn)
    window = drawn.pop("window")
    policy = Policy(rules=RulesChoice(drawn.pop("rules")), window_days=window, **drawn)
    path = new_database_file(tmp_path_factory.mktemp("random") / "kasse.db")
    with open_database(path) as database:
        import_families(Store(database, actor="tester"), list(caseload))
    for day in (today, today + timedelta(days=shift)):
        found = unsorted_deadlines(caseload, today=day, window=window, policy=policy)
        for selection in Selection:
            expected = lookups.select(found, selection)
            assert lookups.caseload_deadlines(path, today=day, window=window, selection=selection,
                                              policy=policy) == expected, (day, selection, policy)


def edge_families() -> list[Family]:
    """Families built for the proof's steps, which a demo caseload seldom shows."""
    return [
        # Every unmet deadline closes only when the last of them leaves (the max, not the min).
        family(person("P-1", left="2025-06-01"), person("P-2", left="2025-12-01"), ref="F-E1"),
        # Only the programme's end is open, and it lies years back: facts start before any day.
        family(met_everything("P-3", takeover="2019-01-10", start="2019-02-01"), ref="F-E2"),
        # Danish paused from 2025-01-20 to 2025-05-01: due 2025-02-10 before the pause, 2025-06-01 after.
        family(
            met_everything("P-4", danish=Danish(paused_from=d("2025-01-20"), paused_to=d("2025-05-01"))),
            ref="F-E3",
        ),
        # A plan with no covered member: no follow-up at all.
        family(person("P-5", takeover=None), ref="F-E4", made="2025-03-01"),
        # A plan whose only covered member left: a member not covered keeps nothing open.
        family(met_everything("P-6", left="2025-04-01"), person("P-7", takeover=None), ref="F-E5", made="2025-03-01"),
        # Under auto a 2015 member gives the family's plan follow-ups; the 2016 member adds none.
        family(met_everything("P-8", takeover="2016-06-30", start="2016-07-20"),
               met_everything("P-9", takeover="2016-07-01", start="2016-07-20"), ref="F-E6", made="2016-08-01"),
        # Facts planned ahead: on a day before them the deadlines are open (the contract's follow-up
        # conversations and a signing dated after the lookup days).
        family(person("P-10", contract=Contract(signed_date=d("2025-02-20"), followups=tuple(
            ContractFollowUp(d(day)) for day in ("2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01")))),
            ref="F-E7"),
    ]


EDGE_DAYS = [d(day) for day in ("2016-07-10", "2017-08-02", "2022-01-20", "2025-01-15", "2025-02-15", "2025-05-20",
                                 "2025-09-01", "2026-03-02")]


def test_lookups_through_the_index_agree_with_the_engine_at_the_edges(store, database):
    import_families(store, edge_families())

    assert list(mismatches(database.path, EDGE_DAYS)) == []


def test_the_index_leaves_out_families_and_persons_with_nothing_overdue(caseload):
    path, demo_today = caseload
    prefilter = deadline_index.candidates({Status.OVERDUE}, today=demo_today, window=14, policy=Policy())
    with closing(reader.connect(path)) as connection:
        everyone = {found.ref: found for found in reader.read_families(connection, full=False)}
        candidates = reader.read_families(connection, full=False, prefilter=prefilter)

    assert 0 < len(candidates) < len(everyone)
    assert [found.ref for found in candidates] == sorted(found.ref for found in candidates)
    for found in candidates:  # the same values, members in the same order, some left out
        whole = everyone[found.ref]
        assert found == replace(whole, members=tuple(m for m in whole.members if m in found.members))
    persons_read = sum(len(found.members) for found in candidates)
    assert persons_read < sum(len(everyone[found.ref].members) for found in candidates)


def test_met_or_closed_wanted_or_plan_policy_means_every_family_and_the_window_never_overflows():
    assert deadline_index.candidates(set(Status), today=d("2026-11-23"), window=14, policy=Policy()) is None
    assert deadline_index.candidates({Status.CLOSED}, today=d("2026-11-23"), window=14, policy=Policy()) is None
    plan_policy = Policy(plan_deadlines=True)
    assert deadline_index.candidates({Status.OVERDUE}, today=d("2026-11-23"), window=14, policy=plan_policy) is None

    _, params = deadline_index.candidates({Status.OVERDUE, Status.DUE_SOON}, today=date.max, window=14,
                                          policy=Policy())
    assert params == {"index_until": date.max.isoformat(), "index_today": date.max.isoformat()}


# Wrong conditions, each an edit of the real one: (what it replaces, with what).
BROKEN_CONDITIONS = {
    "null_closed_from_taken_as_closed": (f"{CLOSED_FROM} IS NULL OR ", ""),
    "closed_a_day_early": (f"{CLOSED_FROM} > :index_today", f"{CLOSED_FROM} > date(:index_today, '+1 day')"),
    "overdue_bound_a_day_early": (" < :index_until", " < date(:index_until, '-1 day')"),
    "later_facts_ignored": (f" OR {MET_UNTIL} > :index_today", ""),
    "milestones_ignored": (f" OR ({MILESTONE_FROM} <= :index_until AND {MILESTONE_UNTIL} >= :index_today)", ""),
    "one_ruleset_column_for_all": (DUE[RulesChoice.LAW_2015], DUE[RulesChoice.AUTO]),
}


@pytest.mark.parametrize("edit", BROKEN_CONDITIONS.values(), ids=BROKEN_CONDITIONS)
def test_the_comparison_catches_a_wrong_condition(caseload, monkeypatch, edit):
    path, demo_today = caseload

    def broken(wanted, *, today, window, policy):
        found = deadline_index.candidates(wanted, today=today, window=window, policy=policy)
        return found and (found[0].replace(*edit), found[1])

    monkeypatch.setattr(lookups, "candidates", broken)

    assert next(mismatches(path, days_at_the_edges(path) + lookup_days(demo_today)), None) is not None


def _ignoring_the_plan_followup(family: Family) -> FamilyIndex:
    return family_index(family)._replace(plan=NOTHING)


def _plan_closed_when_the_first_leaves(family: Family) -> FamilyIndex:
    index = family_index(family)
    left = [person.left_date for person in family.members if person.left_date is not None]
    return index._replace(plan=index.plan._replace(closed_from=min(left, default=index.plan.closed_from)))


def _members_by_their_last_unmet_due(family: Family) -> FamilyIndex:
    index = family_index(family)
    last = {}
    for fact in unsorted_deadlines([family], today=date.min, facts_until=date.max):
        if fact.person is not None and fact.met_date is None:
            last[fact.person] = max(fact.due, last.get(fact.person, fact.due))
    members = {ref: dates._replace(due_auto=last.get(ref)) for ref, dates in index.members.items()}
    return index._replace(members=members)


def _met_dates_ignored(family: Family) -> FamilyIndex:
    index = family_index(family)
    members = {ref: dates._replace(met_until=None) for ref, dates in index.members.items()}
    return index._replace(members=members)


def _milestones_ignored(family: Family) -> FamilyIndex:
    index = family_index(family)
    members = {ref: dates._replace(milestone_from=None, milestone_until=None) for ref, dates in index.members.items()}
    return index._replace(members=members)


@pytest.mark.parametrize(
    "broken",
    [_ignoring_the_plan_followup, _plan_closed_when_the_first_leaves, _members_by_their_last_unmet_due,
     _met_dates_ignored, _milestones_ignored],
)
def test_the_comparison_catches_a_wrong_index(tmp_path, monkeypatch, broken):
    seed, demo_today = CASELOADS[0]
    monkeypatch.setattr("kasse.data.store.family_index", broken)
    path = tmp_path / "kasse.db"
    with open_database(path) as database:
        import_families(Store(database, actor="tester"), demo_families(60, seed=seed, today=demo_today))

    assert next(mismatches(path, days_at_the_edges(path) + lookup_days(demo_today)), None) is not None


# -- kept by the store ----------------------------------------------------------------


def stored_index(path: Path, ref: str, table: str = "family") -> IndexDates:
    """The index columns of the family (or, with table="person", the person) with this ref."""
    with closing(sqlite3.connect(path)) as connection:
        sql = f"SELECT {', '.join(COLUMNS)} FROM {table} WHERE ref = ?"
        row = connection.execute(sql, (ref,)).fetchone()
    return IndexDates(*(None if text is None else date.fromisoformat(text) for text in row))


def member_index(path: Path, ref: str) -> IndexDates:
    return stored_index(path, ref, "person")


def as_2015(dates: IndexDates) -> tuple[date | None, date | None]:
    """The first unmet due under the 2015 rules and the closing day: what the tests below were written for."""
    return dates.due_2015, dates.closed_from


def assert_every_index_is_current(path: Path) -> None:
    with closing(reader.connect(path)) as connection:
        families = reader.read_families(connection, full=False)
    stored = {
        f.ref: FamilyIndex(stored_index(path, f.ref), {m.ref: member_index(path, m.ref) for m in f.members})
        for f in families
    }
    assert stored == {f.ref: family_index(f) for f in families}


def test_the_store_keeps_the_index_through_every_kind_of_write(store, database):
    path = database.path
    with store.transaction() as tx:
        tx.save_family(family(person("P-1"), ref="F-1"))
        tx.save_family(family(person("P-2", takeover="2025-06-01"), ref="F-2", made="2025-03-01"))
    assert as_2015(member_index(path, "P-1")) == (d("2025-02-10"), None)  # contract and programme start
    assert stored_index(path, "F-1") == NOTHING  # no plan
    assert as_2015(stored_index(path, "F-2")) == (d("2026-03-01"), None)  # the plan's first review

    with store.transaction() as tx:
        tx.save_person("F-1", met_everything("P-1"))
    # Only the milestones are left: the 2016 review after a year, the 2015 end after three, the 2016 after five.
    assert as_2015(member_index(path, "P-1")) == (None, None)
    assert member_index(path, "P-1")[4:6] == (d("2026-02-01"), d("2030-02-01"))

    with store.transaction() as tx:
        tx.save_person("F-1", met_everything("P-1", left="2026-06-30"))
    assert as_2015(member_index(path, "P-1")) == (None, d("2026-06-30"))

    with store.transaction() as tx:  # P-2 moves: F-2's plan covers nobody now
        tx.save_person("F-1", person("P-2", takeover="2025-06-01"))
    assert as_2015(member_index(path, "P-2")) == (d("2025-07-01"), None)
    assert stored_index(path, "F-2") == NOTHING  # a plan needs a covered member
    assert_every_index_is_current(path)

    with store.transaction() as tx:  # and back, through save_family
        tx.save_family(family(person("P-2", takeover="2025-06-01"), ref="F-2", made="2025-03-01"))
    assert as_2015(stored_index(path, "F-2")) == (d("2026-03-01"), None)

    with store.transaction() as tx:
        tx.delete_person("P-2")
    assert stored_index(path, "F-2") == NOTHING  # a plan needs a covered member
    assert_every_index_is_current(path)


def test_a_followup_moves_the_next_review_and_the_health_followup_it_meets(store, database):
    path = database.path
    result = Health(offered_date=d("2025-02-01"), consent=True, result_received_date=d("2025-04-01"))
    with store.transaction() as tx:
        tx.save_family(family(met_everything("P-1", health=result), ref="F-1", made="2025-03-01", months=6))
    assert as_2015(stored_index(path, "F-1")) == (d("2025-09-01"), None)
    # The plan follows up on the result: a month later, indexed at the earliest any policy allows (0 months).
    assert as_2015(member_index(path, "P-1")) == (d("2025-04-01"), None)

    with store.transaction() as tx:
        tx.add_followup("F-1", FollowUp(d("2025-08-20")))
    assert as_2015(stored_index(path, "F-1")) == (d("2026-02-20"), None)
    assert as_2015(member_index(path, "P-1")) == (None, None)  # met by the follow-up
    assert_every_index_is_current(path)


def test_a_plan_whose_covered_members_all_left_is_closed_from_the_last_leaving(store, database):
    with store.transaction() as tx:
        tx.save_family(
            family(
                met_everything("P-1", left="2026-03-01"),
                met_everything("P-2", left="2026-05-01"),
                person("P-3", takeover=None),  # not covered: never closes anything
                ref="F-1",
                made="2025-03-01",
            )
        )

    assert as_2015(stored_index(database.path, "F-1")) == (d("2026-03-01"), d("2026-05-01"))
    assert member_index(database.path, "P-3") == NOTHING


def test_the_index_is_derived_and_never_audited(store, database):
    with store.transaction() as tx:
        tx.save_family(family(person("P-1"), person("P-2"), ref="F-1"))
        tx.save_person("F-1", person("P-1", left="2026-01-01"))
        tx.delete_person("P-2")
        tx.add_followup("F-1", FollowUp(d("2025-08-20")))

    with closing(sqlite3.connect(database.path)) as connection:
        fields = {field for (field,) in connection.execute("SELECT field FROM audit")}
    assert not {field for field in fields if field.startswith("index")}


def test_an_import_indexes_every_family(store, database):
    import_families(store, demo_families(30, seed=4, today=AUDIT_NOW.date()))

    assert_every_index_is_current(database.path)


# -- migration --------------------------------------------------------------------------




# 0002 kept one index per family for all its deadlines: the migration must not trust those values.
STALE_FAMILY_INDEX = {"0001": "", **dict.fromkeys(("0002", "0003"), ", index_first_unmet_due = '2025-02-10'")}


@pytest.mark.parametrize("revision", ["0001", "0002", "0003"])
def test_the_first_lookup_on_an_older_database_migrates_it_once_and_fills_the_index(tmp_path, revision):
    path = tmp_path / "kasse.db"
    database_at(path, revision)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("INSERT INTO family (id, ref, plan_made_date) VALUES (1, 'F-1', '2025-03-01')")
        connection.execute("INSERT INTO family (id, ref) VALUES (2, 'F-2')")
        connection.execute(f"UPDATE family SET ref = ref {STALE_FAMILY_INDEX[revision]}")
        connection.execute(
            """INSERT INTO person (family_id, ref, name, birth_date, category, takeover_date)
               VALUES (1, 'P-1', 'Amina Hassan', '1990-01-01', 'refugee', '2025-01-10')"""
        )
    assert not reader.is_current(path)

    found = lookups.caseload_deadlines(path, today=d("2025-04-01"), window=14, selection=Selection.OVERDUE)

    assert reader.is_current(path)
    assert len(list(tmp_path.glob("*.bak"))) == 1
    assert as_2015(stored_index(path, "F-1")) == (d("2026-03-01"), None)  # the plan's first review
    assert stored_index(path, "F-2") == NOTHING
    assert as_2015(member_index(path, "P-1")) == (d("2025-02-10"), None)
    assert {deadline.person for deadline in found} == {"P-1"}
    assert_every_index_is_current(path)
