"""The engine agrees, row for row and field for field, with an independent reading of DOMAIN.md (tests/oracle.py),
and `today` in the past equals a caseload in which the later facts were never entered."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings

from kasse.cli.output import deadline_record
from kasse.domain import Danish, Family, FamilyPlan, Health, Person, PlanOffer, Programme
from kasse.law import RulesChoice
from kasse.policy import Policy
from kasse.rules import deadlines
from tests import scenarios_held_out
from tests.oracle import oracle_deadlines
from tests.strategies import caseload_and_today, policies

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def engine_rows(families, *, today: date, window: int = 14, **policy) -> list[dict]:
    found = deadlines(families, today=today, window=window, policy=Policy(rules=RulesChoice(policy.pop("rules")),
                                                                        **policy))
    return [deadline_record(deadline) for deadline in found]


def by_key(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["due"], r["family"], r["person"] or "", r["rule"], r["met_date"] or ""))


@SETTINGS
@given(caseload_and_today(), policies())
def test_the_engine_agrees_with_the_independent_reading(caseload_today, policy):
    caseload, today = caseload_today
    expected = oracle_deadlines(caseload, today=today, **policy)
    found = engine_rows(caseload, today=today, **policy)
    assert by_key(found) == by_key(expected)
    keys = [(r["due"], r["family"], r["person"] or "") for r in found]
    assert keys == sorted(keys), "sorted by due, family, person"


def test_the_held_out_scenario_under_auto_today_and_on_a_past_day():
    for today, expected in scenarios_held_out.EXPECTED.items():
        found = engine_rows(scenarios_held_out.FAMILIES, today=today, rules="auto")
        assert by_key(found) == by_key(expected), today


# -- as of a day: a fact dated later was never entered ---------------------------------------------


def _known(day: date | None, today: date) -> date | None:
    return day if day is not None and day <= today else None


def as_entered_on(family: Family, today: date) -> Family:
    """The family as it would have been recorded on `today`: every fact dated later left out.

    Takeover and birth dates stay (they are read as they are); pause dates go too, which the
    pause rule must treat alike (a pause that begins later does not count yet)."""
    plan = family.plan
    made = _known(plan.made_date, today)
    plan = FamilyPlan(made, plan.followup_months, tuple(f for f in plan.followups if f.date <= today))
    return replace(family, plan=plan, members=tuple(_person_on(person, today) for person in family.members))


def _person_on(person: Person, today: date) -> Person:
    contract, danish, health = person.contract, person.danish, person.health
    need_known = health.need_date is not None and health.need_date <= today
    return replace(
        person,
        left_date=_known(person.left_date, today),
        programme=Programme(person.programme.exempt_reason, _known(person.programme.start_date, today)),
        um_decision=person.um_decision if person.um_decision and person.um_decision.date <= today else None,
        contract=replace(contract, signed_date=_known(contract.signed_date, today),
                         followups=tuple(talk for talk in contract.followups if talk.date <= today)),
        danish=Danish(
            _known(danish.start_date, today), danish.provider, danish.track, danish.hours_per_week,
            _known(danish.paused_from, today), danish.paused_to if danish.paused_from and danish.paused_from <= today
            else None, _known(danish.passed_date, today), _known(danish.referral_date, today),
        ),
        plan_offer=PlanOffer(_known(person.plan_offer.offered_date, today), person.plan_offer.answer),
        health=Health(
            _known(health.offered_date, today), _known(health.declined_date, today),
            _known(health.guidance_date, today), health.consent, _known(health.result_received_date, today),
            health.need if need_known else None, health.need_date if need_known else None,
        ),
    )


@SETTINGS
@given(caseload_and_today(), policies())
def test_a_past_today_shows_the_caseload_as_if_the_later_facts_were_never_entered(caseload_today, policy):
    caseload, today = caseload_today
    as_entered = [as_entered_on(family, today) for family in caseload]
    assert engine_rows(caseload, today=today, **dict(policy)) == engine_rows(as_entered, today=today, **dict(policy))
