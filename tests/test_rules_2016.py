"""The law in force since 1 July 2016: one test (at least) per provision of the 2016 ruleset, and the switch."""

import pytest

from kasse.domain import (
    Category,
    Contract,
    ContractFollowUp,
    Danish,
    ExemptReason,
    Family,
    Health,
    PlanOffer,
    Programme,
    UmDecision,
)
from kasse.law import LAW_2016, Rule, Ruleset
from kasse.policy import Policy
from kasse.rules import Status, conversations_held, deadlines
from tests.factories import PINNED, d, family, has_rule, one, person, rules_of


def signed(*talks: str, on: str = "2025-02-05") -> Contract:
    return Contract(signed_date=d(on), followups=tuple(ContractFollowUp(d(day)) for day in talks))


# -- auto: the ruleset in force on the takeover date ------------------------------------------------


def test_auto_follows_2015_until_the_day_before_2016_07_01_and_2016_from_that_day():
    before = person("P-1", takeover="2016-06-30")
    on = person("P-2", takeover="2016-07-01")
    found = deadlines([family(before, on)], today=d("2016-07-05"))
    assert {x.ruleset for x in found if x.person == "P-1"} == {Ruleset.LAW_2015}
    assert {x.ruleset for x in found if x.person == "P-2"} == {Ruleset.LAW_2016}
    assert Rule.PLAN_OFFER in rules_of(found, "P-1") and Rule.PLAN_OFFER not in rules_of(found, "P-2")


@pytest.mark.parametrize(("rules", "expected"), [("2015", Ruleset.LAW_2015), ("2016", Ruleset.LAW_2016)])
def test_a_pinned_ruleset_applies_to_everyone(rules, expected):
    caseload = [family(person("P-1", takeover="2014-03-01"), person("P-2", takeover="2025-03-01"))]
    found = deadlines(caseload, today=d("2025-04-01"), policy=PINNED[rules])
    assert {x.ruleset for x in found} == {expected}


def test_every_deadline_carries_its_ruleset_title_and_legal_basis():
    deadline = one(person(), Rule.CONTRACT, today="2025-01-20", rules="auto")
    assert (deadline.ruleset, deadline.title, deadline.basis) == (
        Ruleset.LAW_2016, "Kontrakt indgået", "integrationsloven § 19"
    )


def test_the_repealed_plan_rules_and_health_guidance_are_not_in_the_2016_ruleset():
    declined = person(health=Health(offered_date=d("2025-02-01"), declined_date=d("2025-02-10")))
    fam = family(declined, made="2025-03-01")
    found = deadlines([fam], today=d("2025-04-01"), policy=PINNED["2016"])
    assert {Rule.PLAN_OFFER, Rule.PLAN_FOLLOWUP, Rule.HEALTH_GUIDANCE}.isdisjoint({x.rule for x in found})


def test_local_policy_brings_the_plan_deadlines_back_for_2016_persons():
    fam = family(person(), made="2025-03-01")
    policy = Policy(plan_deadlines=True)
    found = {x.rule: x for x in deadlines([fam], today=d("2025-04-01"), policy=policy)}
    assert found[Rule.PLAN_OFFER].due == d("2025-04-10")
    assert found[Rule.PLAN_OFFER].basis == "lokal praksis"
    assert found[Rule.PLAN_FOLLOWUP].due == d("2026-03-01")
    assert found[Rule.PLAN_FOLLOWUP].ruleset is Ruleset.LAW_2016


def test_a_family_plan_follows_2015_while_one_covered_member_does():
    fam = family(person("P-1", takeover="2016-05-01"), person("P-2", takeover="2016-08-01"), made="2016-09-01")
    (followup,) = [x for x in deadlines([fam], today=d("2016-10-01")) if x.rule is Rule.PLAN_FOLLOWUP]
    assert followup.ruleset is Ruleset.LAW_2015 and followup.due == d("2017-09-01")


def test_plan_followups_need_a_covered_member():
    spouse = person(category=Category.RESIDENT_SPOUSE, takeover=None)
    assert deadlines([family(spouse, made="2015-03-01")], today=d("2016-01-01"), policy=PINNED["2015"]) == []


# -- contract and its follow-up conversations (§ 19, § 20) ------------------------------------------


def test_contract_followup_is_due_six_months_after_signing_and_met_by_the_fourth_conversation():
    talks = ("2025-02-20", "2025-03-20", "2025-04-20", "2025-06-01")
    deadline = one(person(contract=signed(*talks)), Rule.CONTRACT_FOLLOWUP, today="2025-07-01", rules="2016")
    assert deadline.due == d("2025-08-05")
    assert deadline.status is Status.MET and deadline.met_date == d("2025-06-01")


