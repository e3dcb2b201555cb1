"""The deadline engine: which provisions of the law apply to whom, when they fall due, and their status.

Pure functions over the domain values. The law itself is data in
kasse/law.py (two rulesets, each a table of provisions); this module
implements, once each, the predicates a provision names: to whom it applies
(`Who`), the date it runs from (`Anchor`) and what meets it (`MetBy`).
`today`, the due-soon window and the local policy are arguments.

A fact dated after `today` has not happened yet (DOMAIN.md, "Common
terms"): every date that meets, anchors or closes a deadline is read as
not recorded when it is later than today, so `today` in the past shows the
caseload as it stood. Takeover and birth dates are read as they are; pause
dates are read by the pause rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from kasse.dates import add_months, birthday, day_before, is_adult_on
from kasse.domain import Category, Family, Person
from kasse.law import (
    CONTRACT_CONVERSATIONS,
    LAW,
    MAX_PLAN_FOLLOWUP_MONTHS,
    Anchor,
    MetBy,
    Rule,
    RulesChoice,
    Ruleset,
    Setting,
    Who,
    ruleset_in_force,
)
from kasse.policy import DEFAULT_POLICY, Policy

DEFAULT_WINDOW_DAYS = DEFAULT_POLICY.window_days

PROGRAMME_CATEGORIES = frozenset({Category.REFUGEE, Category.QUOTA_REFUGEE, Category.FAMILY_REUNIFIED})
# § 15 d since 2016: offered to these unless the municipality has assessed that there is no need.
HEALTH_UNLESS_NO_NEED = frozenset({Category.REFUGEE, Category.UNACCOMPANIED_MINOR})

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
    anchor, with_contract = _programme_anchor(person, decision)
    return person.is_covered and anchor is not None and with_contract


class _Compiled(NamedTuple):
    """A provision with its predicates looked up and its offset resolved under the policy."""

    rule: Rule
    ruleset: Ruleset
    applies: Callable[[_Case], bool]
    anchor: Callable[[_Case], date | None]
    months: int
    days: int
    met: Callable[[_Case], date | None]
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
                item.rule, item.ruleset, _WHO[item.who], _ANCHOR[item.anchor], months, days, _MET_BY[item.met_by],
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
            self.latest_due = _plus_days(today, -1)
        elif wanted <= {Status.OVERDUE, Status.DUE_SOON}:
            self.latest_due = _plus_days(today, max(window, 0))

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
        case = _Case(family, person, today, self.known)
        closed = case.closed
        for rule in self.person_rules[ruleset]:
            if not rule.applies(case):
                continue
            due = rule.anchor(case)
            if rule.months:
                due = add_months(due, rule.months)
            if rule.days:
                due = _plus_days(due, rule.days)
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
                due, paused = _danish_due(case.person, due, met, today, self.policy.danish_resume_months)
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


class _Case:
    """One covered person's facts as known on a day: a date after `known` is not recorded yet."""

    __slots__ = (
        "closed",
        "decision",
        "family",
        "health_result",
        "known",
        "person",
        "programme_anchor",
        "programme_start",
        "signed",
        "with_contract",
    )  # fmt: skip

    def __init__(self, family: Family, person: Person, today: date, known: date) -> None:
        self.person = person
        self.family = family
        self.known = known
        left = person.left_date
        self.closed = left is not None and left <= today and left <= known
        signed = person.contract.signed_date
        self.signed = signed if signed is not None and signed <= known else None
        start = person.programme.start_date
        self.programme_start = start if start is not None and start <= known else None
        decision = person.um_decision
        self.decision = decision if decision is not None and decision.date <= known else None
        self.programme_anchor, self.with_contract = _programme_anchor(person, self.decision)
        health = person.health
        result = health.result_received_date
        self.health_result = result if result is not None and result <= known and health.consent is True else None

    def fact(self, day: date | None) -> date | None:
        return day if day is not None and day <= self.known else None

    def need(self) -> bool | None:
        """The assessment of need (2016), if one is recorded by now."""
        health = self.person.health
        if health.need is None or health.need_date is None or health.need_date > self.known:
            return None
        return health.need


def _programme_anchor(person: Person, decision) -> tuple[date | None, bool]:
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
    if person.category is Category.UNACCOMPANIED_MINOR and decision is not None and decision.offered:
        return decision.date, is_adult_on(person.birth_date, decision.date)
    return None, False


def _danish_due(
    person: Person, original_due: date, started: date | None, today: date, resume_months: int
) -> tuple[date, bool]:
    """The Danish deadline's due date after a pause for illness, and whether the pause is still open.

    A pause counts once it has begun and if Danish had not started (2016:
    been referred or started) before it. While it is open the deadline keeps
    its original date (an unmet one shows as paused); once it has ended, the
    deadline is due at the later of its original date and `resume_months`
    after the pause's end. A start during a pause that is still open is
    judged against the original date.
    """
    paused_from, paused_to = person.danish.paused_from, person.danish.paused_to
    counts = paused_from is not None and paused_from <= today and (started is None or started > paused_from)
    if not counts:
        return original_due, False
    if paused_to is None or today <= paused_to:
        return original_due, True
    return max(original_due, add_months(paused_to, resume_months)), False


