"""contract, programme_start and danish_start: one month from the takeover, for adults in the programme.

Ruleset 2015, pinned.
"""

import pytest

from kasse.domain import Category, Contract, Danish, ExemptReason, Programme, UmDecision
from kasse.rules import Rule, Status
from tests.factories import d, deadlines_2015, family, has_rule, one, person, rules_of

PROGRAMME_RULES = (Rule.CONTRACT, Rule.PROGRAMME_START, Rule.DANISH_START)


@pytest.mark.parametrize("category", [Category.REFUGEE, Category.QUOTA_REFUGEE, Category.FAMILY_REUNIFIED])
def test_adult_in_programme_category_gets_all_three_one_month_after_takeover(category):
    found = rules_of(deadlines_2015([family(person(category=category, takeover="2025-01-10"))], today=d("2025-01-20")))
    for rule in PROGRAMME_RULES:
        assert found[rule].due == d("2025-02-10")
        assert found[rule].status is Status.UPCOMING
        assert found[rule].days == 21


def test_month_end_takeover_clamps_the_due_date():
    assert one(person(takeover="2025-01-31"), Rule.CONTRACT, today="2025-01-31").due == d("2025-02-28")
    assert one(person(takeover="2024-01-31"), Rule.CONTRACT, today="2024-01-31").due == d("2024-02-29")


def test_met_on_the_due_date_is_met_and_a_day_later_is_met_late():
    on_time = person(contract=Contract(signed_date=d("2025-02-10")))
    late = person(contract=Contract(signed_date=d("2025-02-11")))
    assert one(on_time, Rule.CONTRACT, today="2025-03-01").status is Status.MET
    deadline = one(late, Rule.CONTRACT, today="2025-03-01")
    assert deadline.status is Status.MET_LATE
    assert deadline.met_date == d("2025-02-11")


def test_overdue_from_the_day_after_the_due_date():
    assert one(person(), Rule.PROGRAMME_START, today="2025-02-10").status is Status.DUE_SOON
    deadline = one(person(), Rule.PROGRAMME_START, today="2025-02-11")
    assert deadline.status is Status.OVERDUE
    assert deadline.days == -1


def test_due_soon_window_is_inclusive_and_adjustable():
    assert one(person(), Rule.CONTRACT, today="2025-01-27").status is Status.DUE_SOON  # 14 days
    assert one(person(), Rule.CONTRACT, today="2025-01-26").status is Status.UPCOMING  # 15 days
    assert one(person(), Rule.CONTRACT, today="2025-01-26", window=15).status is Status.DUE_SOON


def test_child_gets_no_programme_deadlines_but_gets_the_offers():
    child = person(born="2015-05-01", category=Category.FAMILY_REUNIFIED)
    for rule in PROGRAMME_RULES:
        assert not has_rule(child, rule, today="2025-01-20")
    assert has_rule(child, Rule.PLAN_OFFER, today="2025-01-20")
    assert has_rule(child, Rule.HEALTH_OFFER, today="2025-01-20")


def test_person_turning_18_the_day_after_takeover_is_a_child_on_the_anchor_date():
    assert not has_rule(person(born="2007-01-11", takeover="2025-01-10"), Rule.CONTRACT, today="2025-01-20")
    assert has_rule(person(born="2007-01-10", takeover="2025-01-10"), Rule.CONTRACT, today="2025-01-20")


@pytest.mark.parametrize("reason", list(ExemptReason))
def test_exempted_adult_has_no_programme_deadlines_but_keeps_the_offers(reason):
    exempt = person(programme=Programme(exempt_reason=reason))
    for rule in PROGRAMME_RULES:
        assert not has_rule(exempt, rule, today="2025-01-20")
    assert has_rule(exempt, Rule.PLAN_OFFER, today="2025-01-20")


# Unaccompanied minors: the decision, and a programme anchored on it.

def minor(decision: UmDecision | None = None, born: str = "2008-06-15", **fields):
    return person(born=born, category=Category.UNACCOMPANIED_MINOR, takeover="2025-01-10", um_decision=decision, **fields)


def test_minor_decision_is_due_the_day_before_the_18th_birthday():
    deadline = one(minor(), Rule.UM_DECISION, today="2025-01-20")
    assert deadline.due == d("2026-06-14")
    assert deadline.status is Status.UPCOMING
    assert one(minor(), Rule.UM_DECISION, today="2026-06-15").status is Status.OVERDUE


def test_minor_born_on_leap_day_is_decided_by_28_february():
    assert one(minor(born="2008-02-29"), Rule.UM_DECISION, today="2025-01-20").due == d("2026-02-28")


def test_minor_without_decision_has_no_programme_deadlines():
    for rule in PROGRAMME_RULES:
        assert not has_rule(minor(), rule, today="2025-01-20")