def test_three_conversations_leave_it_open_and_a_fourth_after_the_due_date_meets_it_late():
    three = person(contract=signed("2025-02-20", "2025-03-20", "2025-04-20"))
    assert one(three, Rule.CONTRACT_FOLLOWUP, today="2025-08-06", rules="2016").status is Status.OVERDUE
    late = person(contract=signed("2025-02-20", "2025-03-20", "2025-04-20", "2025-08-10"))
    assert one(late, Rule.CONTRACT_FOLLOWUP, today="2025-09-01", rules="2016").status is Status.MET_LATE


def test_conversations_on_one_day_count_once_and_before_signing_not_at_all():
    talks = signed("2025-01-30", "2025-02-20", "2025-02-20", "2025-03-20", "2025-04-20")
    deadline = one(person(contract=talks), Rule.CONTRACT_FOLLOWUP, today="2025-07-01", rules="2016")
    assert deadline.met_date is None
    assert conversations_held(person(contract=talks), d("2025-07-01")) == 3


def test_no_contract_followup_before_the_contract_is_signed_or_for_whom_the_contract_does_not_apply():
    assert not has_rule(person(), Rule.CONTRACT_FOLLOWUP, today="2025-07-01", rules="2016")
    child = person(born="2015-01-01", contract=signed())
    assert not has_rule(child, Rule.CONTRACT_FOLLOWUP, today="2025-07-01", rules="2016")


# -- programme, Danish referral --------------------------------------------------------------------


def test_programme_start_keeps_one_month_and_the_2016_titles():
    deadline = one(person(), Rule.PROGRAMME_START, today="2025-01-20", rules="2016")
    assert (deadline.due, deadline.title, deadline.basis) == (
        d("2025-02-10"), "Program startet", "integrationsloven § 16"
    )


def test_danish_start_is_met_by_the_referral_or_the_start_whichever_came_first():
    referred = person(danish=Danish(referral_date=d("2025-02-01"), start_date=d("2025-03-01")))
    deadline = one(referred, Rule.DANISH_START, today="2025-04-01", rules="2016")
    assert (deadline.status, deadline.met_date, deadline.title) == (
        Status.MET, d("2025-02-01"), "Henvist til danskuddannelse"
    )
    only_referral_under_2015 = person(danish=Danish(referral_date=d("2025-02-01")))
    assert one(only_referral_under_2015, Rule.DANISH_START, today="2025-04-01").status is Status.OVERDUE


def test_a_referral_before_a_pause_means_the_pause_does_not_move_the_deadline():
    danish = Danish(referral_date=d("2025-01-20"), paused_from=d("2025-02-01"), paused_to=d("2025-04-30"))
    deadline = one(person(danish=danish), Rule.DANISH_START, today="2025-06-01", rules="2016")
    assert (deadline.due, deadline.status) == (d("2025-02-10"), Status.MET)


def test_an_unreferred_person_in_an_open_pause_is_paused_and_after_it_due_a_month_later():
    danish = Danish(paused_from=d("2025-02-01"), paused_to=d("2025-04-30"))
    assert one(person(danish=danish), Rule.DANISH_START, today="2025-03-01", rules="2016").status is Status.PAUSED
    after = one(person(danish=danish), Rule.DANISH_START, today="2025-05-16", rules="2016")
    assert (after.due, after.status) == (d("2025-05-30"), Status.DUE_SOON)


@pytest.mark.parametrize(("rule", "due"), [(Rule.PROGRAMME_REVIEW, "2026-02-01"), (Rule.PROGRAMME_END, "2030-02-01")])
def test_programme_review_after_a_year_and_end_after_five_years_are_milestones(rule, due):
    started = person(programme=Programme(start_date=d("2025-02-01")))
    deadline = one(started, rule, today="2025-03-01", rules="2016")
    assert (deadline.due, deadline.status, deadline.is_milestone) == (d(due), Status.UPCOMING, True)
    assert not has_rule(started, rule, today=(d(due).replace(day=2)).isoformat(), rules="2016")


# -- health (§ 15 d since 2016) --------------------------------------------------------------------


@pytest.mark.parametrize("category", [Category.REFUGEE, Category.QUOTA_REFUGEE, Category.UNACCOMPANIED_MINOR])
def test_health_offer_is_due_six_months_after_takeover(category):
    deadline = one(person(category=category, born="2010-01-01"), Rule.HEALTH_OFFER, today="2025-02-01", rules="2016")
    assert deadline.due == d("2025-07-10")


def test_a_no_need_assessment_meets_it_for_refugees_but_not_for_quota_refugees():
    no_need = Health(need=False, need_date=d("2025-03-01"))
    refugee = one(person(health=no_need), Rule.HEALTH_OFFER, today="2025-08-01", rules="2016")
    assert (refugee.status, refugee.met_date) == (Status.MET, d("2025-03-01"))
    quota = one(person(category=Category.QUOTA_REFUGEE, health=no_need), Rule.HEALTH_OFFER, today="2025-08-01",
                rules="2016")
    assert quota.status is Status.OVERDUE


