"""plan_offer, health_offer, health_guidance and health_followup (ruleset 2015, pinned)."""

from kasse.domain import Category, Health, PlanOffer
from kasse.rules import Rule, Status
from tests.factories import d, deadlines_2015, family, has_rule, one, person, rules_of


def test_offers_are_due_three_months_after_takeover_for_everyone_covered():
    found = rules_of(deadlines_2015([family(person(born="2020-03-03", takeover="2024-11-30"))], today=d("2025-01-01")))
    assert found[Rule.PLAN_OFFER].due == d("2025-02-28")
    assert found[Rule.HEALTH_OFFER].due == d("2025-02-28")


def test_offers_met_by_their_offered_dates():
    offered = person(plan_offer=PlanOffer(offered_date=d("2025-03-01")),
                     health=Health(offered_date=d("2025-04-11")))
    assert one(offered, Rule.PLAN_OFFER, today="2025-05-01").status is Status.MET
    assert one(offered, Rule.HEALTH_OFFER, today="2025-05-01").status is Status.MET_LATE


def test_declined_health_offer_requires_guidance_within_14_days():
    declined = person(health=Health(offered_date=d("2025-02-01"), declined_date=d("2025-02-05")))
    deadline = one(declined, Rule.HEALTH_GUIDANCE, today="2025-02-10")
    assert deadline.due == d("2025-02-19")
    assert deadline.status is Status.DUE_SOON
    assert one(declined, Rule.HEALTH_GUIDANCE, today="2025-02-20").status is Status.OVERDUE
    guided = person(health=Health(declined_date=d("2025-02-05"), guidance_date=d("2025-02-19")))
    assert one(guided, Rule.HEALTH_GUIDANCE, today="2025-03-01").status is Status.MET


def test_no_guidance_deadline_without_a_refusal():
    assert not has_rule(person(health=Health(offered_date=d("2025-02-01"))), Rule.HEALTH_GUIDANCE, today="2025-03-01")


def consenting(consent=True, made: str | None = "2025-03-01", followups=()):
    member = person(health=Health(offered_date=d("2025-02-01"), consent=consent, result_received_date=d("2025-04-02")))
    return family(member, made=made, followups=followups)


def test_health_result_with_consent_needs_a_family_followup_within_a_month():
    deadline = one(consenting(), Rule.HEALTH_FOLLOWUP, today="2025-04-10")
    assert deadline.due == d("2025-05-02")
    assert deadline.status is Status.UPCOMING


def test_health_followup_met_by_the_first_followup_on_or_after_the_result():
    met = one(consenting(followups=("2025-03-15", "2025-04-02", "2025-06-01")), Rule.HEALTH_FOLLOWUP, today="2025-07-01")
    assert (met.status, met.met_date) == (Status.MET, d("2025-04-02"))
    late = one(consenting(followups=("2025-03-15", "2025-06-01")), Rule.HEALTH_FOLLOWUP, today="2025-07-01")
    assert (late.status, late.met_date) == (Status.MET_LATE, d("2025-06-01"))


def test_health_followup_needs_consent_and_a_made_plan():
    assert not has_rule(consenting(consent=False), Rule.HEALTH_FOLLOWUP, today="2025-04-10")
    assert not has_rule(consenting(consent=None), Rule.HEALTH_FOLLOWUP, today="2025-04-10")
    assert not has_rule(consenting(made=None), Rule.HEALTH_FOLLOWUP, today="2025-04-10")


def test_resident_spouse_has_no_deadlines_at_all():
    spouse = person("P-2", category=Category.RESIDENT_SPOUSE, takeover=None,
                    health=Health(declined_date=d("2025-02-05")))
    assert deadlines_2015([family(person(), spouse)], today=d("2025-03-01")) == [
        deadline for deadline in deadlines_2015([family(person())], today=d("2025-03-01"))
    ]
    assert rules_of(deadlines_2015([family(person(), spouse)], today=d("2025-03-01")), "P-2") == {}
