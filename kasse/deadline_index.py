"""The prefilter index: which families and persons can have a deadline in the wanted statuses on a given day.

Derived columns, on each `person` and on each `family`, let a lookup skip
in SQL what cannot matter; the engine then runs with the real `today`, ruleset
choice and policy on the rest. The index is a conservative superset filter:
it may let through a record with nothing to show, never hold back one with
something. The columns are computed by the engine itself, so no rule is
written twice:

    facts = rules.unsorted_deadlines([family], today=date.min, facts_until=date.max, policy=...)

With every fact known but today = date.min, no pause has ended (an unmet
deadline keeps its original due date, the earliest it can have on any later
day), nobody has left yet (no deadline is dropped as closed) and every
milestone is listed. The local-policy lengths are taken at their least (0),
which gives the earliest due dates any config can give. So on any real day T,
under the same ruleset choice, the deadlines are a subset of `facts` (same
rule and person), each falls due no earlier than its fact, and its met date
is the fact's if that is on or before T, else none: a fact dated after T has
not happened yet on T.

Each fact is indexed where it belongs: a person's facts on the person's row,
the plan follow-ups (person None) on the family's row.

- `index_due_auto`, `index_due_2015`, `index_due_2016`: under each ruleset
  choice, the earliest due among the facts never met, milestones aside; NULL
  if every such fact is met.
- `index_met_until`: the latest met date among the facts (any choice): on a
  day before it, a met fact may still be open.
- `index_milestone_from`, `index_milestone_until`: the earliest and the latest
  milestone (programme review and end, any choice). A milestone is never
  overdue and is listed, upcoming or due soon, only until its day, so it
  counts only for lookups of more than overdue, and only while
  `index_milestone_until` is today or later.
- `index_closed_from`: the day from which every deadline of the row is
  closed: a person's left date; for the family's `plan_followup`, the day every
  covered member has left. NULL if that never happens.

A deadline is open on T (overdue, due soon, upcoming or paused) only if it
is not met by T and not closed. So its row has an unmet due, or a met date
after T, or a milestone on T or later, and not `index_closed_from <= T`.
Overdue on T means due_T < T, so the fact's due < T; due soon within the
window W means due_T <= T + W.
`candidates` turns that into one condition that both tables are tested with.

A lookup reads the families whose row or some member's row passes. Of a
family whose own row passes it reads every member (the follow-up's closing
and the family's name need them); of the others only the members that
pass. That is enough because a person's deadlines depend on the person and
the family's plan only, never on the other members; and a plan follow-up
judged with fewer members than the family has is the same deadline, or
closed - never open when the whole family would close it. Its ruleset
depends on the members, though (2015 if any covered member follows 2015):
the family row's columns are computed over every member, and with
`plan_deadlines` on (2016 families then have plan deadlines too) lookups
read everything.

Pure: imports the engine and the domain only; the store (kasse/data) calls
`family_index` on every write, which is why the data layer may import
kasse.rules.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import NamedTuple

from kasse.domain import Family
from kasse.law import RulesChoice, Ruleset, ruleset_in_force
from kasse.policy import Policy
from kasse.rules import OPEN_STATUSES, Deadline, Status, unsorted_deadlines

DUE = {choice: f"index_due_{choice.value}" for choice in RulesChoice}
MET_UNTIL = "index_met_until"
MILESTONE_FROM = "index_milestone_from"
MILESTONE_UNTIL = "index_milestone_until"
CLOSED_FROM = "index_closed_from"
COLUMNS = (*DUE.values(), MET_UNTIL, MILESTONE_FROM, MILESTONE_UNTIL, CLOSED_FROM)

_BEFORE_ANY_DAY = date.min
_EVERY_FACT = date.max


class IndexDates(NamedTuple):
    """The index columns of one row."""

    due_auto: date | None
    due_2015: date | None
    due_2016: date | None
    met_until: date | None
    milestone_from: date | None
    milestone_until: date | None
    closed_from: date | None

    def columns(self) -> dict[str, date | None]:
        return dict(zip(COLUMNS, self, strict=True))


NOTHING = IndexDates(None, None, None, None, None, None, None)


class FamilyIndex(NamedTuple):
    """The index of a family's row (its plan follow-ups) and of each member's row, by person ref."""

    plan: IndexDates
    members: dict[str, IndexDates]


# Each ruleset pinned, with the local-policy lengths at their least: the earliest due dates any config gives.
_EARLIEST = {
    ruleset: Policy(rules=RulesChoice(ruleset.value), health_guidance_days=0, health_followup_months=0)
    for ruleset in Ruleset
}


def _facts(family: Family, ruleset: Ruleset) -> list[Deadline]:
    return unsorted_deadlines([family], today=_BEFORE_ANY_DAY, facts_until=_EVERY_FACT, policy=_EARLIEST[ruleset])


def family_index(family: Family) -> FamilyIndex:
    """The index of a family and its members; see the module's docstring."""
    # "auto" takes each person's facts from the ruleset in force at their takeover, and the
    # plan's from 2015 if some covered member's takeover falls under it.
    auto = {
        person.ref: ruleset_in_force(person.takeover_date) for person in family.members if person.is_covered
    }
    auto[None] = Ruleset.LAW_2015 if Ruleset.LAW_2015 in auto.values() else None
    unmet: dict[tuple[str | None, Ruleset], list[date]] = {}
    met: dict[str | None, list[date]] = {}
    milestones: dict[str | None, list[date]] = {}
    for ruleset in Ruleset:
        for fact in _facts(family, ruleset):
            if fact.is_milestone:
                milestones.setdefault(fact.person, []).append(fact.due)
            elif fact.met_date is None:
                unmet.setdefault((fact.person, ruleset), []).append(fact.due)
            else:
                met.setdefault(fact.person, []).append(fact.met_date)

    def dates(ref: str | None, closed_from: date | None) -> IndexDates:
        firsts = {ruleset: min(unmet.get((ref, ruleset), ()), default=None) for ruleset in Ruleset}
        found = IndexDates(
            firsts[auto[ref]] if auto.get(ref) is not None else None,
            firsts[Ruleset.LAW_2015],
            firsts[Ruleset.LAW_2016],
            max(met.get(ref, ()), default=None),
            min(milestones.get(ref, ()), default=None),
            max(milestones.get(ref, ()), default=None),
            closed_from,
        )
        return NOTHING if found[:-1] == NOTHING[:-1] else found

    members = {person.ref: dates(person.ref, person.left_date) for person in family.members}
    covered_left = [person.left_date for person in family.members if person.is_covered]
    plan_closed = None if None in covered_left else max(covered_left, default=_BEFORE_ANY_DAY)
    return FamilyIndex(dates(None, plan_closed), members)


