"""The deadline engine: which of the Integration Act's deadlines apply, when they fall due, and their status.

Pure functions over the domain values; `today` and the due-soon window are
arguments. Each rule below is one row of the table in DOMAIN.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from kasse.dates import add_months, add_years, birthday, day_before, is_adult_on
from kasse.domain import Category, Family, Person

DEFAULT_WINDOW_DAYS = 14
MAX_FOLLOWUP_MONTHS = 12
HEALTH_GUIDANCE_DAYS = 14  # local policy
HEALTH_FOLLOWUP_MONTHS = 1  # local policy
DANISH_RESUME_MONTHS = 1  # local policy: after a pause for illness

PROGRAMME_CATEGORIES = frozenset({Category.REFUGEE, Category.QUOTA_REFUGEE, Category.FAMILY_REUNIFIED})


class Rule(StrEnum):
    CONTRACT = "contract"
    PROGRAMME_START = "programme_start"
    DANISH_START = "danish_start"
    PLAN_OFFER = "plan_offer"
    HEALTH_OFFER = "health_offer"
    HEALTH_GUIDANCE = "health_guidance"
    UM_DECISION = "um_decision"
    PLAN_FOLLOWUP = "plan_followup"
    HEALTH_FOLLOWUP = "health_followup"
    PROGRAMME_END = "programme_end"

    @property
    def title(self) -> str:
        return RULE_TITLES[self]

    @property
    def is_milestone(self) -> bool:
        return self is Rule.PROGRAMME_END


RULE_TITLES = {
    Rule.CONTRACT: "Integrationskontrakt indgået",
    Rule.PROGRAMME_START: "Integrationsprogram startet",
    Rule.DANISH_START: "Danskuddannelse startet",
    Rule.PLAN_OFFER: "Tilbud om integrationsplan",
    Rule.HEALTH_OFFER: "Tilbud om helbredsmæssig vurdering",
    Rule.HEALTH_GUIDANCE: "Vejledning om stående tilbud",
    Rule.UM_DECISION: "Beslutning om integrationsprogram",
    Rule.PLAN_FOLLOWUP: "Opfølgning på integrationsplan",
    Rule.HEALTH_FOLLOWUP: "Opfølgning efter helbredsvurdering",
    Rule.PROGRAMME_END: "Integrationsprogram udløber",
}
RULE_ORDER = {rule: index for index, rule in enumerate(Rule)}


class Status(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"
    PAUSED = "paused"
    MET = "met"
    MET_LATE = "met_late"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({Status.OVERDUE, Status.DUE_SOON, Status.UPCOMING, Status.PAUSED})


class Deadline(NamedTuple):
    """One obligation for one person (or, for `plan_followup`, one family).

    A NamedTuple rather than a frozen dataclass: a caseload makes tens of
    thousands, and a tuple is built three times faster.
    """

    rule: Rule
    family: str
    person: str | None
    name: str
    due: date
    status: Status
    days: int
    met_date: date | None = None

    @property
    def title(self) -> str:
        return self.rule.title


def _sort_key(deadline: Deadline) -> tuple:
    return (deadline.due, deadline.family, deadline.person or "", RULE_ORDER[deadline.rule])


_MET, _MET_LATE, _CLOSED = Status.MET, Status.MET_LATE, Status.CLOSED
_OVERDUE, _DUE_SOON, _UPCOMING = Status.OVERDUE, Status.DUE_SOON, Status.UPCOMING


class _Judge:
    """Turns a due date and a met date into a status, for one `today` and window."""

    __slots__ = ("today", "wanted", "window")

    def __init__(self, today: date, window: int, wanted: frozenset[Status] = frozenset(Status)) -> None:
        self.today = today
        self.window = window
        self.wanted = wanted

    def status(self, due: date, days: int, met_date: date | None, closed: bool) -> Status:
        if met_date is not None:
            return _MET if met_date <= due else _MET_LATE
        if closed:
            return _CLOSED
        if days < 0:
            return _OVERDUE
        return _DUE_SOON if days <= self.window else _UPCOMING


def deadlines(families: Iterable[Family], *, today: date, window: int = DEFAULT_WINDOW_DAYS) -> list[Deadline]:
    """Every deadline of the caseload, in every status, sorted by due date, family, person."""
    return sort_deadlines(unsorted_deadlines(families, today=today, window=window))


def unsorted_deadlines(
    families: Iterable[Family],
    *,
    today: date,
    window: int = DEFAULT_WINDOW_DAYS,
    statuses: Iterable[Status] = frozenset(Status),
) -> list[Deadline]:
    """The same deadlines unsorted, only those in `statuses`: a lookup keeps few of a caseload's."""
    judge = _Judge(today, window, frozenset(statuses))
    found: list[Deadline] = []
    for family in families:
        for person in family.members:
            if person.is_covered:
                _person_deadlines(family, person, judge, found.append)
        if family.plan.made_date is not None:
            _plan_followups(family, judge, found.append)
    return found


def sort_deadlines(found: Iterable[Deadline]) -> list[Deadline]:
    return sorted(found, key=_sort_key)


