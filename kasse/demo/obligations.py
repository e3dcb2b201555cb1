"""One person's obligations as the caseworker recorded them, under the law in force on the takeover.

The decision on an unaccompanied minor's programme, the contract, Danish
education and the health assessment. The two rulesets differ in what gets
recorded: since 1 July 2016 Danish is met by the referral (the course starts
a few weeks later, perhaps after `today`: planned), the health offer depends
on the municipality's assessment of need and is due after six months, and
the guidance on the standing offer is given with the offer, not recorded
apart (DOMAIN.md, "Two rulesets").
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from kasse.dates import add_months, add_years, birthday, is_adult_on
from kasse.demo.words import ACTIVITIES, EDUCATION_GOALS, EMPLOYMENT_GOALS, PROVIDERS
from kasse.domain import Category, Contract, Danish, GoalKind, Health, Track, UmDecision
from kasse.law import Ruleset

if TYPE_CHECKING:
    from kasse.demo.generator import Generator
    from kasse.demo.scripts import Member, Script

DAY = timedelta(days=1)
# § 15 d since 2016: refugees and minors are offered the assessment unless assessed as not in need.
_UNLESS_NO_NEED = (Category.REFUGEE, Category.UNACCOMPANIED_MINOR)


def um_decision(g: Generator, member: Member, until: date) -> UmDecision | None:
    if member.category is not Category.UNACCOMPANIED_MINOR or is_adult_on(member.birth, member.takeover):
        return None
    due = birthday(member.birth, 18) - DAY
    script = member.script
    decided = script.fixed.get("decision") or g.when(script.um_decision, member.takeover, due, until)
    return UmDecision(decided, script.um_offered) if decided else None


def contract(g: Generator, signed: date | None) -> Contract:
    """The contract's goal and activities (the conversations are added once the health result is known)."""
    if signed is None:
        return Contract()
    if g.chance(0.8):
        kind, goal = GoalKind.EMPLOYMENT, g.pick(EMPLOYMENT_GOALS)
    else:
        kind, goal = GoalKind.EDUCATION, g.pick(EDUCATION_GOALS)
    activities = tuple(a for a in ACTIVITIES if a == "Danskuddannelse" or g.chance(0.35))
    return Contract(signed, kind, goal, activities)


def danish(g: Generator, script: Script, anchor: date, due: date, until: date, law: Ruleset) -> Danish:
    """Danish education: met by the start (2015) or the referral (2016), after a pause for illness if any."""
    paused_from = paused_to = None
    start_from = anchor
    if script.pause != "none":
        paused_from = script.fixed.get("pause_from") or anchor + timedelta(days=2 + int(g.rng.random() * 12))
        if paused_from > until:
            paused_from = None
        elif script.pause == "ended":
            paused_to = script.fixed.get("pause_to") or paused_from + timedelta(days=21 + int(g.rng.random() * 60))
            if paused_to < g.today:
                due, start_from = max(due, add_months(paused_to, 1)), paused_to + DAY
    if paused_from is not None and (paused_to is None or paused_to >= g.today):
        met = None  # still ill
    else:
        met = script.fixed.get("referral") or g.when(script.danish, start_from, due, until)
    if law is Ruleset.LAW_2015:
        referral, start = None, met
    else:
        referral, start = met, course_start(g, script, met, until)
    if met is None and paused_from is None:
        return Danish()
    track = g.pick((Track.DU1, Track.DU2, Track.DU2, Track.DU3, Track.DU3))
    passed = None
    if start is not None and (until - start).days > 540 and g.chance(0.5):
        passed = g.between(start + timedelta(days=540), min(until, add_years(start, 3)))
    hours = g.pick((18.0, 18.0, 15.0, 12.0, 10.5))
    return Danish(start, g.pick(PROVIDERS), track, hours, paused_from, paused_to, passed, referral)


def course_start(g: Generator, script: Script, referral: date | None, until: date) -> date | None:
    """The course starts 10-45 days after the referral: planned when after today, never after leaving."""
    if referral is None:
        return None
    start = script.fixed.get("danish_start") or referral + timedelta(days=10 + int(g.rng.random() * 36))
    return start if start <= until or until == g.today else None


def health_2015(g: Generator, script: Script, takeover: date, until: date) -> Health:
    """Offered to everyone within three months; a decline is followed by guidance on the standing offer."""
    offered = script.fixed.get("health_offer") or g.when(script.health_offer, takeover, add_months(takeover, 3), until)
    return health(g, script, offered, until, True)


def health_2016(g: Generator, member: Member, takeover: date, until: date) -> Health:
    """Offered within six months by category and the assessment of need (§ 15 d since 2016)."""
    script, category = member.script, member.category
    need, need_date = assessed_need(g, member, takeover, until)
    if category in _UNLESS_NO_NEED:
        offered_to = need is not False
    else:
        offered_to = category is Category.QUOTA_REFUGEE or need is True
    if not offered_to:
        return Health(need=need, need_date=need_date)
    offered = script.fixed.get("health_offer") or g.when(
        script.health_offer, need_date or takeover, add_months(takeover, 6), until
    )
    found = health(g, script, offered, until, False)
    return Health(found.offered_date, found.declined_date, None, found.consent, found.result_received_date, need,
                  need_date)  # fmt: skip


def assessed_need(g: Generator, member: Member, takeover: date, until: date) -> tuple[bool | None, date | None]:
    """The municipality's assessment of need, within two months of the takeover, or none yet."""
    choice, roll = member.script.need, g.rng.random()
    if choice == "auto":
        if member.category is Category.QUOTA_REFUGEE:  # UNHCR's papers often tell already
            choice = "need" if roll < 0.3 else "unassessed"
        elif member.category is Category.FAMILY_REUNIFIED:
            choice = "need" if roll < 0.3 else "no_need" if roll < 0.85 else "unassessed"
        else:
            choice = "no_need" if roll < 0.2 else "need" if roll < 0.45 else "unassessed"
    if choice == "unassessed":
        return None, None
    day = member.script.fixed.get("need") or takeover + timedelta(days=7 + int(g.rng.random() * 50))
    return (None, None) if day > until else (choice == "need", day)


def health(g: Generator, script: Script, offered: date | None, until: date, guidance: bool) -> Health:
    """The answer to an offer: declined (with guidance on the standing offer when `guidance`), or consent
    and perhaps a result."""
    if offered is None:
        return Health()
    if script.health == "declined":
        declined = script.fixed.get("declined") or offered + timedelta(days=int(g.rng.random() * 15))
        if declined > until:
            return Health(offered)
        given = g.when(script.guidance, declined, declined + timedelta(days=14), until) if guidance else None
        return Health(offered, declined, given)
    if script.health == "no_consent":
        return Health(offered, consent=False)
    if script.health == "pending":
        return Health(offered)
    result = script.fixed.get("result")
    if result is None and script.result:
        result = offered + timedelta(days=21 + int(g.rng.random() * 55))
    return Health(offered, consent=True, result_received_date=result if result and result <= until else None)