def test_minor_decided_against_a_programme_meets_the_decision_and_gets_no_programme():
    decided = minor(UmDecision(date=d("2025-09-01"), offered=False))
    assert one(decided, Rule.UM_DECISION, today="2025-10-01").status is Status.MET
    for rule in PROGRAMME_RULES:
        assert not has_rule(decided, rule, today="2025-10-01")


def test_minor_offered_a_programme_as_a_minor_gets_programme_start_from_the_decision_only():
    decided = minor(UmDecision(date=d("2025-09-01"), offered=True))
    assert one(decided, Rule.PROGRAMME_START, today="2025-09-05").due == d("2025-10-01")
    assert not has_rule(decided, Rule.CONTRACT, today="2025-09-05")
    assert not has_rule(decided, Rule.DANISH_START, today="2025-09-05")


def test_minor_decided_after_turning_18_gets_contract_and_danish_too_and_a_late_decision():
    decided = minor(UmDecision(date=d("2026-07-01"), offered=True))
    found = rules_of(deadlines_2015([family(decided)], today=d("2026-07-05")))
    assert found[Rule.UM_DECISION].status is Status.MET_LATE
    for rule in PROGRAMME_RULES:
        assert found[rule].due == d("2026-08-01")
        assert found[rule].status is Status.UPCOMING


def test_minor_already_adult_at_takeover_has_no_decision_deadline():
    assert not has_rule(minor(born="2006-01-01"), Rule.UM_DECISION, today="2025-01-20")


# Danish education paused for illness (local policy).

def paused(start: str | None = None, paused_from: str = "2025-02-01", paused_to: str | None = None):
    return person(danish=Danish(start_date=d(start) if start else None, paused_from=d(paused_from),
                                paused_to=d(paused_to) if paused_to else None))


def test_open_pause_shows_paused_with_the_original_date():
    deadline = one(paused(), Rule.DANISH_START, today="2025-03-01")
    assert deadline.status is Status.PAUSED
    assert deadline.due == d("2025-02-10")
    assert one(paused(paused_to="2025-04-30"), Rule.DANISH_START, today="2025-04-30").status is Status.PAUSED


def test_pause_not_yet_begun_does_not_count():
    assert one(paused(paused_from="2025-03-01"), Rule.DANISH_START, today="2025-02-15").status is Status.OVERDUE


def test_ended_pause_moves_the_deadline_to_a_month_after_it():
    deadline = one(paused(paused_to="2025-04-30"), Rule.DANISH_START, today="2025-05-01")
    assert deadline.due == d("2025-05-30")
    assert deadline.status is Status.UPCOMING
    assert one(paused(paused_to="2025-04-30"), Rule.DANISH_START, today="2025-05-31").status is Status.OVERDUE


def test_ended_pause_never_moves_the_deadline_earlier():
    early = paused(paused_from="2025-01-11", paused_to="2025-01-12")
    assert one(early, Rule.DANISH_START, today="2025-02-01").due == d("2025-02-12")
    very_early = paused(paused_from="2024-12-01", paused_to="2024-12-05")
    assert one(very_early, Rule.DANISH_START, today="2025-02-01").due == d("2025-02-10")


def test_start_after_an_ended_pause_is_judged_against_the_moved_date():
    assert one(paused("2025-05-20", paused_to="2025-04-30"), Rule.DANISH_START, today="2025-06-10").status is Status.MET
    late = one(paused("2025-06-02", paused_to="2025-04-30"), Rule.DANISH_START, today="2025-06-10")
    assert late.status is Status.MET_LATE
    assert late.due == d("2025-05-30")


def test_start_during_a_pause_still_open_is_judged_against_the_original_date_until_it_ends():
    # Taken over 2025-01-10: due 2025-02-10; paused 2025-02-01 to 2025-04-30, started 2025-03-01.
    started = paused("2025-03-01", paused_to="2025-04-30")
    during = one(started, Rule.DANISH_START, today="2025-03-10")
    assert (during.due, during.status, during.days) == (d("2025-02-10"), Status.MET_LATE, -28)
    assert one(started, Rule.DANISH_START, today="2025-04-30").due == d("2025-02-10")  # the pause's last day
    after = one(started, Rule.DANISH_START, today="2025-05-01")
    assert (after.due, after.status) == (d("2025-05-30"), Status.MET)
    unknown_end = one(paused("2025-03-01"), Rule.DANISH_START, today="2025-03-10")
    assert (unknown_end.due, unknown_end.status) == (d("2025-02-10"), Status.MET_LATE)


def test_pause_after_danish_started_does_not_count():
    started = paused("2025-01-20", paused_from="2025-03-01", paused_to="2025-06-01")
    deadline = one(started, Rule.DANISH_START, today="2025-04-01")
    assert deadline.status is Status.MET
    assert deadline.due == d("2025-02-10")


def test_pause_does_not_touch_contract_or_programme_start():
    assert one(paused(), Rule.CONTRACT, today="2025-03-01").status is Status.OVERDUE
