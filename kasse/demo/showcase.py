"""The showcase: families written so that, on `today`, every deadline rule shows in every status it can have.

Under the default `auto` each person follows the ruleset in force on their
takeover (DOMAIN.md, "Two rulesets"). Most showcase families are recent and
follow the 2016 rules (showcase_2016.py): together they show every 2016 rule
in every status it can have. A few older families were taken over before 1
July 2016 and follow the 2015 rules (showcase_2015.py): ten years on they
show every 2015 rule met, met late or closed, and a few things still open.
Pinned to 2015 (`--rules 2015`), the recent families add the rest, so every
2015 rule shows every status it can have too; only `health_guidance` never
shows as `upcoming`: that would need a decline dated in the future.

Two older families come early, so that a small demo has cases of both.
"""

from __future__ import annotations

from collections.abc import Callable

from kasse.demo.generator import Generator
from kasse.demo.showcase_2015 import OlderFamilies
from kasse.demo.showcase_2016 import RecentFamilies
from kasse.domain import Family

EARLY_RECENT = 8  # recent families before the first older ones
EARLY_OLDER = 2


def showcase(generator: Generator) -> list[Callable[[], Family]]:
    """The showcase families for `generator`, each built only when called (a small demo builds the first few)."""
    recent = RecentFamilies(generator).recipes()
    older = OlderFamilies(generator).recipes()
    return [
        *recent[:EARLY_RECENT],
        *older[:EARLY_OLDER],
        *recent[EARLY_RECENT:],
        *older[EARLY_OLDER:],
    ]