def candidates(
    wanted: Collection[Status], *, today: date, window: int, policy: Policy
) -> tuple[str, dict[str, str]] | None:
    """The SQL condition (and its named parameters) on a `family` or `person` row letting through every row
    that can have a deadline in one of the `wanted` statuses on `today` under `policy`; None if every row
    may (met or closed wanted, or plan deadlines by local policy)."""
    wanted = frozenset(wanted)
    if not wanted <= OPEN_STATUSES or policy.plan_deadlines:
        return None
    first_due = DUE[policy.rules]
    milestone = f"{MILESTONE_UNTIL} >= :index_today"
    if wanted <= {Status.OVERDUE}:
        due, until, milestone = f"{first_due} < :index_until", today, None
    elif wanted <= {Status.OVERDUE, Status.DUE_SOON}:
        # Overdue deadlines are due before today whatever the window: never bound below today.
        due, until = f"{first_due} <= :index_until", _plus_days(today, max(window, 0))
        milestone = f"({MILESTONE_FROM} <= :index_until AND {milestone})"
    else:
        due, until = f"{first_due} IS NOT NULL", date.max
    unmet = " OR ".join(filter(None, (due, f"{MET_UNTIL} > :index_today", milestone)))
    condition = f"({unmet}) AND ({CLOSED_FROM} IS NULL OR {CLOSED_FROM} > :index_today)"
    return condition, {"index_until": until.isoformat(), "index_today": today.isoformat()}


def _plus_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max
