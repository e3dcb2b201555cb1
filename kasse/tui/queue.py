"""The caseworker's queue: every person once, most urgent first, with a live filter and saved views.

Pure: built from domain values and the engine's deadlines; the screen only
shows a window of the rows this module orders and filters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kasse.dates import age_on
from kasse.domain import Category, Family
from kasse.policy import DEFAULT_POLICY, Policy
from kasse.rules import Deadline, Status, deadlines


class View(StrEnum):
    """The saved views on the number keys."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    EVERYONE = "everyone"
    LEFT = "left"

    def label(self, window: int = DEFAULT_POLICY.window_days) -> str:
        """The view's name on screen; "due soon" names the window in force (window_days)."""
        return VIEW_LABELS[self].format(window=window)


VIEW_LABELS = {
    View.OVERDUE: "Overskredne",
    View.DUE_SOON: "Inden for {window} dage",
    View.EVERYONE: "Alle",
    View.LEFT: "Fraflyttede",
}


@dataclass(frozen=True, slots=True)
class QueueRow:
    person_ref: str
    name: str
    family_ref: str
    category: Category
    age: int
    cpr: str
    nationality: str
    left: bool
    next_deadline: Deadline | None
    overdue_count: int
    search_text: str  # casefolded name, refs, CPR (with and without hyphen) and nationality

    @property
    def urgency(self) -> tuple:
        """Most overdue first, then due soon, then the earliest next deadline; none at all last."""
        deadline = self.next_deadline
        if deadline is None:
            return (3, 0, self.name.casefold(), self.person_ref)
        group = 0 if deadline.status is Status.OVERDUE else 1 if deadline.status is Status.DUE_SOON else 2
        return (group, deadline.days, self.name.casefold(), self.person_ref)


_NEXT_PRIORITY = {Status.OVERDUE: 0, Status.DUE_SOON: 1, Status.UPCOMING: 2, Status.PAUSED: 3}


def _next_deadline(open_ones: Sequence[Deadline]) -> Deadline | None:
    return min(open_ones, key=lambda d: (_NEXT_PRIORITY[d.status], d.due), default=None)


def build_queue(
    families: Iterable[Family], *, today: date, window: int, policy: Policy = DEFAULT_POLICY
) -> list[QueueRow]:
    """One row per person, sorted by urgency. A family's follow-up counts for each covered member."""
    families = list(families)
    per_person: dict[str, list[Deadline]] = defaultdict(list)
    per_family: dict[str, list[Deadline]] = defaultdict(list)
    for deadline in deadlines(families, today=today, window=window, policy=policy):
        if deadline.status.is_open:
            (per_person[deadline.person] if deadline.person else per_family[deadline.family]).append(deadline)
    rows = []
    for family in families:
        for person in family.members:
            mine = per_person.get(person.ref, [])
            if person.is_covered and not person.has_left(today):
                mine = mine + per_family.get(family.ref, [])
            cpr = person.cpr or ""
            rows.append(QueueRow(
                person_ref=person.ref,
                name=person.name,
                family_ref=family.ref,
                category=person.category,
                age=age_on(person.birth_date, today),
                cpr=cpr,
                nationality=person.nationality or "",
                left=person.has_left(today),
                next_deadline=_next_deadline(mine),
                overdue_count=sum(1 for d in mine if d.status is Status.OVERDUE),
                search_text=" ".join((person.name, person.ref, family.ref, cpr, cpr.replace("-", ""),
                                      person.nationality or "")).casefold(),
            ))
    rows.sort(key=lambda row: row.urgency)
    return rows


def in_view(row: QueueRow, view: View) -> bool:
    if view is View.LEFT:
        return row.left
    if view is View.EVERYONE:
        return True
    deadline = row.next_deadline
    if view is View.OVERDUE:
        return row.overdue_count > 0
    return deadline is not None and deadline.status in (Status.OVERDUE, Status.DUE_SOON)


def filter_queue(rows: Sequence[QueueRow], text: str, view: View) -> list[QueueRow]:
    """The rows in a view whose name, ref, CPR or nationality contain every word of `text`."""
    words = text.casefold().split()
    return [row for row in rows if in_view(row, view) and all(word in row.search_text for word in words)]
