"""Domain values as table rows: the columns of a family and a person, and the rows of their lists.

The one mapping the other way (rows to domain values) is `kasse.data.reader`;
tests/test_store.py saves and reads back every field of every value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kasse.data import models
from kasse.domain import ChecklistItem, Family, FollowUp, Goal, Person

if TYPE_CHECKING:
    from kasse.data.write_batch import WriteBatch

FAMILY = models.FamilyRow.__table__
FOLLOWUP = models.FollowUpRow.__table__
CHECKLIST = models.ChecklistItemRow.__table__
PERSON = models.PersonRow.__table__
ACTIVITY = models.ContractActivityRow.__table__
CONTRACT_FOLLOWUP = models.ContractFollowUpRow.__table__
GOAL = models.GoalRow.__table__
SUBGOAL = models.SubgoalRow.__table__
INTERVENTION = models.InterventionRow.__table__
AUDIT = models.AuditRow.__table__
RETIRED = models.RetiredRefRow.__table__


def family_columns(family: Family) -> dict[str, Any]:
    return {
        "ref": family.ref,
        "coordinating_department": family.coordinating_department,
        "housing": family.housing,
        "housing_since": family.housing_since,
        "plan_made_date": family.plan.made_date,
        "plan_followup_months": family.plan.followup_months,
    }


def person_columns(person: Person) -> dict[str, Any]:
    programme, contract, danish = person.programme, person.contract, person.danish
    plan_offer, health, assessment, decision = person.plan_offer, person.health, person.assessment, person.um_decision
    return {
        "ref": person.ref,
        "name": person.name,
        "cpr": person.cpr,
        "birth_date": person.birth_date,
        "category": person.category,
        "role": person.role,
        "nationality": person.nationality,
        "takeover_date": person.takeover_date,
        "left_date": person.left_date,
        "left_reason": person.left_reason,
        "programme_exempt_reason": programme.exempt_reason,
        "programme_start_date": programme.start_date,
        "um_decision_date": decision.date if decision else None,
        "um_decision_offered": decision.offered if decision else None,
        "contract_signed_date": contract.signed_date,
        "contract_goal_kind": contract.goal_kind,
        "contract_goal": contract.goal,
        "danish_start_date": danish.start_date,
        "danish_provider": danish.provider,
        "danish_track": danish.track,
        "danish_hours_per_week": danish.hours_per_week,
        "danish_paused_from": danish.paused_from,
        "danish_paused_to": danish.paused_to,
        "danish_passed_date": danish.passed_date,
        "danish_referral_date": danish.referral_date,
        "plan_offered_date": plan_offer.offered_date,
        "plan_answer": plan_offer.answer,
        "health_offered_date": health.offered_date,
        "health_declined_date": health.declined_date,
        "health_guidance_date": health.guidance_date,
        "health_consent": health.consent,
        "health_result_received_date": health.result_received_date,
        "health_need": health.need,
        "health_need_date": health.need_date,
        "assessment_education": assessment.education,
        "assessment_work_experience": assessment.work_experience,
        "assessment_languages": assessment.languages,
        "assessment_literacy": assessment.literacy,
        "assessment_health_summary": assessment.health_summary,
    }


def changed_columns(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in new.items() if value != old[name]}


# -- the rows of the lists, queued on a batch -------------------------------------------


def insert_followups(batch: WriteBatch, family_id: int, followups: Iterable[FollowUp]) -> None:
    for position, followup in enumerate(followups):
        batch.insert(
            FOLLOWUP, {"family_id": family_id, "position": position, "date": followup.date, "note": followup.note}
        )


def insert_checklist(batch: WriteBatch, family_id: int, checklist: Iterable[ChecklistItem]) -> None:
    for position, item in enumerate(checklist):
        batch.insert(
            CHECKLIST,
            {"family_id": family_id, "position": position, "phase": item.phase, "task": item.task,
             "done_date": item.done_date},
        )  # fmt: skip


def insert_person_lists(
    batch: WriteBatch,
    person_id: int,
    person: Person,
    *,
    activities: bool = True,
    contract_followups: bool = True,
    goals: bool = True,
) -> None:
    """The rows of a person's lists; each flag False leaves that list's stored rows as they are."""
    if activities:
        for position, text in enumerate(person.contract.activities):
            batch.insert(ACTIVITY, {"person_id": person_id, "position": position, "text": text})
    if contract_followups:
        for position, followup in enumerate(person.contract.followups):
            batch.insert(
                CONTRACT_FOLLOWUP,
                {"person_id": person_id, "position": position, "date": followup.date, "form": followup.form,
                 "note": followup.note},
            )  # fmt: skip
    if goals:
        for position, goal in enumerate(person.goals):
            insert_goal(batch, person_id, position, goal)


def insert_goal(batch: WriteBatch, person_id: int, position: int, goal: Goal) -> None:
    goal_id = batch.new_id(GOAL)
    batch.insert(
        GOAL, {"id": goal_id, "person_id": person_id, "position": position, "area": goal.area, "goal": goal.goal}
    )
    for index, text in enumerate(goal.subgoals):
        batch.insert(SUBGOAL, {"goal_id": goal_id, "position": index, "text": text})
    for index, intervention in enumerate(goal.interventions):
        batch.insert(
            INTERVENTION,
            {
                "goal_id": goal_id,
                "position": index,
                "title": intervention.title,
                "department": intervention.department,
                "start_date": intervention.start,
                "end_date": intervention.end,
                "status": intervention.status,
            },
        )
