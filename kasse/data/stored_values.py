"""Stored values to domain values: enum members by what is stored, dates parsed once, a person row to a Person.

The reader (kasse.data.reader) selects the columns named here, in this
order, and maps every row through these functions: the only mapping from
rows to domain values. It runs once per person on every lookup, so it is
written for speed: dict lookups instead of enum calls, shared empty parts,
positional arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kasse.domain import (
    Answer,
    Area,
    Assessment,
    Category,
    Contract,
    ContractFollowUp,
    ConversationForm,
    Danish,
    ExemptReason,
    Goal,
    GoalKind,
    Health,
    Housing,
    InterventionStatus,
    Person,
    Phase,
    PlanOffer,
    Programme,
    Role,
    Track,
    UmDecision,
)


def _by_value(kind: type) -> dict:
    """Stored value -> enum member, None -> None; a dict lookup is much faster than calling the enum."""
    return {None: None, **{member.value: member for member in kind}}


CATEGORY = _by_value(Category)
ROLE = _by_value(Role)
HOUSING = _by_value(Housing)
EXEMPT = _by_value(ExemptReason)
ANSWER = _by_value(Answer)
GOAL_KIND = _by_value(GoalKind)
TRACK = _by_value(Track)
AREA = _by_value(Area)
STATUS = _by_value(InterventionStatus)
PHASE = _by_value(Phase)
FORM = _by_value(ConversationForm)
_BOOL = {None: None, 0: False, 1: True}


class Dates(dict):
    """ISO text -> date, each distinct text parsed once per read; None stays None."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, text: str) -> date:
        value = self[text] = date.fromisoformat(text)
        return value


# Shared empty parts: frozen values, so one instance serves every person.
_NO_PROGRAMME = Programme()
_NO_CONTRACT = Contract()
_NO_DANISH = Danish()
_NO_PLAN_OFFER = PlanOffer()
_NO_HEALTH = Health()
_NO_ASSESSMENT = Assessment()
_NOT_ASSESSED = (None,) * 5

# The person columns the deadline rules need (and the queue's filter searches), in the order `person` unpacks them.
DEADLINE_COLUMNS = """id, family_id, ref, name, category, role, birth_date, takeover_date, left_date,
    programme_exempt_reason, programme_start_date, um_decision_date, um_decision_offered,
    contract_signed_date, danish_start_date, danish_paused_from, danish_paused_to, danish_passed_date,
    danish_referral_date, plan_offered_date, plan_answer, health_offered_date, health_declined_date,
    health_guidance_date, health_consent, health_result_received_date, health_need, health_need_date,
    cpr, nationality"""

# The rest of a person, read only for a full read; NOT_READ stands for them otherwise.
OTHER_COLUMNS = """left_reason, contract_goal_kind, contract_goal,
    danish_provider, danish_track, danish_hours_per_week,
    assessment_education, assessment_work_experience, assessment_languages, assessment_literacy,
    assessment_health_summary"""
NOT_READ = (None,) * 11


def person(
    row: tuple,
    dates: Dates,
    activities: Iterable[str],
    conversations: Iterable[ContractFollowUp],
    goals: Iterable[Goal],
) -> Person:
    """A row of DEADLINE_COLUMNS + OTHER_COLUMNS (or NOT_READ) as a Person, with its lists read beside it."""
    (
        _id, _family_id, ref, name, category, role, birth, takeover, left,
        exempt, programme_start, decision_date, decision_offered,
        signed, danish_start, paused_from, paused_to, passed,
        referral, plan_offered, plan_answer, health_offered, health_declined,
        health_guidance, consent, result_received, need, need_date,
        cpr, nationality, left_reason, goal_kind, contract_goal,
        provider, track, hours,
        education, work_experience, languages, literacy, health_summary,
    ) = row  # fmt: skip
    # Positional (in Person's field order) is a third faster than keywords;
    # the round-trip test in tests/test_reader.py guards the order.
    return Person(
        ref,
        name,
        CATEGORY[category],
        dates[birth],
        cpr,
        ROLE[role],
        nationality,
        dates[takeover],
        dates[left],
        left_reason,
        Programme(EXEMPT[exempt], dates[programme_start]) if exempt or programme_start else _NO_PROGRAMME,
        UmDecision(dates[decision_date], bool(decision_offered)) if decision_date else None,
        _contract(dates, signed, goal_kind, contract_goal, activities, conversations),
        _danish(dates, danish_start, provider, track, hours, paused_from, paused_to, passed, referral),
        PlanOffer(dates[plan_offered], ANSWER[plan_answer]) if plan_offered or plan_answer else _NO_PLAN_OFFER,
        _health(dates, health_offered, health_declined, health_guidance, consent, result_received, need, need_date),
        (
            Assessment(education, work_experience, languages, literacy, health_summary)
            if (education, work_experience, languages, literacy, health_summary) != _NOT_ASSESSED
            else _NO_ASSESSMENT
        ),
        tuple(goals),
    )


def _contract(dates: Dates, signed, goal_kind, goal, activities, conversations) -> Contract:
    if signed or goal_kind or goal is not None or activities or conversations:
        return Contract(dates[signed], GOAL_KIND[goal_kind], goal, tuple(activities), tuple(conversations))
    return _NO_CONTRACT


def _danish(dates: Dates, start, provider, track, hours, paused_from, paused_to, passed, referral) -> Danish:
    if start or provider is not None or track or hours is not None or paused_from or paused_to or passed or referral:
        return Danish(
            dates[start], provider, TRACK[track], hours, dates[paused_from], dates[paused_to], dates[passed],
            dates[referral],
        )  # fmt: skip
    return _NO_DANISH


def _health(dates: Dates, offered, declined, guidance, consent, result_received, need, need_date) -> Health:
    if offered or declined or guidance or consent is not None or result_received or need is not None or need_date:
        return Health(
            dates[offered], dates[declined], dates[guidance], _BOOL[consent], dates[result_received], _BOOL[need],
            dates[need_date],
        )  # fmt: skip
    return _NO_HEALTH
