"""Whole-caseload behaviour: left persons, late takeovers, milestones, sort order (ruleset 2015, pinned)."""

from kasse.domain import Category, Contract, Programme
from kasse.law import LAW_2015
from kasse.rules import Rule, Status
from tests.factories import d, deadlines_2015, family, has_rule, one, person, rules_of


def test_left_person_has_unmet_deadlines_closed_and_met_ones_kept():
    left = person(left="2025-02-01", contract=Contract(signed_date=d("2025-01-20")))
    found = rules_of(deadlines_2015([family(left)], today=d("2025-03-01")))
    assert found[Rule.CONTRACT].status is Status.MET
    assert found[Rule.PROGRAMME_START].status is Status.CLOSED
    assert found[Rule.PLAN_OFFER].status is Status.CLOSED
    assert all(x.status is not Status.OVERDUE for x in found.values())


def test_leaving_in_the_future_changes_nothing_yet():
    assert one(person(left="2025-04-01"), Rule.CONTRACT, today="2025-03-01").status is Status.OVERDUE
    assert one(person(left="2025-03-01"), Rule.CONTRACT, today="2025-03-01").status is Status.CLOSED


def test_member_taken_over_months_after_the_others_runs_from_their_own_takeover():
    fam = family(person("P-1", takeover="2025-01-10"), person("P-2", takeover="2025-06-20", role=None))
    found = deadlines_2015([fam], today=d("2025-06-25"))
    assert rules_of(found, "P-1")[Rule.CONTRACT].status is Status.OVERDUE
    late = rules_of(found, "P-2")
    assert late[Rule.CONTRACT].due == d("2025-07-20")
    assert late[Rule.CONTRACT].status is Status.UPCOMING
    assert late[Rule.PLAN_OFFER].due == d("2025-09-20")


def test_person_not_yet_taken_over_has_no_deadlines():
    assert deadlines_2015([family(person(takeover=None))], today=d("2025-03-01")) == []


def test_programme_end_is_a_milestone_three_years_after_start():
    started = person(programme=Programme(start_date=d("2024-02-29")))
    assert one(started, Rule.PROGRAMME_END, today="2026-12-01").due == d("2027-02-28")
    assert one(started, Rule.PROGRAMME_END, today="2026-12-01").status is Status.UPCOMING
    assert one(started, Rule.PROGRAMME_END, today="2027-02-20").status is Status.DUE_SOON
    assert one(started, Rule.PROGRAMME_END, today="2027-02-28").status is Status.DUE_SOON
    assert not has_rule(started, Rule.PROGRAMME_END, today="2027-03-01")


def test_programme_end_not_listed_for_a_person_who_left():
    started = person(programme=Programme(start_date=d("2025-02-01")), left="2025-06-01")
    assert not has_rule(started, Rule.PROGRAMME_END, today="2025-07-01")


def test_caseload_sorted_by_due_then_family_then_person():
    caseload = [
        family(person("P-9", takeover="2025-01-10"), ref="F-2"),
        family(person("P-5", takeover="2025-01-10"), person("P-3", takeover="2025-01-10", role=None), ref="F-1"),
    ]
    found = deadlines_2015(caseload, today=d("2025-01-20"))
    keys = [(x.due, x.family, x.person) for x in found]
    assert keys == sorted(keys)
    assert [x.person for x in found[:9]] == ["P-3"] * 3 + ["P-5"] * 3 + ["P-9"] * 3


def test_titles_are_danish():
    deadline = one(person(), Rule.CONTRACT, today="2025-01-20")
    assert deadline.title == "Integrationskontrakt indgået"
    assert LAW_2015[Rule.UM_DECISION].title == "Beslutning om integrationsprogram"


def test_unaccompanied_minor_category_alone_gives_no_contract():
    assert not has_rule(person(born="2006-01-01", category=Category.UNACCOMPANIED_MINOR), Rule.CONTRACT,
                        today="2025-01-20")


def test_asking_for_some_statuses_gives_exactly_those_deadlines():
    from kasse.rules import unsorted_deadlines
    from tests.factories import PINNED

    caseload = [family(person("P-1", left="2025-02-01", contract=Contract(signed_date=d("2025-01-20")))),
                family(person("P-2", takeover="2025-01-01"), ref="F-2", made="2025-01-05", months=1)]
    everything = deadlines_2015(caseload, today=d("2025-03-01"))
    for wanted in ({Status.OVERDUE}, {Status.MET, Status.CLOSED}, {Status.DUE_SOON, Status.UPCOMING}):
        some = unsorted_deadlines(caseload, today=d("2025-03-01"), statuses=wanted, policy=PINNED["2015"])
        assert sorted(some) == sorted(x for x in everything if x.status in wanted)
        assert some, wanted
