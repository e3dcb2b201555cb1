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
from kasse.rules import OPEN_STATUSES, Deadline, Status, family_deadlines, sort_deadlines, unsorted_deadlines


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
    """Families or persons matching a ref, a CPR number or part of a name.

    A family's or a person's exact ref gives just that family (with every
    member) or that person; anything else gives every person it matches.
    """
    with closing(connect(path)) as conn:
        hits = reader.search(conn, text)
        families = {family.ref: family for family in reader.read_families(conn, refs={ref for ref, _ in hits})}
    wanted = text.strip().casefold()
    # A family's ref matches each of its members' rows: the family is one match, not one per member.
    exact = sorted({(f, None) for f, _ in hits if f.casefold() == wanted}) or [
        (f, p) for f, p in hits if p is not None and p.casefold() == wanted
    ]
    matches = []
    for family_ref, person_ref in exact or hits:
        family = families[family_ref]
        person = next((m for m in family.members if m.ref == person_ref), None)
        matches.append(Match(family, person))
    return matches


@dataclass(frozen=True, slots=True)
class Hit:
    """One person a search found, and the kasse/v1 fields that contain the text searched for."""

    family: Family
    person: Person
    matched: tuple[str, ...]  # of "ref", "family", "name", "cpr", "nationality", in that order


def search_persons(path: Path, text: str) -> list[Hit]:
    """The persons `find` gives for `text`, a family asked for by its ref as each of its members."""
    return hits_of(find(path, text), text)


def hits_of(matches: Iterable[Match], text: str) -> list[Hit]:
    """Each person of `matches` (every member where a match is a whole family), with what matched."""
    folded = text.strip().casefold()
    digits = folded.replace("-", "")
    found = []
    for match in matches:
        for person in [match.person] if match.person else match.family.members:
            found.append(Hit(match.family, person, _matched_fields(match.family, person, folded, digits)))
    return found


def _matched_fields(family: Family, person: Person, folded: str, digits: str) -> tuple[str, ...]:
    # The test reader.search makes in SQL: the folded text inside the field; the CPR number without hyphens.
    fields = {
        "ref": (person.ref, folded),
        "family": (family.ref, folded),
        "name": (person.name, folded),
        "cpr": (person.cpr and person.cpr.replace("-", ""), digits),
        "nationality": (person.nationality, folded),
    }
    return tuple(field for field, (value, wanted) in fields.items() if value is not None and wanted in value.casefold())


@dataclass(frozen=True, slots=True)
class Shown:
    """What `kasse show` shows: a family, or one of its members, with the deadlines that concern it."""

    family: Family
    person: Person | None  # None: the whole family
    deadlines: list[Deadline]  # the family's; for a person, theirs and the family's own, sorted


def shown(match: Match, *, today: date, window: int, policy: Policy = DEFAULT_POLICY) -> Shown:
    """The view of one match on `today`: the deadlines of its family, narrowed to the person if one was asked."""
    found = family_deadlines(match.family, today=today, window=window, policy=policy)
    if match.person is not None:
        found = [deadline for deadline in found if deadline.person in (match.person.ref, None)]
    return Shown(match.family, match.person, found)