def family_deadlines(family: Family, *, today: date, window: int = DEFAULT_WINDOW_DAYS) -> list[Deadline]:
    """The deadlines of one family and its members, sorted as `deadlines` sorts."""
    return deadlines([family], today=today, window=window)


def _person_deadlines(family: Family, person: Person, judge: _Judge, add: Callable[[Deadline], None]) -> None:
    """The deadlines of one covered person, passed to `add`."""
    today = judge.today
    closed = person.has_left(today)

    def deadline(rule: Rule, due: date, met_date: date | None, status: Status | None = None) -> None:
        days = (due - today).days
        status = status or judge.status(due, days, met_date, closed)
        if status in judge.wanted:
            add(Deadline(rule, family.ref, person.ref, person.name, due, status, days, met_date))

    anchor, with_contract = _programme_anchor(person)
    if anchor is not None:
        due = add_months(anchor, 1)
        if with_contract:
            deadline(Rule.CONTRACT, due, person.contract.signed_date)
        deadline(Rule.PROGRAMME_START, due, person.programme.start_date)
        if with_contract:
            danish_due, paused = _danish_due(person, due, today)
            start = person.danish.start_date
            status = Status.PAUSED if paused and start is None and not closed else None
            deadline(Rule.DANISH_START, danish_due, start, status)

    three_months = add_months(person.takeover_date, 3)
    deadline(Rule.PLAN_OFFER, three_months, person.plan_offer.offered_date)
    deadline(Rule.HEALTH_OFFER, three_months, person.health.offered_date)

    health = person.health
    if health.declined_date is not None:
        due = health.declined_date + timedelta(days=HEALTH_GUIDANCE_DAYS)
        deadline(Rule.HEALTH_GUIDANCE, due, health.guidance_date)

    if person.category is Category.UNACCOMPANIED_MINOR and not is_adult_on(person.birth_date, person.takeover_date):
        due = day_before(birthday(person.birth_date, 18))
        decision = person.um_decision
        deadline(Rule.UM_DECISION, due, decision.date if decision else None)

    if health.result_received_date is not None and health.consent is True and family.plan.made_date is not None:
        due = add_months(health.result_received_date, HEALTH_FOLLOWUP_MONTHS)
        later = [f.date for f in family.plan.followups if f.date >= health.result_received_date]
        deadline(Rule.HEALTH_FOLLOWUP, due, min(later, default=None))

    start = person.programme.start_date
    if start is not None and not closed:
        end = add_years(start, 3)
        if end >= today:
            deadline(Rule.PROGRAMME_END, end, None)


def _programme_anchor(person: Person) -> tuple[date | None, bool]:
    """The date the programme deadlines run from, and whether contract and Danish apply too.

    Adults of the programme categories run from the takeover. An unaccompanied
    minor offered a programme runs from the decision, with contract and Danish
    only if adult on that date. An exempted person has no programme deadlines.
    """
    if person.programme.exempt_reason is not None:
        return None, False
    if person.category in PROGRAMME_CATEGORIES:
        if is_adult_on(person.birth_date, person.takeover_date):
            return person.takeover_date, True
        return None, False
    decision = person.um_decision
    if person.category is Category.UNACCOMPANIED_MINOR and decision is not None and decision.offered:
        return decision.date, is_adult_on(person.birth_date, decision.date)
    return None, False


def _danish_due(person: Person, original_due: date, today: date) -> tuple[date, bool]:
    """The Danish start's due date after a pause for illness, and whether the pause is still open.

    A pause counts once it has begun and if Danish had not started before it.
    While it is open the deadline keeps its original date (an unmet one shows
    as paused); once it has ended, the deadline is due at the later of its
    original date and one month after the pause's end. DOMAIN.md read as it
    stands: a start during a pause that is still open is judged against the
    original date, whether or not the pause's end is known yet.
    """
    danish = person.danish
    paused_from, paused_to, start = danish.paused_from, danish.paused_to, danish.start_date
    counts = paused_from is not None and paused_from <= today and (start is None or start > paused_from)
    if not counts:
        return original_due, False
    if paused_to is None or today <= paused_to:
        return original_due, True
    return max(original_due, add_months(paused_to, DANISH_RESUME_MONTHS)), False


def _plan_followups(family: Family, judge: _Judge, add: Callable[[Deadline], None]) -> None:
    """The follow-up chain of a made plan: each review is due `interval` months after the previous one."""
    plan = family.plan
    interval = min(plan.followup_months or MAX_FOLLOWUP_MONTHS, MAX_FOLLOWUP_MONTHS)
    reviews = [plan.made_date, *sorted({f.date for f in plan.followups if f.date > plan.made_date})]
    covered = [person for person in family.members if person.is_covered]
    closed = all(person.has_left(judge.today) for person in covered)
    name = family.display_name
    for previous, following in zip(reviews, [*reviews[1:], None]):
        due = add_months(previous, interval)
        days = (due - judge.today).days
        status = judge.status(due, days, following, closed)
        if status in judge.wanted:
            add(Deadline(Rule.PLAN_FOLLOWUP, family.ref, None, name, due, status, days, following))
