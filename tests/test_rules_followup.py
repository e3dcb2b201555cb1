"""plan_followup: a chain of reviews, at least yearly, exactly one open at a time (ruleset 2015, pinned)."""

from kasse.domain import Category
from kasse.rules import Rule, Status
from tests.factories import d, deadlines_2015, family, person


def chain(fam, today: str):
    return [x for x in deadlines_2015([fam], today=d(today)) if x.rule is Rule.PLAN_FOLLOWUP]


def test_no_followup_before_the_plan_is_made():
    assert chain(family(person()), "2025-06-01") == []


def test_first_followup_due_interval_after_the_plan():
    (open_one,) = chain(family(person(), made="2025-03-01", months=6), "2025-06-01")
    assert open_one.due == d("2025-09-01")
    assert open_one.person is None
    assert open_one.family == "F-1"
    assert open_one.status is Status.UPCOMING


def test_default_interval_is_twelve_months_and_longer_ones_are_capped():
    assert chain(family(person(), made="2025-03-01"), "2025-06-01")[0].due == d("2026-03-01")
    assert chain(family(person(), made="2025-03-01", months=18), "2025-06-01")[0].due == d("2026-03-01")


def test_each_followup_meets_one_and_opens_the_next():
    found = chain(family(person(), made="2025-01-31", months=3, followups=("2025-05-02", "2025-04-30")), "2025-06-01")
    assert [(x.due, x.status, x.met_date) for x in found] == [
        (d("2025-04-30"), Status.MET, d("2025-04-30")),
        (d("2025-07-30"), Status.MET, d("2025-05-02")),
        (d("2025-08-02"), Status.UPCOMING, None),
    ]


def test_late_followup_is_met_late_and_the_next_runs_from_it():
    found = chain(family(person(), made="2025-01-10", months=3, followups=("2025-06-01",)), "2025-10-01")
    assert [(x.due, x.status) for x in found] == [
        (d("2025-04-10"), Status.MET_LATE),
        (d("2025-09-01"), Status.OVERDUE),
    ]
    assert sum(1 for x in found if x.status.is_open) == 1


def test_followup_closes_when_every_covered_member_has_left():
    spouse = person("P-2", category=Category.RESIDENT_SPOUSE, takeover=None)
    gone = family(person(left="2025-05-01"), spouse, made="2025-01-10", months=3)
    assert chain(gone, "2025-06-01")[-1].status is Status.CLOSED
    staying = family(person(left="2025-05-01"), person("P-3"), made="2025-01-10", months=3)
    assert chain(staying, "2025-06-01")[-1].status is Status.OVERDUE