def test_family_reunified_are_offered_it_only_when_a_need_is_assessed():
    reunified = person(category=Category.FAMILY_REUNIFIED)
    assert not has_rule(reunified, Rule.HEALTH_OFFER, today="2025-03-01", rules="2016")
    in_need = person(category=Category.FAMILY_REUNIFIED, health=Health(need=True, need_date=d("2025-02-01")))
    assert one(in_need, Rule.HEALTH_OFFER, today="2025-03-01", rules="2016").due == d("2025-07-10")


def test_health_followup_is_met_by_a_contract_conversation_after_the_result():
    health = Health(offered_date=d("2025-02-01"), consent=True, result_received_date=d("2025-04-01"))
    talks = signed("2025-03-01", "2025-04-20")
    deadline = one(person(health=health, contract=talks), Rule.HEALTH_FOLLOWUP, today="2025-06-01", rules="2016")
    assert (deadline.due, deadline.met_date, deadline.status) == (d("2025-05-01"), d("2025-04-20"), Status.MET)
    unsigned = person(health=health)
    assert not has_rule(unsigned, Rule.HEALTH_FOLLOWUP, today="2025-06-01", rules="2016")


def test_health_followup_months_come_from_local_policy():
    health = Health(consent=True, result_received_date=d("2025-04-01"))
    fam = family(person(health=health, contract=signed()))
    found = rules_of(deadlines([fam], today=d("2025-04-02"), policy=Policy(health_followup_months=2)))
    assert found[Rule.HEALTH_FOLLOWUP].due == d("2025-06-01")


def test_um_decision_keeps_its_rule_under_2016():
    minor = person(born="2008-06-15", category=Category.UNACCOMPANIED_MINOR, um_decision=UmDecision(d("2026-01-05"),
                                                                                                 True))
    deadline = one(minor, Rule.UM_DECISION, today="2026-02-01", rules="2016")
    assert (deadline.due, deadline.status, deadline.title) == (d("2026-06-14"), Status.MET, "Beslutning om program")


def test_every_2016_provision_names_its_basis_and_title():
    for item in LAW_2016.values():
        assert item.title and item.basis and item.ruleset is Ruleset.LAW_2016


def test_a_2016_caseload_without_plan_policy_never_lists_a_plan_offer():
    people = [person(f"P-{n}", plan_offer=PlanOffer(offered_date=d("2025-02-01"))) for n in range(3)]
    assert all(x.rule is not Rule.PLAN_OFFER for x in deadlines([Family("F-1", tuple(people))], today=d("2025-05-01")))


def test_a_conversation_before_the_signing_does_not_follow_up_on_a_health_result():
    health = Health(offered_date=d("2025-01-15"), consent=True, result_received_date=d("2025-01-20"))
    early = person(health=health, contract=signed("2025-01-25"))
    deadline = one(early, Rule.HEALTH_FOLLOWUP, today="2025-06-01", rules="2016")
    assert (deadline.met_date, deadline.status) == (None, Status.OVERDUE)
    after_signing = person(health=health, contract=signed("2025-01-25", "2025-02-10"))
    assert one(after_signing, Rule.HEALTH_FOLLOWUP, today="2025-06-01", rules="2016").met_date == d("2025-02-10")


def test_provisions_state_the_law_as_decided():
    assert (LAW_2016[Rule.CONTRACT_FOLLOWUP].basis, LAW_2016[Rule.HEALTH_OFFER].basis) == (
        "integrationsloven § 20, stk. 1", "integrationsloven § 15 d"
    )
    assert LAW_2016[Rule.PLAN_OFFER].local_policy and LAW_2016[Rule.PLAN_FOLLOWUP].local_policy
    assert not {Rule.HEALTH_GUIDANCE} & set(LAW_2016)


@pytest.mark.parametrize(("category", "need", "applies", "met"), [
    (Category.UNACCOMPANIED_MINOR, False, True, "2025-03-01"),
    (Category.FAMILY_REUNIFIED, False, False, None),
])
def test_a_no_need_assessment_by_category(category, need, applies, met):
    assessed = person(category=category, born="2009-01-01", health=Health(need=need, need_date=d("2025-03-01")))
    assert has_rule(assessed, Rule.HEALTH_OFFER, today="2025-08-01", rules="2016") is applies
    if applies:
        assert one(assessed, Rule.HEALTH_OFFER, today="2025-08-01", rules="2016").met_date == d(met)


def test_the_contract_applies_to_adults_in_the_programme_not_to_children_or_the_exempt():
    from kasse.rules import contract_applies

    assert contract_applies(person(), d("2025-02-01"))
    assert not contract_applies(person(born="2015-01-01"), d("2025-02-01"))
    assert not contract_applies(person(programme=Programme(exempt_reason=ExemptReason.TRAUMA)), d("2025-02-01"))
