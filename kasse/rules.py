"""The deadline engine: which provisions of the law apply to whom, when they fall due, and their status.

Pure functions over the domain values. The law itself is data in
kasse/law.py (two rulesets, each a table of provisions); this module
compiles them under the local policy and runs them. The predicates a
provision names - to whom it applies (`Who`), the date it runs from
(`Anchor`), what meets it (`MetBy`) - are implemented once each in
kasse/case_facts.py. `today`, the due-soon window and the policy are
arguments.

A fact dated after `today` has not happened yet (DOMAIN.md, "Common
terms"): every date that meets, anchors or closes a deadline is read as
not recorded when it is later than today, so `today` in the past shows the
caseload as it stood. Takeover and birth dates are read as they are; pause
dates are read by the pause rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from kasse.case_facts import ANCHOR, MET_BY, WHO, Case, danish_due, plus_days, programme_anchor
from kasse.dates import add_months
from kasse.domain import Family, Person
from kasse.law import (
    LAW,
    MAX_PLAN_FOLLOWUP_MONTHS,
    Rule,
    RulesChoice,
    Ruleset,
    Setting,
    Who,
    ruleset_in_force,
)
from kasse.policy import DEFAULT_POLICY, Policy

DEFAULT_WINDOW_DAYS = DEFAULT_POLICY.window_days

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
    """One obligation for one person (or, for `plan_followup`, one family), under one ruleset.

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
    met_date: date | None
    ruleset: Ruleset

    @property
    def title(self) -> str:
        return LAW[self.ruleset][self.rule].title

    @property
    def basis(self) -> str:
        return LAW[self.ruleset][self.rule].basis

    @property
    def is_milestone(self) -> bool:
        return LAW[self.ruleset][self.rule].milestone


def _sort_key(deadline: Deadline) -> tuple:
    return (deadline.due, deadline.family, deadline.person or "", RULE_ORDER[deadline.rule])


_MET, _MET_LATE, _CLOSED = Status.MET, Status.MET_LATE, Status.CLOSED
_OVERDUE, _DUE_SOON, _UPCOMING = Status.OVERDUE, Status.DUE_SOON, Status.UPCOMING


def deadlines(
    families: Iterable[Family], *, today: date, window: int = DEFAULT_WINDOW_DAYS, policy: Policy = DEFAULT_POLICY
) -> list[Deadline]:
    """Every deadline of the caseload, in every status, sorted by due date, family, person."""
    return sort_deadlines(unsorted_deadlines(families, today=today, window=window, policy=policy))


def family_deadlines(
    family: Family, *, today: date, window: int = DEFAULT_WINDOW_DAYS, policy: Policy = DEFAULT_POLICY
) -> list[Deadline]:
    """The deadlines of one family and its members, sorted as `deadlines` sorts."""
    return deadlines([family], today=today, window=window, policy=policy)


def sort_deadlines(found: Iterable[Deadline]) -> list[Deadline]:
    return sorted(found, key=_sort_key)


def unsorted_deadlines(
    families: Iterable[Family],
    *,
    today: date,
    window: int = DEFAULT_WINDOW_DAYS,
    statuses: Iterable[Status] = frozenset(Status),
    policy: Policy = DEFAULT_POLICY,
    facts_until: date | None = None,
) -> list[Deadline]:
    """The deadlines in `statuses`, unsorted: a lookup keeps few of a caseload's.

    `facts_until` (default `today`) is the last day whose facts count as
    recorded; the prefilter index alone asks for every fact (date.max) on a
    day before any (date.min).
    """
    engine = _Engine(today, window, frozenset(statuses), policy, today if facts_until is None else facts_until)
    found: list[Deadline] = []
    add = found.append
    for family in families:
        rulesets = []
        for person in family.members:
            if person.is_covered:
                ruleset = engine.ruleset_of(person)
                rulesets.append(ruleset)
                engine.person_deadlines(family, person, ruleset, add)
        if rulesets and family.plan.made_date is not None:
            engine.plan_followups(family, rulesets, add)
    return found


def ruleset_of(person: Person, choice: RulesChoice) -> Ruleset:
    """The ruleset a covered person follows under a choice: pinned, or in force on the takeover date."""
    if choice is RulesChoice.AUTO:
        return ruleset_in_force(person.takeover_date)
    return Ruleset.LAW_2015 if choice is RulesChoice.LAW_2015 else Ruleset.LAW_2016


def conversations_held(person: Person, today: date) -> int:
    """How many follow-up conversations on the contract count by `today` (§ 20: the screen's "n af 4")."""
    signed = person.contract.signed_date
    if signed is None or signed > today:
        return 0
    return len({talk.date for talk in person.contract.followups if signed <= talk.date <= today})


def contract_applies(person: Person, today: date) -> bool:
    """Whether the contract (and with it, since 2016, its follow-up conversations) applies to a person on `today`."""
    decision = person.um_decision if person.um_decision is not None and person.um_decision.date <= today else None
    anchor, with_contract = programme_anchor(person, decision)
    return person.is_covered and anchor is not None and with_contract


class _Compiled(NamedTuple):
    """A provision with its predicates looked up and its offset resolved under the policy."""

    rule: Rule
    ruleset: Ruleset
    applies: Callable[[Case], bool]
    anchor: Callable[[Case], date | None]
    months: int
    days: int
    met: Callable[[Case], date | None]
    milestone: bool
    paused_by_illness: bool


