"""Writing domain values as canonical `kasse/v1`: every key present, in the order of FORMAT.md's example."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from kasse.domain import Contract, Danish, Family, Goal, Health, Person
from kasse.interchange import v1_keys as keys
from kasse.interchange.v1_journal import dump_note, dump_task
from kasse.interchange.v1_keys import FORMAT
from kasse.journal import JournalNote, Task


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _code(value: StrEnum | None) -> str | None:
    return value.value if value is not None else None


def _number(value: float | None) -> float | int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def dump_family(family: Family) -> dict:
    """One family as a canonical kasse/v1 object."""
    plan = family.plan
    return {
        "ref": family.ref,
        "coordinating_department": family.coordinating_department,
        "housing": _code(family.housing),
        "housing_since": _iso(family.housing_since),
        "plan": {
            "made_date": _iso(plan.made_date),
            "followup_months": plan.followup_months,
            "followups": [{"date": _iso(f.date), "note": f.note} for f in plan.followups],
        },
        "checklist": [
            {"phase": _code(item.phase), "task": item.task, "done_date": _iso(item.done_date)}
            for item in family.checklist
        ],
        "members": [dump_person(person) for person in family.members],
    }


def dump_person(person: Person) -> dict:
    """One member as a canonical kasse/v1 object (FORMAT.md's keys, then nationality and assessment)."""
    programme, decision, offer = person.programme, person.um_decision, person.plan_offer
    return {
        "ref": person.ref,
        "name": person.name,
        "cpr": person.cpr,
        "birth_date": _iso(person.birth_date),
        "category": _code(person.category),
        "role": _code(person.role),
        "takeover_date": _iso(person.takeover_date),
        "left_date": _iso(person.left_date),
        "left_reason": person.left_reason,
        "programme": {"exempt_reason": _code(programme.exempt_reason), "start_date": _iso(programme.start_date)},
        "um_decision": None if decision is None else {"date": _iso(decision.date), "offered": decision.offered},
        "contract": _contract(person.contract),
        "danish": _danish(person.danish),
        "plan_offer": {"offered_date": _iso(offer.offered_date), "answer": _code(offer.answer)},
        "health": _health(person.health),
        "goals": [_goal(goal) for goal in person.goals],
        "nationality": person.nationality,
        "assessment": {key: getattr(person.assessment, key) for key in keys.ASSESSMENT},
    }


def _contract(contract: Contract) -> dict:
    return {
        "signed_date": _iso(contract.signed_date),
        "goal_kind": _code(contract.goal_kind),
        "goal": contract.goal,
        "activities": list(contract.activities),
        "followups": [
            {"date": _iso(followup.date), "form": _code(followup.form), "note": followup.note}
            for followup in contract.followups
        ],
    }


def _danish(danish: Danish) -> dict:
    return {
        "referral_date": _iso(danish.referral_date),
        "start_date": _iso(danish.start_date),
        "provider": danish.provider,
        "track": _code(danish.track),
        "hours_per_week": _number(danish.hours_per_week),
        "paused_from": _iso(danish.paused_from),
        "paused_to": _iso(danish.paused_to),
        "passed_date": _iso(danish.passed_date),
    }


def _health(health: Health) -> dict:
    return {
        "need": health.need,
        "need_date": _iso(health.need_date),
        "offered_date": _iso(health.offered_date),
        "declined_date": _iso(health.declined_date),
        "guidance_date": _iso(health.guidance_date),
        "consent": health.consent,
        "result_received_date": _iso(health.result_received_date),
    }


def _goal(goal: Goal) -> dict:
    return {
        "area": _code(goal.area),
        "goal": goal.goal,
        "subgoals": list(goal.subgoals),
        "interventions": [
            {
                "title": item.title,
                "department": item.department,
                "start": _iso(item.start),
                "end": _iso(item.end),
                "status": _code(item.status),
            }
            for item in goal.interventions
        ],
    }


def dump_document(families: Iterable[Family], notes: Iterable[JournalNote] = (), tasks: Iterable[Task] = ()) -> dict:
    """The canonical kasse/v1 document: families sorted by ref, members in their order, every key written;
    the notes and tasks in the order given (an export gives the notes oldest first, the tasks by due date)."""
    ordered = sorted(families, key=lambda family: family.ref)
    return {
        "format": FORMAT,
        "families": [dump_family(family) for family in ordered],
        "journal": [dump_note(note) for note in notes],
        "tasks": [dump_task(task) for task in tasks],
    }
