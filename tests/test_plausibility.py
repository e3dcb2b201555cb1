"""The plausibility rules themselves: what is refused as impossible, what is only warned about, and why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kasse.demo import demo_families
from kasse.domain import Area, Category, Contract, ContractFollowUp, Danish, Goal, Role, UmDecision
from kasse.plausibility import (
    FAMILY_RULES,
    PERSON_RULES,
    Severity,
    caseload_findings,
    duplicate_cprs,
    family_findings,
    person_findings,
)
from tests.factories import d, family, person

TODAY = date(2025, 3, 1)
REFUSE, WARN = Severity.REFUSE, Severity.WARN


def found(subject, today: date = TODAY) -> set[tuple[Severity, str]]:
    """(severity, field) of everything the rules find about a person."""
    return {(finding.severity, finding.field) for finding in person_findings(subject, today)}


def test_a_plain_recent_refugee_is_plausible():
    assert person_findings(person("P-1", born="1990-01-01", takeover="2025-01-10"), TODAY) == []


@pytest.mark.parametrize("takeover, expected", [
    ("2025-06-01", set()),  # 3 months ahead: planned
    ("2025-06-02", {(WARN, "takeover_date")}),  # a few months more: unusual
    ("2026-03-01", {(WARN, "takeover_date")}),  # exactly 12 months ahead
    ("2026-03-02", {(REFUSE, "takeover_date")}),  # further: not agreed yet, and not also warned about
    ("2099-01-01", {(REFUSE, "takeover_date")}),
    ("1998-12-31", {(REFUSE, "takeover_date")}),  # before the Integration Act took effect
    ("1999-01-01", set()),
])  # fmt: skip
def test_takeover_dates_near_today_are_planned_far_ones_unusual_or_impossible(takeover, expected):
    assert found(person("P-1", born="1980-01-01", takeover=takeover)) == expected


@pytest.mark.parametrize("born, takeover, expected", [
    ("2099-01-01", None, {(REFUSE, "birth_date")}),  # born in the future
    ("2025-02-01", "2025-01-10", {(REFUSE, "birth_date")}),  # born after the takeover
    ("1800-01-01", "2025-01-10", {(REFUSE, "birth_date")}),  # older than anyone has lived
    ("1924-01-01", "2025-01-10", {(WARN, "birth_date")}),  # 101: possible, rare
    ("1925-03-01", "2025-01-10", set()),  # 100 today
])  # fmt: skip
def test_birth_dates_must_be_possible_and_are_questioned_past_100(born, takeover, expected):
    subject = person("P-1", born=born, takeover=takeover, category=Category.RESIDENT_SPOUSE, role=Role.SPOUSE)
    assert found(subject) == expected


def test_leaving_before_the_takeover_is_refused_and_names_both_dates():
    findings = person_findings(person("P-1", takeover="2025-01-10", left="2025-01-09"), TODAY)
    assert [(f.severity, f.fields) for f in findings] == [(REFUSE, ("left_date", "takeover_date"))]
    assert findings[0].reason == "Fraflytningen ligger før overtagelsen"
    assert person_findings(person("P-1", takeover="2025-01-10", left="2025-01-10"), TODAY) == []


def test_danish_passed_before_it_started_is_refused():
    passed_early = person("P-1", danish=Danish(start_date=d("2025-02-01"), passed_date=d("2025-01-31")))
    assert found(passed_early) == {(REFUSE, "danish.passed_date")}
    assert found(replace(passed_early, danish=Danish(start_date=d("2025-02-01"), passed_date=d("2025-02-01")))) == set()


@pytest.mark.parametrize("hours, expected", [
    (18.0, set()), (37.0, set()), (37.5, {(WARN, "danish.hours_per_week")}),
    (168.0, {(WARN, "danish.hours_per_week")}), (200.0, {(REFUSE, "danish.hours_per_week")}),
])  # fmt: skip
def test_danish_hours_over_full_time_are_unusual_and_over_a_week_impossible(hours, expected):
    assert found(person("P-1", danish=Danish(hours_per_week=hours))) == expected


def test_an_unaccompanied_minors_decision_on_a_41_year_old_is_refused():
    decision = UmDecision(d("2025-02-01"), offered=True)
    adult = person("P-1", born="1984-01-01", takeover="2025-01-10", um_decision=decision)
    assert (REFUSE, "um_decision.date") in found(adult)
    minor = person("P-1", born="2010-01-01", takeover="2025-01-10", category=Category.UNACCOMPANIED_MINOR,
                   role=Role.APPLICANT, um_decision=decision)  # fmt: skip
    assert found(minor) == set()


def test_the_unaccompanied_minor_category_on_an_adult_at_takeover_is_refused():
    adult = person("P-1", born="2007-01-09", takeover="2025-01-10", category=Category.UNACCOMPANIED_MINOR)
    assert found(adult) == {(REFUSE, "category")}
    assert found(replace(adult, birth_date=d("2007-01-11"))) == set()  # 17 on the takeover date


def test_goals_on_a_resident_spouse_are_refused_the_spouse_without_goals_is_fine():
    spouse = person("P-2", category=Category.RESIDENT_SPOUSE, takeover=None, role=Role.SPOUSE)
    assert found(spouse) == set()
    with_goal = replace(spouse, goals=(Goal(Area.ACTIVE_CITIZENSHIP, "Frivillig i idrætsforening"),))
    assert found(with_goal) == {(REFUSE, "goals")}
    assert "herboende ægtefælle" in person_findings(with_goal, TODAY)[0].reason


def test_roles_that_do_not_fit_the_age_are_questioned_not_refused():
    adult_child = person("P-3", born="2000-01-01", takeover="2025-01-10", role=Role.CHILD)
    assert found(adult_child) == {(WARN, "role")}
    child_spouse = person("P-3", born="2010-01-01", takeover="2025-01-10", role=Role.SPOUSE)
    assert found(child_spouse) == {(WARN, "role")}
    assert found(replace(adult_child, role=Role.OTHER)) == set()


def test_planned_facts_more_than_five_years_ahead_and_facts_before_birth_are_refused():
    far = person("P-1", contract=Contract(signed_date=d("2030-03-02")))
    assert found(far) == {(REFUSE, "contract.signed_date")}
    assert found(replace(far, contract=Contract(signed_date=d("2030-03-01")))) == set()
    talks = Contract(signed_date=d("2025-01-20"), followups=(ContractFollowUp(d("2025-02-01")),
                                                             ContractFollowUp(d("2099-02-01"))))  # fmt: skip
    assert found(person("P-1", contract=talks)) == {(REFUSE, "contract.followups")}
    before_birth = person("P-1", born="2010-06-01", takeover="2025-01-10", role=Role.CHILD,
                          danish=Danish(referral_date=d("2009-01-01")))  # fmt: skip
    assert found(before_birth) == {(REFUSE, "danish.referral_date")}


def test_a_familys_plan_dated_far_ahead_is_refused_and_named_by_family():
    findings = family_findings(family(person("P-1"), ref="F-9", made="2031-01-01"), TODAY)
    assert [(f.severity, f.field, f.record) for f in findings] == [(REFUSE, "plan.made_date", "familie F-9")]


def test_one_cpr_on_two_persons_in_a_file_or_against_the_stored_caseload():
    amina = person("P-1", cpr="010190-1234")
    twin = person("P-2", cpr="010190-1234")
    findings = duplicate_cprs([family(amina, ref="F-1"), family(twin, ref="F-2")])
    assert [(f.record, f.field, f.reason) for f in findings] == [
        ("familie F-2, person P-2", "cpr", "CPR-nummeret bruges også af person P-1")
    ]
    assert duplicate_cprs([family(twin, ref="F-2")], {"010190-1234": "P-1"})[0].person_ref == "P-2"
    # The same ref is the same person (an update); a stored holder moved in the file no longer counts.
    assert duplicate_cprs([family(amina)], {"010190-1234": "P-1"}) == []
    assert duplicate_cprs([family(amina, replace(twin, cpr="020290-1234"))], {"020290-1234": "P-2"}) == []


def test_no_reason_names_personal_data():
    """The reasons are printed by the CLI and may be logged: no CPR number, birth date or name in them."""
    subject = person("P-1", name="Amina Hassan", born="1800-01-01", cpr="010100-5234", takeover="2099-01-01",
                     left="1999-01-01")  # fmt: skip
    findings = caseload_findings([family(subject), family(replace(subject, ref="P-2"), ref="F-2")], TODAY)
    assert findings
    for finding in findings:
        assert not any(part in finding.reason for part in ("Amina", "010100", "1800", "01-01-1800"))


def test_every_rule_has_a_danish_reason_and_names_real_fields():
    for rule in PERSON_RULES + FAMILY_RULES:
        assert rule.reason and rule.reason[0].isupper()
        assert all(path.split(".")[0] in _PERSON_OR_FAMILY_KEYS for path in rule.fields), rule.fields


_PERSON_OR_FAMILY_KEYS = {
    "takeover_date", "birth_date", "left_date", "danish", "um_decision", "category", "goals", "role", "programme",
    "contract", "plan_offer", "health", "plan",
}  # fmt: skip


@pytest.mark.parametrize("today", [date(2016, 3, 1), date(2025, 3, 1), date(2026, 11, 25)])
def test_the_demo_caseload_has_nothing_refused(today):
    families = demo_families(120, seed=7, today=today)
    refused = [f for f in caseload_findings(families, today) if f.severity is REFUSE]
    assert refused == []


@pytest.mark.parametrize("made", ["1800-01-01", "1998-12-31"])
def test_a_family_plan_made_before_the_integration_act_is_refused(made):
    from dataclasses import replace as replaced

    from kasse.domain import FamilyPlan
    from kasse.plausibility import family_findings

    plan_family = replaced(family(person("P-1"), ref="F-1"), plan=FamilyPlan(made_date=date.fromisoformat(made)))
    assert [(f.severity, f.field) for f in family_findings(plan_family, date(2026, 11, 25))] == [
        ("refuse", "plan.made_date")]
    assert family_findings(replaced(plan_family, plan=FamilyPlan(made_date=date(1999, 1, 1))), date(2026, 11, 25)) == []
