"""The prefilter index: which families and persons can have a deadline in the wanted statuses on a given day.

Two derived columns, on each `person` and on each `family`, let a lookup
skip in SQL what cannot matter; the engine then runs with the real `today`
on the rest. The index is a conservative superset filter: it may let
through a record with nothing to show, never hold back one with something.
Both columns are computed by the engine itself, so no rule is written twice:

    facts = rules.unsorted_deadlines([family], today=date.min)

With today = date.min no pause has ended (an unmet deadline keeps its
original due date, the earliest it can have on any later day), nobody has
left yet (an unmet deadline stays unmet, none is dropped as closed) and
every milestone is listed. So on any real day T the family's deadlines are
a subset of `facts` (same rule and person, same met date) and each falls
due no earlier than its fact: due_T >= due_min.

Each fact is indexed where it belongs: a person's facts on the person's row,
the plan follow-ups (person None) on the family's row.

- `index_first_unmet_due`: the earliest due among the unmet facts; NULL if
  every fact is met.
- `index_closed_from`: the day from which every unmet fact is closed. A
  person's deadline closes when the person leaves (left_date <= T); the
  family's `plan_followup` closes when every covered member has left (with
  no covered member it is closed from the start, date.min). NULL if some
  unmet fact never closes.

A deadline is open on T (overdue, due soon, upcoming or paused) only if it
is unmet and not closed, so its row has `index_first_unmet_due` and not
`index_closed_from <= T`. Overdue on T means due_T < T, so the first unmet
due < T; due soon within the window W means due_T <= T + W. `candidates`
turns that into one condition that both tables are tested with.

A lookup reads the families whose row or some member's row passes. Of a
family whose own row passes it reads every member (the follow-up's closing
and the family's name need them); of the others only the members that
pass. That is enough because a person's deadlines depend on the person and
the family's plan only, never on the other members; and a plan follow-up
judged with fewer members than the family has is the same deadline, or
closed - never open when the whole family would close it.

Pure: imports the engine and the domain only; the store (kasse/data) calls
`family_index` on every write, which is why the data layer may import
kasse.rules.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import NamedTuple

from kasse.domain import Family
from kasse.rules import OPEN_STATUSES, Status, unsorted_deadlines

FIRST_UNMET_DUE = "index_first_unmet_due"
CLOSED_FROM = "index_closed_from"

_BEFORE_ANY_DAY = date.min


class IndexDates(NamedTuple):
    """The two index columns of one row."""

    first_unmet_due: date | None
    closed_from: date | None

    def columns(self) -> dict[str, date | None]:
        return {FIRST_UNMET_DUE: self.first_unmet_due, CLOSED_FROM: self.closed_from}


NOTHING_UNMET = IndexDates(None, None)


class FamilyIndex(NamedTuple):
    """The index of a family's row (its plan follow-ups) and of each member's row, by person ref."""

    plan: IndexDates
    members: dict[str, IndexDates]


def family_index(family: Family) -> FamilyIndex:
    """The index of a family and its members; see the module's docstring."""
    unmet: dict[str | None, list[date]] = {}
    for fact in unsorted_deadlines([family], today=_BEFORE_ANY_DAY):
        if fact.met_date is None:
            unmet.setdefault(fact.person, []).append(fact.due)
    covered_left = [person.left_date for person in family.members if person.is_covered]
    members = {
        person.ref: IndexDates(min(unmet[person.ref]), person.left_date) if person.ref in unmet else NOTHING_UNMET
        for person in family.members
    }
    if None not in unmet:
        return FamilyIndex(NOTHING_UNMET, members)
    closed_from = None if None in covered_left else max(covered_left, default=_BEFORE_ANY_DAY)
    return FamilyIndex(IndexDates(min(unmet[None]), closed_from), members)


def candidates(wanted: Collection[Status], *, today: date, window: int) -> tuple[str, dict[str, str]] | None:
    """The SQL condition (and its named parameters) on a `family` or `person` row letting through every row
    that can have a deadline in one of the `wanted` statuses on `today`; None if met or closed is wanted."""
    wanted = frozenset(wanted)
    if not wanted <= OPEN_STATUSES:
        return None
    if wanted <= {Status.OVERDUE}:
        due, until = f"{FIRST_UNMET_DUE} < :index_until", today
    elif wanted <= {Status.OVERDUE, Status.DUE_SOON}:
        # Overdue deadlines are due before today whatever the window: never bound below today.
        due, until = f"{FIRST_UNMET_DUE} <= :index_until", _plus_days(today, max(window, 0))
    else:
        due, until = f"{FIRST_UNMET_DUE} IS NOT NULL", date.max
    condition = f"{due} AND ({CLOSED_FROM} IS NULL OR {CLOSED_FROM} > :index_today)"
    return condition, {"index_until": until.isoformat(), "index_today": today.isoformat()}


def _plus_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max
