"""Local policy: the choices the law leaves to the municipality, with their defaults (DOMAIN.md).

Pure values; kasse/config.py reads them from kasse.toml and the environment.
"""

from __future__ import annotations

from dataclasses import dataclass

from kasse.law import RulesChoice


@dataclass(frozen=True, slots=True)
class Policy:
    """The ruleset choice and the local-policy lengths the deadline engine reads."""

    rules: RulesChoice = RulesChoice.AUTO
    window_days: int = 14  # "Snart": due within this many days
    health_guidance_days: int = 14  # guidance on the standing health offer after a decline (2015)
    health_followup_months: int = 1  # follow-up after a health result
    danish_resume_months: int = 1  # Danish start after a pause for illness has ended
    plan_deadlines: bool = False  # the 2015 plan offer and follow-ups for 2016 persons too


DEFAULT_POLICY = Policy()
