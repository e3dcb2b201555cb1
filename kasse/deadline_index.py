"""The prefilter index: which families can have a deadline in the wanted statuses on a given day.

Two derived columns on `family` let a lookup skip, in SQL, the families
that cannot matter; the engine then runs with the real `today` on the rest.
The index is a conservative superset filter: it may let through a family
with nothing to show, never hold back one with something. Both columns are
computed by the engine itself, so no rule is written twice:

    facts = rules.unsorted_deadlines([family], today=date.min)

With today = date.min no pause has ended (an unmet deadline keeps its
original due date, the earliest it can have on any later day), nobody has
left yet (an unmet deadline stays unmet, none is dropped as closed) and
every milestone is listed. So on any real day T the family's deadlines are
a subset of `facts` (same rule and person, same met date) and each falls
due no earlier than its fact: due_T >= due_min.

- `index_first_unmet_due`: the earliest due among the unmet facts; NULL if
  every fact is met.
- `index_closed_from`: the day from which every unmet fact is closed. A
  person's deadline closes when the person leaves (left_date <= T); the
  family's `plan_followup` closes when every covered member has left (with
  no covered member it is closed from the start, date.min). NULL if some
  unmet fact never closes (someone has not left).

A deadline is open on T (overdue, due soon, upcoming or paused) only if it
is unmet and not closed, so its family has `index_first_unmet_due` and not
`index_closed_from <= T`. Overdue on T means due_T < T, so the family's
first unmet due < T; due soon within the window W means due_T <= T + W.
`candidates` turns that into the WHERE condition for a set of statuses.

Pure: imports the engine and the domain only; the store (kasse/data) calls
`family_index` on every write, which is why the data layer may import
kasse.rules.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from kasse.domain import Family
from kasse.rules import OPEN_STATUSES, Status, unsorted_deadlines

FIRST_UNMET_DUE = "index_first_unmet_due"
CLOSED_FROM = "index_closed_from"

_BEFORE_ANY_DAY = date.min


def family_index(family: Family) -> tuple[date | None, date | None]:
    """(first unmet due, closed from) of one family; see the module's docstring."""
    unmet = [fact for fact in unsorted_deadlines([family], today=_BEFORE_ANY_DAY) if fact.met_date is None]
    if not unmet:
        return None, None
    left_dates = {person.ref: person.left_date for person in family.members}
    covered_left = [person.left_date for person in family.members if person.is_covered]
    closing: list[date | None] = []
    for fact in unmet:
        if fact.person is None:  # the family's plan follow-up
            closing.extend(covered_left or [_BEFORE_ANY_DAY])
        else:
            closing.append(left_dates[fact.person])
    closed_from = None if None in closing else max(closing)
    return min(fact.due for fact in unmet), closed_from


def candidates(wanted: Collection[Status], *, today: date, window: int) -> tuple[str, tuple[str, ...]] | None:
    """The SQL condition on `family` (and its parameters) letting through every family that can have
    a deadline in one of the `wanted` statuses on `today`; None if met or closed is wanted (any family)."""
    wanted = frozenset(wanted)
    if not wanted <= OPEN_STATUSES:
        return None
    if wanted <= {Status.OVERDUE}:
        due, params = f"{FIRST_UNMET_DUE} < ?", (today.isoformat(),)
    elif wanted <= {Status.OVERDUE, Status.DUE_SOON}:
        # Overdue deadlines are due before today whatever the window: never bound below today.
        due, params = f"{FIRST_UNMET_DUE} <= ?", (_plus_days(today, max(window, 0)).isoformat(),)
    else:
        due, params = f"{FIRST_UNMET_DUE} IS NOT NULL", ()
    return f"{due} AND ({CLOSED_FROM} IS NULL OR {CLOSED_FROM} > ?)", (*params, today.isoformat())


def _plus_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max
