"""The figures a team leader asks for each quarter: deadlines met on time, time to the first steps, Danish
passed within three years, persons who left self-supporting (the seeds' success measures, DOMAIN.md).

Pure: domain values and the engine's deadlines in, numbers out. Everything is counted by when it fell in
the period [start, end] - a deadline by its due date, a contract by the day it was signed, a person's
three years by their end, a leaving by its day - and read as it stood on `today`: a fact dated after
`today` has not happened yet. Milestones (the programme's review and end) are dates, not requirements,
and are not counted.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kasse.dates import add_years, age_on
from kasse.domain import Category, Family, Person
from kasse.law import LAW, Rule, Ruleset
from kasse.policy import DEFAULT_POLICY, Policy
from kasse.rules import RULE_ORDER, Deadline, Status, unsorted_deadlines

# How each status of a deadline due in the period is counted: `open` is not yet due (or paused), not yet judged.
_COLUMN = {
    Status.MET: "met",
    Status.MET_LATE: "met_late",
    Status.OVERDUE: "overdue",
    Status.DUE_SOON: "open",
    Status.UPCOMING: "open",
    Status.PAUSED: "open",
    Status.CLOSED: "closed",
}
COUNT_COLUMNS = ("due", "met", "met_late", "overdue", "open", "closed")

DANISH_YEARS = 3  # the result grant's measure: Danish passed within three years of the takeover

# `left_reason` is free text (the app suggests "Selvforsørgende"); a reason starting a word with one of these
# means the person left for a job or an education. "Danskuddannelse afsluttet" does not: the word must start.
_SELF_SUPPORTING = re.compile(r"\b(selvforsørg|job|arbejde|beskæftig|ansat|uddannelse|studie|studerende)",
                              re.IGNORECASE)


def is_self_supporting(left_reason: str | None) -> bool:
    """Whether a recorded reason for leaving says the person left for a job or an education."""
    return left_reason is not None and _SELF_SUPPORTING.search(left_reason) is not None


@dataclass(frozen=True, slots=True)
class RuleCounts:
    """The deadlines of one rule and ruleset (or, as the total, of all) due in the period, by status."""

    rule: Rule | None  # None: the total over every rule
    ruleset: Ruleset | None
    met: int = 0
    met_late: int = 0
    overdue: int = 0
    open: int = 0
    closed: int = 0

    @property
    def due(self) -> int:
        return self.met + self.met_late + self.overdue + self.open + self.closed

    @property
    def on_time_rate(self) -> float | None:
        """Met on time out of those judged (met, met late or overdue); None while none is."""
        judged = self.met + self.met_late + self.overdue
        return round(self.met / judged, 4) if judged else None


@dataclass(frozen=True, slots=True)
class Duration:
    """How many persons had an event in the period, and the median days from their takeover to it."""

    persons: int
    median_days: float | None


@dataclass(frozen=True, slots=True)
class CategoryCounts:
    category: Category
    active: int  # in the caseload at the end of the period
    taken_over: int  # taken over in the period
    left: int  # left in the period


@dataclass(frozen=True, slots=True)
class DanishCounts:
    """Adults whose three years from takeover end in the period: how many passed a Danish test by then."""

    persons: int
    passed: int
    pending: int  # three years not over by today, and not passed yet

    @property
    def rate(self) -> float | None:
        judged = self.persons - self.pending
        return round(self.passed / judged, 4) if judged else None


@dataclass(frozen=True, slots=True)
class SelfSupport:
    left: int  # persons who left in the period, for any reason
    persons: int  # of them, self-supporting (job or education)
    median_days: float | None  # takeover to leaving, for those


@dataclass(frozen=True, slots=True)
class Statistics:
    start: date
    end: date
    today: date
    rules: tuple[RuleCounts, ...]
    total: RuleCounts
    categories: tuple[CategoryCounts, ...]
    time_to: dict[str, Duration]  # "contract", "programme_start", "health_offer"
    danish: DanishCounts
    self_support: SelfSupport


def statistics_of(families: Sequence[Family], *, start: date, end: date, today: date,
                  policy: Policy = DEFAULT_POLICY) -> Statistics:
    """The period's figures for the caseload, the deadlines judged by the engine on `today` under `policy`."""
    rules = rule_counts(unsorted_deadlines(families, today=today, window=policy.window_days, policy=policy),
                        start=start, end=end)
    persons = [person for family in families for person in family.members]
    last = min(end, today)  # what happened after today is not known yet
    return Statistics(
        start, end, today, rules, _total(rules), category_counts(persons, start, last),
        {
            "contract": _time_to(persons, start, last, lambda p: p.contract.signed_date),
            "programme_start": _time_to(persons, start, last, lambda p: p.programme.start_date),
            "health_offer": _time_to(persons, start, last, lambda p: p.health.offered_date),
        },
        danish_counts(persons, start, end, today), self_support(persons, start, last),
    )  # fmt: skip


