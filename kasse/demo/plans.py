"""The content of a demo family plan: each member's goals with interventions, and the adults' assessment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from kasse.demo.words import EDUCATION, HEALTH_SUMMARIES, WORK
from kasse.domain import (
    Area,
    Assessment,
    Category,
    Contract,
    Danish,
    ExemptReason,
    Goal,
    Intervention,
    InterventionStatus,
    Track,
)

if TYPE_CHECKING:
    from kasse.demo.generator import Draft, Generator
    from kasse.demo.scripts import Member

# An action: (intervention title, responsible department[, start date when known]).
Action = tuple


def goals(g: Generator, draft: Draft, plan_made: date) -> Iterator[Goal]:
    """Goals in the plan's four areas that fit the person's age and situation."""
    age = (g.today - draft.member.birth).days // 365

    def goal(area: Area, text: str, subgoals: tuple[str, ...], *actions: Action) -> Goal:
        return _goal(g, plan_made, area, text, subgoals, actions)

    yield _goal_for_age(age, draft.fields, goal)
    yield from _support_goals(g, draft.member, age, goal)


def _goal_for_age(age: int, fields: dict, goal: Callable[..., Goal]) -> Goal:
    """The one goal every member has: thriving as a small child, school, youth education, or Danish and work."""
    if age < 1:
        return goal(Area.SOCIAL_HEALTH, "Sund udvikling", (), ("Besøg af sundhedsplejerske", "Sundhedsplejen"))
    if age < 6:
        return goal(
            Area.SCHOOL_EDUCATION,
            "Trives og lærer dansk i dagtilbud",
            ("Starte i børnehave",),
            ("Plads i dagtilbud", "Dagtilbud"),
        )
    if age < 16:
        return goal(
            Area.SCHOOL_EDUCATION,
            "Trives og lærer i skolen",
            ("Fra modtageklasse til almindelig klasse", "Gå til en fritidsaktivitet"),
            ("Modtageklasse", "Skole/PPR"),
            ("Lektiecafé", "Civilsamfund"),
        )
    if age < 18:
        return goal(
            Area.SCHOOL_EDUCATION,
            "Påbegynde en ungdomsuddannelse",
            ("Afslutte 10. klasse",),
            ("Vejledning om ungdomsuddannelse", "Børne- og Ungeforvaltningen"),
        )
    danish: Danish = fields.get("danish", Danish())
    if danish.start_date is not None:
        return _danish_employment(danish, fields.get("contract", Contract()), goal)
    return goal(
        Area.DANISH_EMPLOYMENT,
        "Komme i gang med dansk",
        ("Deltage i danskundervisning i eget tempo",),
        ("Visitation til danskuddannelse", "Jobcenter"),
    )


def _support_goals(g: Generator, member: Member, age: int, goal: Callable[..., Goal]) -> Iterator[Goal]:
    """Wellbeing for an unaccompanied minor or someone who struggles, and for some a network outside the home."""
    if member.category is Category.UNACCOMPANIED_MINOR:
        yield goal(
            Area.SOCIAL_HEALTH,
            "Trivsel på opholdsstedet",
            ("Fast kontaktperson",),
            ("Kontaktperson", "Børne- og Ungeforvaltningen"),
        )
    elif member.script.exempt is not None or (age >= 18 and g.chance(0.3)):
        yield goal(
            Area.SOCIAL_HEALTH,
            g.pick(("Bedre søvn og mindre uro", "Smerterne under kontrol")),
            ("Fast kontakt til egen læge",),
            ("Samtaleforløb hos psykolog", "Socialforvaltningen"),
        )
    if age >= 16 and g.chance(0.45):
        helper = g.pick(("Familieguide fra Røde Kors", "Kontaktfamilie", "Integrationsmentor"))
        yield goal(
            Area.ACTIVE_CITIZENSHIP,
            g.pick(("Deltage i lokalt foreningsliv", "Netværk i lokalområdet")),
            ("Melde sig ind i en forening",),
            (helper, "Civilsamfund"),
        )


def _danish_employment(danish: Danish, contract: Contract, goal) -> Goal:
    """The danish_employment goal mirrors the contract: its goal, Danish education and its activities."""
    text = contract.goal or f"Bestå Prøve i Dansk {str(danish.track)[-1]}"
    hours = f"{danish.hours_per_week:g}".replace(".", ",")  # Danish decimal comma
    actions = [(f"Danskuddannelse {hours} t/uge", "Jobcenter", danish.start_date)]
    actions += [
        (f"{activity} ({text.lower()})", "Jobcenter")
        for activity in contract.activities
        if activity != "Danskuddannelse"
    ]
    return goal(Area.DANISH_EMPLOYMENT, text, ("Bestå næste modul inden for et halvt år",), *actions)


def _goal(
    g: Generator, plan_made: date, area: Area, text: str, subgoals: tuple[str, ...], actions: tuple[Action, ...]
) -> Goal:
    interventions = []
    for title, department, *known_start in actions:
        start = known_start[0] if known_start else g.between(plan_made, max(plan_made, g.today) + timedelta(days=30))
        end = start + timedelta(days=int(91 + g.rng.random() * 270)) if g.chance(0.5) else None
        interventions.append(Intervention(title, department, start, end, _status(g, start, end)))
    return Goal(area, text, subgoals, tuple(interventions))


def _status(g: Generator, start: date, end: date | None) -> InterventionStatus:
    if start > g.today:
        return InterventionStatus.PLANNED
    if g.chance(0.04):
        return InterventionStatus.CANCELLED
    return InterventionStatus.DONE if end is not None and end <= g.today else InterventionStatus.ACTIVE


def assessment(g: Generator, draft: Draft) -> Assessment:
    """Education, work, languages and literacy; a health summary only with consent and a result."""
    if draft.member.category is Category.RESIDENT_SPOUSE:
        return Assessment()
    fields, country = draft.fields, draft.country
    track = fields.get("danish", Danish()).track or g.pick(tuple(Track))
    languages = g.pick(country.languages) + (", engelsk" if track is Track.DU3 else "")
    literacy = {
        Track.DU1: "Læser og skriver kun lidt på modersmålet",
        Track.DU2: f"Læser og skriver {country.script}",
        Track.DU3: f"Læser og skriver {country.script} og latinske bogstaver",
    }[track]
    health = fields["health"]
    summary = None
    if health.consent and health.result_received_date:
        summary = _EXEMPTION_SUMMARIES.get(draft.member.script.exempt) or g.pick(HEALTH_SUMMARIES)
    return Assessment(g.pick(EDUCATION[track]), g.pick(WORK), languages, literacy, summary)


_EXEMPTION_SUMMARIES = {
    ExemptReason.TRAUMA: "Svær PTSD efter tortur (lægeerklæring)",
    ExemptReason.DISABILITY: "Svært bevægelseshandicap (lægeerklæring)",
}
