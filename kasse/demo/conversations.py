"""The follow-up conversations on a contract (integrationsloven § 20, since 2016), as a caseworker holds them.

At least four in the contract's first six months, then one every two to four
months; a consented health result is talked over at a conversation soon
after it arrives (the 2016 `health_followup`). The next conversation is often
booked already: dated after `today`, it shows as planned ("planlagt").
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from kasse.dates import add_months
from kasse.demo.words import BOOKED_NOTE, CONVERSATION_NOTES, HEALTH_CONVERSATION_NOTE
from kasse.domain import ContractFollowUp, ConversationForm
from kasse.law import CONTRACT_CONVERSATIONS

if TYPE_CHECKING:
    from kasse.demo.generator import Generator
    from kasse.demo.scripts import Outcome, Script

_FORMS = (ConversationForm.MEETING,) * 6 + (ConversationForm.PHONE,) * 3 + (ConversationForm.VIDEO,)
BOOKED_AHEAD = timedelta(days=21)  # the furthest ahead a next conversation is booked
_MOST = 10  # conversations in one case: four in the first half year, then a few more


def conversations(
    g: Generator, script: Script, signed: date | None, until: date, result: date | None
) -> tuple[ContractFollowUp, ...]:
    """The conversations on a contract signed on `signed`, held until `until` (plus one booked ahead while
    the person is still here); one soon after a consented health `result`, as `script.health_followup` says."""
    if signed is None or signed > until:
        return ()
    if script.talks is not None:
        days = set(script.talks)
    else:
        days = set(_schedule(g, script.conversations, script.held, signed, until))
    health_talk = None
    if result is not None:
        due = add_months(result, 1)
        health_talk = min((day for day in days if result <= day <= min(due, g.today)), default=None)
        if health_talk is None:
            health_talk = g.when(script.health_followup, max(result, signed), due, until)
            if health_talk is not None:
                days.add(health_talk)
    rng, today, forms, notes = g.rng.random, g.today, len(_FORMS), len(CONVERSATION_NOTES)
    talks = []
    for day in sorted(days):  # one draw each for the form and the note (tens of thousands in a large caseload)
        form = _FORMS[int(rng() * forms)]
        if day > today:
            talks.append(ContractFollowUp(day, form, BOOKED_NOTE))
        else:
            note = HEALTH_CONVERSATION_NOTE if day == health_talk else CONVERSATION_NOTES[int(rng() * notes)]
            talks.append(ContractFollowUp(day, form, note))
    return tuple(talks)


def _schedule(g: Generator, outcome: Outcome, held: int | None, signed: date, until: date) -> list[date]:
    """The conversation days: held by `until`, and the next one if it is booked within three weeks.

    "on_time": the fourth within six months of signing; "late": the fourth after
    that; "missing": only `held` of the four (drawn when None), and perhaps a
    catch-up booked. "auto" draws one by how long ago the six months ran out.
    """
    rng = g.rng.random
    due = add_months(signed, 6)
    if outcome == "auto":
        outcome = g.draw(signed, due)
    days, day = [], signed
    for _ in range(CONTRACT_CONVERSATIONS):  # every five or six weeks: the fourth within 100-176 days
        day += timedelta(days=25 + int(rng() * 20))
        days.append(day)
    if outcome == "missing":
        days = days[: held if held is not None else int(rng() * CONTRACT_CONVERSATIONS)]
        kept = [day for day in days if day <= until]
        if until == g.today and rng() < 0.35:  # a catch-up conversation booked
            kept.append(g.today + timedelta(days=2 + int(rng() * 12)))
        return kept
    if outcome == "late":
        days[-1] = due + timedelta(days=1 + int(rng() * 60))
    day = days[-1]
    while day <= until and len(days) < _MOST:
        day += timedelta(days=60 + int(rng() * 60))
        days.append(day)
    kept = [day for day in days if day <= until]
    following = next((day for day in days if day > until), None)
    if following is not None and until == g.today and following <= g.today + BOOKED_AHEAD:
        kept.append(following)
    return kept
