"""A deterministic, realistic demo caseload: refugee families whose deadlines show every status.

`demo_families(count, seed=..., today=...)` starts with the showcase -
families written so that, on `today`, every deadline rule of DOMAIN.md
appears in every status it can have (see `showcase.py`) - and fills up with
families drawn from `random.Random(seed)` (`random_families.py`). Most were
taken over recently and follow the 2016 rules; a few older cases, taken
over before 1 July 2016, follow the 2015 rules. Everything is dated
relative to `today`; nothing reads the clock, and the only facts after
`today` are planned ones (a Danish course, a conversation booked). The same
arguments always give the same caseload, and it survives a kasse/v1 round
trip.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from kasse.collector import collector_paused
from kasse.demo.generator import Generator
from kasse.demo.random_families import RandomFamilies
from kasse.demo.showcase import showcase
from kasse.domain import Family

__all__ = ["demo_families", "demo_persons"]


def _width(largest: int, minimum: int) -> int:
    return max(minimum, len(str(largest)))


def demo_families(count: int, *, seed: int, today: date) -> list[Family]:
    """`count` families, sorted by ref: the showcase first, then random ones.

    Deterministic for a seed and `today`; `parse_document(dump_document(...))`
    gives the same families back.
    """
    generator = Generator(random.Random(seed), today, person_width=_width(count * 4, 4), family_width=_width(count, 3))
    return _caseload(generator, lambda families, persons: len(families) >= count)


def demo_persons(n_persons: int, *, seed: int, today: date) -> list[Family]:
    """Families totalling about `n_persons` persons (at most one family more), sorted by ref."""
    generator = Generator(
        random.Random(seed), today, person_width=_width(n_persons + 10, 4), family_width=_width(n_persons // 2, 3)
    )
    return _caseload(generator, lambda families, persons: persons >= n_persons)


def _caseload(generator: Generator, enough: Callable[[list[Family], int], bool]) -> list[Family]:
    """The showcase families first, then random ones, until `enough(families, persons)`; sorted by ref."""
    recipes = iter(showcase(generator))
    random_families = RandomFamilies(generator)
    families: list[Family] = []
    persons = 0
    with collector_paused():
        while not enough(families, persons):
            make = next(recipes, None)
            family = make() if make is not None else random_families.family()
            families.append(family)
            persons += len(family.members)
    return sorted(families, key=lambda family: family.ref)