def _plus_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


# -- the predicates the provisions name ------------------------------------------------------------


def _adult_in_programme(case: _Case) -> bool:
    return case.programme_anchor is not None and case.with_contract


def _health_need_2016(case: _Case) -> bool:
    category = case.person.category
    if category is Category.QUOTA_REFUGEE or category in HEALTH_UNLESS_NO_NEED:
        return True
    return category is Category.FAMILY_REUNIFIED and case.need() is True


def _minor_at_takeover(case: _Case) -> bool:
    person = case.person
    return person.category is Category.UNACCOMPANIED_MINOR and not is_adult_on(person.birth_date, person.takeover_date)


_WHO: dict[Who, Callable[[_Case], bool]] = {
    Who.PROGRAMME_ADULT: _adult_in_programme,
    Who.PROGRAMME_ADULT_SIGNED: lambda case: case.signed is not None and _adult_in_programme(case),
    Who.PROGRAMME_PERSON: lambda case: case.programme_anchor is not None,
    Who.COVERED: lambda case: True,
    Who.HEALTH_NEED_2016: _health_need_2016,
    Who.DECLINED_HEALTH: lambda case: case.fact(case.person.health.declined_date) is not None,
    Who.MINOR_AT_TAKEOVER: _minor_at_takeover,
    Who.RESULT_WITH_PLAN: lambda case: case.health_result is not None and case.fact(case.family.plan.made_date)
    is not None,
    Who.RESULT_SIGNED: lambda case: case.health_result is not None and case.signed is not None
    and _adult_in_programme(case),
    Who.PROGRAMME_STARTED: lambda case: case.programme_start is not None,
}

_ANCHOR: dict[Anchor, Callable[[_Case], date | None]] = {
    Anchor.PROGRAMME: lambda case: case.programme_anchor,
    Anchor.TAKEOVER: lambda case: case.person.takeover_date,
    Anchor.CONTRACT_SIGNED: lambda case: case.signed,
    Anchor.HEALTH_DECLINED: lambda case: case.person.health.declined_date,
    Anchor.HEALTH_RESULT: lambda case: case.health_result,
    Anchor.EVE_OF_18TH_BIRTHDAY: lambda case: day_before(birthday(case.person.birth_date, 18)),
    Anchor.PROGRAMME_START: lambda case: case.programme_start,
}


def _fourth_conversation(case: _Case) -> date | None:
    signed, known = case.signed, case.known
    held = sorted({talk.date for talk in case.person.contract.followups if signed <= talk.date <= known})
    return held[CONTRACT_CONVERSATIONS - 1] if len(held) >= CONTRACT_CONVERSATIONS else None


def _danish_referral_or_start(case: _Case) -> date | None:
    danish = case.person.danish
    known = [day for day in (danish.referral_date, danish.start_date) if day is not None and day <= case.known]
    return min(known, default=None)


def _health_offer_or_no_need(case: _Case) -> date | None:
    offered = case.fact(case.person.health.offered_date)
    if case.person.category in HEALTH_UNLESS_NO_NEED and case.need() is False:
        no_need = case.person.health.need_date
        return no_need if offered is None else min(offered, no_need)
    return offered


def _first_on_or_after(days: Iterable[date], start: date, known: date) -> date | None:
    return min((day for day in days if start <= day <= known), default=None)


_MET_BY: dict[MetBy, Callable[[_Case], date | None]] = {
    MetBy.CONTRACT_SIGNED: lambda case: case.signed,
    MetBy.FOURTH_CONVERSATION: _fourth_conversation,
    MetBy.PROGRAMME_START: lambda case: case.programme_start,
    MetBy.DANISH_START: lambda case: case.fact(case.person.danish.start_date),
    MetBy.DANISH_REFERRAL_OR_START: _danish_referral_or_start,
    MetBy.PLAN_OFFER: lambda case: case.fact(case.person.plan_offer.offered_date),
    MetBy.HEALTH_OFFER: lambda case: case.fact(case.person.health.offered_date),
    MetBy.HEALTH_OFFER_OR_NO_NEED: _health_offer_or_no_need,
    MetBy.HEALTH_GUIDANCE: lambda case: case.fact(case.person.health.guidance_date),
    MetBy.DECISION: lambda case: case.decision.date if case.decision is not None else None,
    MetBy.PLAN_FOLLOWUP_AFTER_RESULT: lambda case: _first_on_or_after(
        (f.date for f in case.family.plan.followups), case.health_result, case.known
    ),
    # A conversation on the contract: on or after the signing (as § 20 counts them) and the result.
    MetBy.CONVERSATION_AFTER_RESULT: lambda case: _first_on_or_after(
        (talk.date for talk in case.person.contract.followups), max(case.health_result, case.signed), case.known
    ),
    MetBy.NOTHING: lambda case: None,
}