def rule_counts(found: Iterable[Deadline], *, start: date, end: date) -> tuple[RuleCounts, ...]:
    """Per rule and ruleset, the deadlines due in [start, end] by status; milestones left out."""
    tally: dict[tuple[Rule, Ruleset], Counter] = {}
    for deadline in found:
        if start <= deadline.due <= end and not LAW[deadline.ruleset][deadline.rule].milestone:
            key = (deadline.rule, deadline.ruleset)
            counts = tally.get(key)
            if counts is None:
                counts = tally[key] = Counter()
            counts[_COLUMN[deadline.status]] += 1
    keys = sorted(tally, key=lambda key: (RULE_ORDER[key[0]], key[1]))
    return tuple(RuleCounts(rule, ruleset, **tally[rule, ruleset]) for rule, ruleset in keys)


def _total(rules: Iterable[RuleCounts]) -> RuleCounts:
    columns = ("met", "met_late", "overdue", "open", "closed")
    rules = list(rules)
    return RuleCounts(None, None, **{column: sum(getattr(row, column) for row in rules) for column in columns})


def category_counts(persons: Iterable[Person], start: date, last: date) -> tuple[CategoryCounts, ...]:
    """Per category (every one, in order): in the caseload on `last`, taken over and left in [start, last]."""
    active, taken_over, left = Counter(), Counter(), Counter()
    for person in persons:
        takeover, gone = person.takeover_date, person.left_date
        arrived = person.category is Category.RESIDENT_SPOUSE or (takeover is not None and takeover <= last)
        if arrived and (gone is None or gone > last):
            active[person.category] += 1
        if takeover is not None and start <= takeover <= last:
            taken_over[person.category] += 1
        if gone is not None and start <= gone <= last:
            left[person.category] += 1
    return tuple(CategoryCounts(c, active[c], taken_over[c], left[c]) for c in Category)


def _median(days: list[int]) -> float | None:
    return statistics.median(days) if days else None


def _time_to(persons: Iterable[Person], start: date, last: date, event) -> Duration:
    """Covered persons whose `event` date fell in [start, last], and the median days from takeover to it."""
    days = [
        (happened - person.takeover_date).days
        for person in persons
        if person.is_covered and (happened := event(person)) is not None and start <= happened <= last
    ]
    return Duration(len(days), _median(days))


def danish_counts(persons: Iterable[Person], start: date, end: date, today: date) -> DanishCounts:
    """Covered adults (18 at takeover) whose three years from takeover end in [start, end]."""
    counted = passed = pending = 0
    for person in persons:
        if not person.is_covered or age_on(person.birth_date, person.takeover_date) < 18:
            continue
        deadline = add_years(person.takeover_date, DANISH_YEARS)
        if not start <= deadline <= end:
            continue
        counted += 1
        test = person.danish.passed_date
        if test is not None and test <= min(deadline, today):
            passed += 1
        elif deadline > today:
            pending += 1
    return DanishCounts(counted, passed, pending)


def self_support(persons: Iterable[Person], start: date, last: date) -> SelfSupport:
    """Persons who left in [start, last]; those who left self-supporting and their median days since takeover."""
    left = 0
    days = []
    for person in persons:
        gone = person.left_date
        if gone is None or not start <= gone <= last:
            continue
        left += 1
        if is_self_supporting(person.left_reason):
            days.append(None if person.takeover_date is None else (gone - person.takeover_date).days)
    return SelfSupport(left, len(days), _median([day for day in days if day is not None]))


# -- the public JSON shape (`kasse stats --json`) ---------------------------------------------------------


def counts_record(row: RuleCounts) -> dict:
    record = {} if row.rule is None else {"rule": row.rule.value, "ruleset": row.ruleset.value}
    record.update({column: getattr(row, column) for column in COUNT_COLUMNS})
    record["on_time_rate"] = row.on_time_rate
    return record


def statistics_record(found: Statistics) -> dict:
    """`kasse stats --json`: the period, the day the facts were read on, and the figures."""
    return {
        "from": found.start.isoformat(),
        "to": found.end.isoformat(),
        "today": found.today.isoformat(),
        "rules": [counts_record(row) for row in found.rules],
        "total": counts_record(found.total),
        "categories": [
            {"category": row.category.value, "active": row.active, "taken_over": row.taken_over, "left": row.left}
            for row in found.categories
        ],
        "time_to": {name: {"persons": value.persons, "median_days": value.median_days}
                    for name, value in found.time_to.items()},
        "danish_within_three_years": {
            "persons": found.danish.persons,
            "passed": found.danish.passed,
            "pending": found.danish.pending,
            "rate": found.danish.rate,
        },
        "self_supporting": {
            "left": found.self_support.left,
            "persons": found.self_support.persons,
            "median_days": found.self_support.median_days,
        },
    }
