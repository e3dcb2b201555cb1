"""The demo caseload: deterministic, valid kasse/v1, realistic in its mix, and showing every deadline status."""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from datetime import date

import pytest

from kasse.dates import age_on, cpr_birth_date
from kasse.demo import demo_families, demo_persons
from kasse.domain import Area, Category, ExemptReason, Family, Housing, Phase, Role
from kasse.interchange.v1 import dump_document, parse_document
from kasse.rules import Rule, Status, deadlines

TODAY = date(2026, 3, 15)


@pytest.fixture(scope="module")
def caseload() -> list[Family]:
    return demo_families(120, seed=11, today=TODAY)


def persons(families: list[Family]):
    return [person for family in families for person in family.members]


# --------------------------------------------------------------------------- determinism and size


def test_same_seed_and_day_give_the_same_caseload():
    assert demo_families(50, seed=3, today=TODAY) == demo_families(50, seed=3, today=TODAY)


def test_another_seed_gives_another_caseload():
    assert demo_families(50, seed=3, today=TODAY) != demo_families(50, seed=4, today=TODAY)


def test_dates_follow_today_not_the_clock():
    later = date(2031, 6, 30)
    takeovers = [p.takeover_date for p in persons(demo_families(50, seed=3, today=later)) if p.takeover_date]
    assert max(takeovers) > date(2031, 1, 1)


@pytest.mark.parametrize("count", [0, 1, 5, 23, 80])
def test_demo_families_gives_exactly_count_families_sorted_by_ref(count):
    families = demo_families(count, seed=1, today=TODAY)
    assert len(families) == count
    assert [f.ref for f in families] == sorted(f.ref for f in families)


def test_demo_persons_gives_about_n_persons():
    families = demo_persons(3000, seed=2, today=TODAY)
    assert 3000 <= len(persons(families)) < 3000 + 10


def test_ten_thousand_persons_well_under_two_seconds():
    started = time.process_time()  # CPU time: other processes on a busy machine do not count
    families = demo_persons(10_000, seed=5, today=TODAY)
    elapsed = time.process_time() - started
    assert len(persons(families)) >= 10_000
    assert elapsed < 2.0, f"{elapsed:.2f} s"


# --------------------------------------------------------------------------- validity


def test_the_caseload_survives_a_kasse_v1_round_trip_unchanged(caseload):
    assert parse_document(dump_document(caseload)) == caseload


def test_a_large_caseload_survives_the_round_trip_too():
    families = demo_persons(4000, seed=9, today=date(2025, 12, 31))
    assert parse_document(dump_document(families)) == families


def test_refs_are_unique_and_zero_padded(caseload):
    family_refs = [f.ref for f in caseload]
    person_refs = [p.ref for p in persons(caseload)]
    assert len(set(family_refs)) == len(family_refs)
    assert len(set(person_refs)) == len(person_refs)
    assert all(re.fullmatch(r"F-20\d\d-\d{3}", ref) for ref in family_refs)
    assert all(re.fullmatch(r"P-\d{4}", ref) for ref in person_refs)  # at least four digits, as in FORMAT.md
    assert "P-0001" in person_refs
    big = demo_families(3000, seed=1, today=TODAY)  # up to 12,000 persons: five digits
    assert all(re.fullmatch(r"P-\d{5}", p.ref) for p in persons(big))


def test_cpr_numbers_agree_with_birth_dates_and_some_persons_have_none(caseload):
    people = persons(caseload)
    with_cpr = [p for p in people if p.cpr]
    assert all(cpr_birth_date(p.cpr) == p.birth_date for p in with_cpr)
    assert all(re.fullmatch(r"\d{6}-\d{4}", p.cpr) for p in with_cpr)
    assert any(p.birth_date.year >= 2000 for p in with_cpr)  # 7th digit 4-9: the 2000s
    assert len({p.cpr for p in with_cpr}) == len(with_cpr)
    assert 0 < len(people) - len(with_cpr) < len(people) / 4


def test_nothing_is_recorded_as_done_in_the_future(caseload):
    done = []
    for family in caseload:
        done += [f.date for f in family.plan.followups] + [item.done_date for item in family.checklist]
        done.append(family.plan.made_date)
        for p in family.members:
            health = p.health
            done += [p.contract.signed_date, p.programme.start_date, p.danish.start_date, p.danish.passed_date,
                     p.plan_offer.offered_date, health.offered_date, health.declined_date, health.guidance_date,
                     health.result_received_date, p.left_date, p.um_decision.date if p.um_decision else None]  # fmt: skip
    assert max(day for day in done if day is not None) <= TODAY