@lru_cache(maxsize=16)
def _compiled(policy: Policy) -> dict[Ruleset, list[_Compiled]]:
    """Each ruleset's person provisions under `policy` (the plan chain is the engine's own loop)."""
    found: dict[Ruleset, list[_Compiled]] = {}
    for ruleset, table in LAW.items():
        compiled = found[ruleset] = []
        for item in table.values():
            if item.who is Who.FAMILY_WITH_PLAN or (item.local_policy and not policy.plan_deadlines):
                continue
            months, days = item.offset.months, item.offset.days
            if item.offset.setting is Setting.HEALTH_GUIDANCE_DAYS:
                days = policy.health_guidance_days
            elif item.offset.setting is Setting.HEALTH_FOLLOWUP_MONTHS:
                months = policy.health_followup_months
            compiled.append(_Compiled(
                item.rule, item.ruleset, WHO[item.who], ANCHOR[item.anchor], months, days, MET_BY[item.met_by],
                item.milestone, item.rule is Rule.DANISH_START,
            ))  # fmt: skip
    return found


class _Engine:
    """The provisions of each ruleset compiled for one `today`, window and policy."""

    def __init__(self, today: date, window: int, wanted: frozenset[Status], policy: Policy, known: date) -> None:
        self.today = today
        self.window = window
        self.wanted = wanted
        self.policy = policy
        self.known = known
        self.choice = policy.rules
        self.person_rules = _compiled(policy)
        # A lookup keeps few deadlines: with only open statuses wanted, a person who has left has
        # none, and with only overdue (and due soon) wanted, nothing due after `latest_due` counts
        # (a pause only ever moves a due date later).
        self.open_only = wanted <= OPEN_STATUSES
        self.latest_due: date | None = None
        if wanted <= {Status.OVERDUE}:
            self.latest_due = plus_days(today, -1)
        elif wanted <= {Status.OVERDUE, Status.DUE_SOON}:
            self.latest_due = plus_days(today, max(window, 0))

    def ruleset_of(self, person: Person) -> Ruleset:
        return ruleset_of(person, self.choice)

    def status(self, due: date, days: int, met_date: date | None, closed: bool) -> Status:
        if met_date is not None:
            return _MET if met_date <= due else _MET_LATE
        if closed:
            return _CLOSED
        if days < 0:
            return _OVERDUE
        return _DUE_SOON if days <= self.window else _UPCOMING

    def person_deadlines(self, family: Family, person: Person, ruleset: Ruleset, add: Callable) -> None:
        """The deadlines of one covered person under their ruleset, passed to `add`."""
        today, wanted, latest_due = self.today, self.wanted, self.latest_due
        left = person.left_date
        if self.open_only and left is not None and left <= today and left <= self.known:
            return
        case = Case(family, person, today, self.known)
        closed = case.closed
        for rule in self.person_rules[ruleset]:
            if not rule.applies(case):
                continue
            due = rule.anchor(case)
            if rule.months:
                due = add_months(due, rule.months)
            if rule.days:
                due = plus_days(due, rule.days)
            if latest_due is not None and due > latest_due:
                continue
            if rule.milestone:
                if closed or due < today:
                    continue
                met = None
            else:
                met = rule.met(case)
            status = None
            if rule.paused_by_illness:
                due, paused = danish_due(case.person, due, met, today, self.policy.danish_resume_months)
                if paused and met is None and not closed:
                    status = Status.PAUSED
            days = (due - today).days
            status = status or self.status(due, days, met, closed)
            if status in wanted:
                add(Deadline(rule.rule, family.ref, person.ref, person.name, due, status, days, met, rule.ruleset))

    def plan_followups(self, family: Family, rulesets: list[Ruleset], add: Callable) -> None:
        """The follow-up chain of a made plan: each review is due `interval` months after the previous one.

        Applies while some covered member follows the 2015 rules, or for every
        family by local policy (plan_deadlines); its ruleset is 2015 if any
        covered member's is.
        """
        ruleset = Ruleset.LAW_2015 if Ruleset.LAW_2015 in rulesets else Ruleset.LAW_2016
        if ruleset is Ruleset.LAW_2016 and not self.policy.plan_deadlines:
            return
        plan, known = family.plan, self.known
        made = plan.made_date
        if made > known:
            return
        interval = min(plan.followup_months or MAX_PLAN_FOLLOWUP_MONTHS, MAX_PLAN_FOLLOWUP_MONTHS)
        reviews = [made, *sorted({f.date for f in plan.followups if made < f.date <= known})]
        closed = all(person.has_left(self.today) and person.left_date <= known
                     for person in family.members if person.is_covered)
        if self.open_only:
            if closed:
                return
            reviews = reviews[-1:]  # every review but the last is met by the next one
        name = family.display_name
        today, wanted = self.today, self.wanted
        for previous, following in zip(reviews, [*reviews[1:], None]):
            due = add_months(previous, interval)
            days = (due - today).days
            status = self.status(due, days, following, closed)
            if status in wanted:
                add(Deadline(Rule.PLAN_FOLLOWUP, family.ref, None, name, due, status, days, following, ruleset))


