"""A fact dated after today has not happened yet: today in the past shows the caseload as it stood."""


from kasse.domain import Category, Contract, ContractFollowUp, Danish, Health, PlanOffer, Programme, UmDecision
from kasse.law import Rule
from kasse.rules import Status, deadlines
from tests.factories import PINNED, d, family, one, person, rules_of


def test_a_planned_contract_signing_is_not_met_until_its_day():
    planned = person(contract=Contract(signed_date=d("2025-02-20")))
    assert one(planned, Rule.CONTRACT, today="2025-02-01", rules="2016").status is Status.DUE_SOON
    assert one(planned, Rule.CONTRACT, today="2025-02-15", rules="2016").status is Status.OVERDUE
    assert one(planned, Rule.CONTRACT, today="2025-02-20", rules="2016").status is Status.MET_LATE


def test_a_planned_danish_start_and_referral_count_only_from_their_day():
    danish = Danish(referral_date=d("2025-02-05"), start_date=d("2025-03-01"))
    before = one(person(danish=danish), Rule.DANISH_START, today="2025-02-04", rules="2016")
    assert (before.status, before.met_date) == (Status.DUE_SOON, None)
    assert one(person(danish=danish), Rule.DANISH_START, today="2025-02-05", rules="2016").status is Status.MET


def test_leaving_in_the_future_does_not_close_anything_yet():
    leaving = person(left="2025-03-01")
    assert one(leaving, Rule.CONTRACT, today="2025-02-15", rules="2016").status is Status.OVERDUE
    assert one(leaving, Rule.CONTRACT, today="2025-03-01", rules="2016").status is Status.CLOSED


def test_a_decision_dated_later_is_no_decision_and_anchors_no_programme_yet():
    minor = person(born="2007-06-15", category=Category.UNACCOMPANIED_MINOR,
                   um_decision=UmDecision(d("2025-05-01"), offered=True))
    before = rules_of(deadlines([family(minor)], today=d("2025-04-01")))
    assert before[Rule.UM_DECISION].status is Status.UPCOMING and Rule.PROGRAMME_START not in before
    after = rules_of(deadlines([family(minor)], today=d("2025-05-02")))
    assert after[Rule.UM_DECISION].status is Status.MET and after[Rule.PROGRAMME_START].due == d("2025-06-01")


def test_conversations_and_plan_followups_later_than_today_are_not_counted():
    talks = tuple(ContractFollowUp(d(day)) for day in ("2025-02-20", "2025-03-20", "2025-04-20", "2025-05-20"))
    talking = person(contract=Contract(signed_date=d("2025-02-05"), followups=talks))
    assert one(talking, Rule.CONTRACT_FOLLOWUP, today="2025-05-19", rules="2016").met_date is None
    assert one(talking, Rule.CONTRACT_FOLLOWUP, today="2025-05-20", rules="2016").met_date == d("2025-05-20")
    fam = family(person(), made="2025-03-01", followups=("2025-09-01",))
    chain = [x for x in deadlines([fam], today=d("2025-08-01"), policy=PINNED["2015"]) if x.person is None]
    assert [(x.due, x.met_date) for x in chain] == [(d("2026-03-01"), None)]


def test_a_plan_made_later_has_no_followups_yet_and_a_health_need_assessed_later_is_unknown():
    assert [x for x in deadlines([family(person(), made="2025-06-01")], today=d("2025-05-01"),
                                 policy=PINNED["2015"]) if x.person is None] == []
    reunified = person(category=Category.FAMILY_REUNIFIED, health=Health(need=True, need_date=d("2025-05-01")))
    assert Rule.HEALTH_OFFER not in rules_of(deadlines([family(reunified)], today=d("2025-04-30")))
    assert Rule.HEALTH_OFFER in rules_of(deadlines([family(reunified)], today=d("2025-05-01")))


def test_takeover_and_birth_are_read_as_they_are_a_planned_takeover_has_its_deadlines():
    planned = one(person(takeover="2026-01-10"), Rule.CONTRACT, today="2025-12-01", rules="2016")
    assert (planned.due, planned.status) == (d("2026-02-10"), Status.UPCOMING)


def test_a_past_day_shows_what_was_met_by_then_under_2015_too():
    offered = person(plan_offer=PlanOffer(offered_date=d("2025-03-01")), health=Health(offered_date=d("2025-05-01")),
                     programme=Programme(start_date=d("2025-02-01")))
    on = rules_of(deadlines([family(offered)], today=d("2025-04-01"), policy=PINNED["2015"]))
    assert on[Rule.PLAN_OFFER].status is Status.MET
    assert on[Rule.HEALTH_OFFER].status is Status.DUE_SOON
    assert on[Rule.PROGRAMME_START].met_date == d("2025-02-01")
