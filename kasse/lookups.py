"""The fast read path behind `kasse overdue`, `due`, `deadlines`, `show` and `search`.

sqlite3 rows -> domain values -> rules. It must not import SQLModel,
SQLAlchemy or Textual: a caseworker asks between two phone calls. Only a
database that needs migrating pays for the heavy import, once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from kasse.collector import collector_paused
from kasse.data import reader
from kasse.deadline_index import candidates
from kasse.domain import Family, Person
from kasse.errors import KasseError
from kasse.policy import DEFAULT_POLICY, Policy
from kasse.rules import OPEN_STATUSES, Deadline, Status, sort_deadlines, unsorted_deadlines


class Selection(StrEnum):
    """Which deadlines a lookup lists (FORMAT.md, "JSON output of lookups")."""

    OVERDUE = "overdue"  # status overdue
    DUE = "due"  # overdue and due within the window
    OPEN = "open"  # everything not yet met or closed
    ALL = "all"  # every status, for statistics


_SELECTED = {
    Selection.OVERDUE: frozenset({Status.OVERDUE}),
    Selection.DUE: frozenset({Status.OVERDUE, Status.DUE_SOON}),
    Selection.OPEN: OPEN_STATUSES,
    Selection.ALL: frozenset(Status),
}


def connect(path: Path) -> sqlite3.Connection:
    """A read connection to an existing caseload, migrated first if it is behind."""
    if not path.exists():
        raise KasseError(f"Databasen findes ikke: {path} - kør 'kasse init' eller 'kasse demo'")
    if not reader.is_current(path):
        from kasse.data.db import open_database  # heavy: only when a migration is due

        open_database(path).close()
    return reader.connect(path)


def select(found: Iterable[Deadline], selection: Selection) -> list[Deadline]:
    """The selected deadlines, sorted (selecting first: sorting all of a caseload costs more)."""
    wanted = _SELECTED[selection]
    return sort_deadlines(deadline for deadline in found if deadline.status in wanted)


def caseload_deadlines(
    path: Path, *, today: date, window: int, selection: Selection, policy: Policy = DEFAULT_POLICY
) -> list[Deadline]:
    """The selected deadlines of the caseload on `today` under `policy`, sorted.

    Only the families and persons the prefilter index lets through are read;
    the engine then decides on them with the real `today` (see
    kasse/deadline_index.py).
    """
    wanted = _SELECTED[selection]
    prefilter = candidates(wanted, today=today, window=window, policy=policy)
    with closing(connect(path)) as conn:
        families = reader.read_families(conn, full=False, prefilter=prefilter)
    with collector_paused():
        found = unsorted_deadlines(families, today=today, window=window, statuses=wanted, policy=policy)
    return sort_deadlines(found)


@dataclass(frozen=True, slots=True)
class Match:
    family: Family
    person: Person | None  # None when the family itself was asked for


def find(path: Path, text: str) -> list[Match]:
    """Families or persons matching a ref, a CPR number or part of a name."""
    with closing(connect(path)) as conn:
        hits = reader.search(conn, text)
        families = {family.ref: family for family in reader.read_families(conn, refs={ref for ref, _ in hits})}
    wanted = text.strip().casefold()
    exact = [(f, p) for f, p in hits if f.casefold() == wanted and p is None] or [
        (f, p) for f, p in hits if p is not None and p.casefold() == wanted
    ]
    matches = []
    for family_ref, person_ref in exact or hits:
        family = families[family_ref]
        person = next((m for m in family.members if m.ref == person_ref), None)
        matches.append(Match(family, person))
    return matches
