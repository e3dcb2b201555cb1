"""How a case was handled: the vocabulary the showcase and the random families write a family in.

A `Member` is one person to generate; their `Script` says, per obligation,
whether the caseworker met it on time, late or not at all; a `FamilyScript`
says how the family plan went. The `Generator` (generator.py) turns them
into domain values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from kasse.demo.words import Country
from kasse.domain import Category, ExemptReason, Role
from kasse.law import Ruleset

Outcome = Literal["auto", "on_time", "late", "missing"]
HealthAnswer = Literal["consent", "no_consent", "declined", "pending"]
Need = Literal["auto", "unassessed", "need", "no_need"]
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Script:
    """How the caseworker handled one person's obligations.

    Each outcome is met on time, met late or missing; "auto" draws one by how
    long ago the obligation fell due. `fixed` pins exact dates (keys: decision,
    programme, signed, referral, danish_start, plan_offer, health_offer, need,
    declined, result, pause_from, pause_to). The 2015 rules read plan_offer
    and guidance; the 2016 rules read conversations and need.
    """

    contract: Outcome = "auto"
    programme: Outcome = "auto"
    danish: Outcome = "auto"
    plan_offer: Outcome = "auto"
    health_offer: Outcome = "auto"
    guidance: Outcome = "auto"
    health_followup: Outcome = "auto"
    um_decision: Outcome = "auto"
    conversations: Outcome = "auto"  # the fourth follow-up conversation on the contract (2016)
    held: int | None = None  # with conversations="missing": how many of the four were held (else drawn)
    talks: tuple[date, ...] | None = None  # exact conversation days instead (after today: booked)
    need: Need = "auto"  # the assessment of need for the health offer (2016)
    health: HealthAnswer = "pending"
    result: bool = False  # a consented result reached the municipality
    um_offered: bool = True
    pause: Literal["none", "open", "ended"] = "none"
    exempt: ExemptReason | None = None
    fixed: Mapping[str, date] = field(default_factory=dict)


AUTO = Script()  # every outcome drawn at random; no decline, result, pause or exemption


@dataclass(frozen=True, slots=True)
class Member:
    """One person to generate: who they are, when the municipality took over, and how their case went."""

    role: Role
    category: Category
    birth: date
    male: bool
    takeover: date | None
    script: Script = AUTO
    left: tuple[date, str] | None = None
    has_cpr: bool = True
    origin: Country | None = None  # a resident spouse's own country, when not the family's


@dataclass(frozen=True, slots=True)
class FamilyScript:
    """The family plan: when it was made (None: after the first accepted offer), the interval, the follow-ups.

    Under the 2015 rules every family is offered a plan; since 2016 some are
    (`offered` None: drawn), and a made plan's follow-ups are good practice.
    """

    offered: bool | None = None
    plan_made: date | None = None
    interval: int = 6
    chain: tuple[Outcome, ...] | None = None  # None: drawn until one is missing
    followups: tuple[date, ...] | None = None  # exact dates instead of a chain


@dataclass(slots=True)
class Draft:
    """A person's fields before the family plan is known; goals and assessment are added after it."""

    fields: dict
    member: Member
    country: Country
    until: date
    law: Ruleset | None = None  # the ruleset in force on the takeover (None: not covered)
    accepted: date | None = None
    result: date | None = None
