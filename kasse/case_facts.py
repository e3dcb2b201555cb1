"""A covered person's facts as the law's provisions read them on a day, and what each provision names.

kasse/law.py names, for each provision, to whom it applies (`Who`), the date
it runs from (`Anchor`) and what meets it (`MetBy`). This module implements
each of those names once, over a `Case`: the person's facts as known on a
day (a date after `known` is not recorded yet). kasse/rules.py compiles the
tables below with the policy and runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from kasse.dates import add_months, birthday, day_before, is_adult_on
from kasse.domain import Category, Family, Person
from kasse.law import CONTRACT_CONVERSATIONS, Anchor, MetBy, Who

PROGRAMME_CATEGORIES = frozenset({Category.REFUGEE, Category.QUOTA_REFUGEE, Category.FAMILY_REUNIFIED})
# § 15 d since 2016: offered to these unless the municipality has assessed that there is no need.
HEALTH_UNLESS_NO_NEED = frozenset({Category.REFUGEE, Category.UNACCOMPANIED_MINOR})


class Case:
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
        self.programme_anchor, self.with_contract = programme_anchor(person, self.decision)
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


def programme_anchor(person: Person, decision) -> tuple[date | None, bool]:
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


def danish_due(
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


def plus_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


# -- the predicates the provisions name ------------------------------------------------------------


def _adult_in_programme(case: Case) -> bool:
    return case.programme_anchor is not None and case.with_contract


def _health_need_2016(case: Case) -> bool:
    category = case.person.category
    if category is Category.QUOTA_REFUGEE or category in HEALTH_UNLESS_NO_NEED:
        return True
    return category is Category.FAMILY_REUNIFIED and case.need() is True


def _minor_at_takeover(case: Case) -> bool:
    person = case.person
    return person.category is Category.UNACCOMPANIED_MINOR and not is_adult_on(person.birth_date, person.takeover_date)


WHO: dict[Who, Callable[[Case], bool]] = {
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

ANCHOR: dict[Anchor, Callable[[Case], date | None]] = {
    Anchor.PROGRAMME: lambda case: case.programme_anchor,
    Anchor.TAKEOVER: lambda case: case.person.takeover_date,
    Anchor.CONTRACT_SIGNED: lambda case: case.signed,
    Anchor.HEALTH_DECLINED: lambda case: case.person.health.declined_date,
    Anchor.HEALTH_RESULT: lambda case: case.health_result,
    Anchor.EVE_OF_18TH_BIRTHDAY: lambda case: day_before(birthday(case.person.birth_date, 18)),
    Anchor.PROGRAMME_START: lambda case: case.programme_start,
}


def _fourth_conversation(case: Case) -> date | None:
    signed, known = case.signed, case.known
    held = sorted({talk.date for talk in case.person.contract.followups if signed <= talk.date <= known})
    return held[CONTRACT_CONVERSATIONS - 1] if len(held) >= CONTRACT_CONVERSATIONS else None


def _danish_referral_or_start(case: Case) -> date | None:
    danish = case.person.danish
    known = [day for day in (danish.referral_date, danish.start_date) if day is not None and day <= case.known]
    return min(known, default=None)


def _health_offer_or_no_need(case: Case) -> date | None:
    offered = case.fact(case.person.health.offered_date)
    if case.person.category in HEALTH_UNLESS_NO_NEED and case.need() is False:
        no_need = case.person.health.need_date
        return no_need if offered is None else min(offered, no_need)
    return offered


def _first_on_or_after(days: Iterable[date], start: date, known: date) -> date | None:
    return min((day for day in days if start <= day <= known), default=None)


MET_BY: dict[MetBy, Callable[[Case], date | None]] = {
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