# --------------------------------------------------------------------------- realism


def test_the_mix_of_people(caseload):
    people = persons(caseload)
    assert {p.category for p in people} == set(Category)
    assert {p.nationality for p in people} >= {"Syrien", "Eritrea", "Afghanistan", "Iran", "Somalia", "Danmark"}
    assert all(p.takeover_date is None for p in people if p.category is Category.RESIDENT_SPOUSE)
    assert {p.programme.exempt_reason for p in people} >= {ExemptReason.TRAUMA, ExemptReason.DISABILITY}
    assert {"Flyttet til anden kommune", "Selvforsørgende"} <= {p.left_reason for p in people}
    minors = [p for p in people if p.category is Category.UNACCOMPANIED_MINOR]
    assert {m.um_decision.offered for m in minors if m.um_decision} == {True, False}
    assert any(m.um_decision is None for m in minors)


def test_children_are_born_to_adult_parents_and_siblings_are_spaced(caseload):
    for family in caseload:
        parents = [p.birth_date for p in family.members if p.role in (Role.APPLICANT, Role.SPOUSE)]
        children = sorted(p.birth_date for p in family.members if p.role is Role.CHILD)
        for child in children:
            assert any(18 <= age_on(parent, child) <= 50 for parent in parents), family.ref
        for older, younger in itertools.pairwise(children):
            assert (younger - older).days > 300, family.ref


def test_health_and_danish_situations(caseload):
    people = persons(caseload)
    declined = [p.health for p in people if p.health.declined_date]
    assert any(h.guidance_date for h in declined) and any(h.guidance_date is None for h in declined)
    assert any(p.health.consent and p.health.result_received_date for p in people)
    pauses = [p.danish for p in people if p.danish.paused_from]
    assert any(d.paused_to is None for d in pauses) and any(d.paused_to is not None for d in pauses)


def test_family_plans_checklists_and_housing(caseload):
    assert {f.plan.followup_months for f in caseload if f.plan.made_date} >= {3, 6, 12}
    assert any(len(f.plan.followups) >= 3 for f in caseload)
    assert {f.housing for f in caseload} >= {Housing.TEMPORARY, Housing.PERMANENT}
    assert all(f.housing_since for f in caseload if f.housing in (Housing.TEMPORARY, Housing.PERMANENT))
    assert {f.coordinating_department for f in caseload} == {
        "Jobcenter", "Socialforvaltningen", "Børne- og Ungeforvaltningen"}  # fmt: skip
    tasks = Counter(item.task for f in caseload for item in f.checklist)
    assert {"Oplysninger fra asylcenter modtaget", "Bolig klar", "Etableringspakke udleveret",
            "Indskrevet på sprogskole", "Lægebesøg"} <= set(tasks)  # fmt: skip
    assert {item.phase for f in caseload for item in f.checklist} == set(Phase)


def test_contracts_and_goals(caseload):
    people = persons(caseload)
    activities = {a for p in people for a in p.contract.activities}
    assert {"Virksomhedspraktik", "Løntilskud", "Mentor", "Danskuddannelse"} <= activities
    assert all(p.contract.goal for p in people if p.contract.signed_date)
    goals = [g for p in people for g in p.goals]
    assert {g.area for g in goals} == set(Area)
    assert any(g.subgoals for g in goals) and all(g.interventions for g in goals)


# --------------------------------------------------------------------------- every deadline in every status

EVERY_STATUS = {(rule, status) for rule in Rule if rule is not Rule.PROGRAMME_END for status in Status}
EXPECTED = (
    EVERY_STATUS
    - {(rule, Status.PAUSED) for rule in Rule if rule is not Rule.DANISH_START}  # only Danish can pause
    - {(Rule.HEALTH_GUIDANCE, Status.UPCOMING)}  # would need a decline dated in the future
) | {(Rule.PROGRAMME_END, Status.UPCOMING), (Rule.PROGRAMME_END, Status.DUE_SOON)}  # a milestone


@pytest.mark.parametrize(
    ("seed", "today"),
    [(1, TODAY), (2, date(2025, 12, 31)), (3, date(2024, 2, 29)), (4, date(2026, 5, 31)), (5, date(2026, 11, 23))],
)
def test_every_rule_shows_in_every_status_it_can_have(seed, today):
    families = demo_families(40, seed=seed, today=today)
    found = {(deadline.rule, deadline.status) for deadline in deadlines(families, today=today, window=14)}
    assert found == EXPECTED, {"missing": EXPECTED - found, "unexpected": found - EXPECTED}
