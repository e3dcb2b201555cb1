"""The plan's action part: goals with their subgoals, and the interventions towards them."""

from __future__ import annotations

from kasse import words
from kasse.domain import (
    Category,
    Goal,
    Intervention,
    InterventionStatus,
    Person,
)
from kasse.plausibility import (
    NO_GOALS_FOR_RESIDENT_SPOUSE,
)
from kasse.tui.fields import Field, Kind, Section, Values, after, choice, day, text

DEPARTMENTS = (
    "Jobcenter", "Ydelseskontor", "Socialforvaltning", "Skole/PPR", "Dagtilbud", "Sundhedspleje",
    "Børn og unge", "Civilsamfund",
)  # fmt: skip

GOAL = Section(
    "goal",
    "Mål",
    (
        choice("area", "Område", words.AREA, required=True),
        text("goal", "Mål", required=True),
        Field("subgoals", "Delmål", Kind.LINES, hint="Ét delmål pr. linje"),
    ),
)


def goal_refusal(person: Person) -> str | None:
    """Why `person` can have no goal in the plan's action part (a resident spouse has none), else None."""
    return NO_GOALS_FOR_RESIDENT_SPOUSE if person.category is Category.RESIDENT_SPOUSE else None


def read_goal(goal: Goal | None) -> Values:
    if goal is None:
        return {"area": None, "goal": None, "subgoals": ()}
    return {"area": goal.area, "goal": goal.goal, "subgoals": goal.subgoals}


def write_goal(goal: Goal | None, values: Values) -> Goal:
    interventions = goal.interventions if goal else ()
    return Goal(values["area"], values["goal"], values["subgoals"], interventions)


def intervention_section(current_department: str | None = None) -> Section:
    departments = {name: name for name in DEPARTMENTS}
    if current_department and current_department not in departments:
        departments[current_department] = current_department
    return Section(
        "intervention",
        "Indsats",
        (
            text("title", "Indsats", required=True, hint="fx Danskuddannelse 18 t/uge"),
            choice("department", "Ansvarlig forvaltning", departments),
            day("start", "Start"),
            day("end", "Slut"),
            choice("status", "Status", words.INTERVENTION_STATUS, required=True),
        ),
        lambda values: after(values, "end", "start", "Kan ikke ligge før start"),
    )


def read_intervention(item: Intervention | None) -> Values:
    if item is None:
        return {"title": None, "department": None, "start": None, "end": None, "status": InterventionStatus.PLANNED}
    return {
        "title": item.title,
        "department": item.department,
        "start": item.start,
        "end": item.end,
        "status": item.status,
    }


def write_intervention(values: Values) -> Intervention:
    return Intervention(**values)
