"""The fast read path behind `kasse overdue`, `due`, `deadlines`, `show` and `search`, and the journal's and
tasks' reads (`kasse journal`, `tasks`, `--tasks`, notes in `search`).

sqlite3 rows -> domain values -> rules. It must not import SQLModel,
SQLAlchemy or Textual: a caseworker asks between two phone calls. Only a
database that needs migrating pays for the heavy import, once.
"""

from __future__ import annotations

import heapq
import re
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from kasse.collector import collector_paused
from kasse.data import reader
from kasse.deadline_index import candidates
from kasse.domain import Family, Person
from kasse.errors import KasseError, hide_cpr, shorten
from kasse.journal import JournalNote, Task, TaskDeadline, corrected_by, note_named, task_deadlines
from kasse.policy import DEFAULT_POLICY, Policy
from kasse.rules import OPEN_STATUSES, Deadline, Status, family_deadlines, sort_deadlines, unsorted_deadlines

if TYPE_CHECKING:
    from kasse.data.journal_reads import NoteHit


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
    path: Path,
    *,
    today: date,
    window: int,
    selection: Selection,
    policy: Policy = DEFAULT_POLICY,
    with_tasks: bool = False,
) -> list[Deadline | TaskDeadline]:
    """The selected deadlines of the caseload on `today` under `policy`, sorted; with the own tasks in the
    same statuses among them if asked (after the legal deadlines of the same day, family and person).

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
    found = sort_deadlines(found)
    if not with_tasks:
        return found
    rows = [own.row for own in own_tasks(path, today=today, window=window, selection=selection)]
    return list(heapq.merge(found, rows, key=lambda row: (row.due, row.family, row.person or "")))


@dataclass(frozen=True, slots=True)
class Match:
    family: Family
    person: Person | None  # None when the family itself was asked for

    @property
    def person_ref(self) -> str | None:
        return self.person.ref if self.person is not None else None

    @property
    def ref(self) -> str:
        """The ref of what was found: the person's, else the family's."""
        return self.person_ref or self.family.ref


def find(path: Path, text: str) -> list[Match]:
    """Families or persons matching a ref, a CPR number or part of a name.

    A family's or a person's exact ref gives just that family (with every
    member) or that person; anything else gives every person it matches.
    """
    _check_search_length(text)
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


MAX_SEARCH_LENGTH = 500  # a name, a ref, a CPR number or a few words; SQLite refuses a LIKE pattern of 50,000


def _check_search_length(text: str) -> None:
    if len(text.strip()) > MAX_SEARCH_LENGTH:
        raise KasseError(f"Søgeteksten har {len(text.strip())} tegn - søg med højst {MAX_SEARCH_LENGTH}: "
                         "en del af et navn, en ref, et CPR-nummer eller nogle ord")


def the_one(matches: list[Match]) -> Match:
    """The one match of a lookup that must name one person or family (`kasse show`); KasseError otherwise."""
    if not matches:
        raise KasseError("Ingen borger eller familie matcher - søg med en del af navnet: kasse search TEKST")
    if len(matches) > 1:
        raise KasseError("Flere borgere matcher - angiv ref eller CPR-nummer")
    return matches[0]


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


# -- the journal and own tasks ----------------------------------------------------------------------
# kasse.data.journal_reads and task_reads are imported where they are read: not every lookup needs them.


def find_ref(path: Path, ref: str) -> Match:
    """The family or the person whose ref is `ref` (in any case): where a note or task is written, whose
    journal is read. A name or part of a ref is not enough - a note must not land on the wrong person."""
    wanted = ref.strip().casefold()
    if not wanted:
        raise KasseError("Angiv en families eller en persons ref")
    for match in find(path, ref):
        if match.ref.casefold() == wanted:
            return match
    raise KasseError(f"Ingen familie eller person har {_ref_words(ref.strip())} - find ref'en med: kasse search TEKST")


def _ref_words(text: str) -> str:
    """The ref quoted in a message when it looks like one (a digit, no space); a name typed instead is personal
    data, and a CPR number more so: neither is repeated."""
    if re.search(r"\d", text) and not re.search(r"\s", text) and hide_cpr(text) == text:
        return f"ref '{shorten(text)}'"
    return "den ref (her gælder kun ref'er, ikke navne eller CPR-numre)"


@dataclass(frozen=True, slots=True)
class Journal:
    """A family's or one member's journal, newest first, and which of its notes later notes correct."""

    family: Family
    person: Person | None  # None: the whole family's journal
    notes: list[JournalNote]
    corrected_by: dict[str, tuple[str, ...]]  # uid -> the uids of the notes correcting it, oldest first


def journal(path: Path, ref: str) -> Journal:
    """The journal of the family or person `ref` names (`find_ref`)."""
    from kasse.data.journal_reads import journal_of

    match = find_ref(path, ref)
    with closing(connect(path)) as conn:
        notes = journal_of(conn, match.family.ref, match.person_ref)
    return Journal(match.family, match.person, notes, corrected_by(notes))


def note_in_journal(path: Path, family_ref: str, text: str) -> JournalNote:
    """The note of the family's journal (its own and its members') whose uid `text` is, or starts with."""
    from kasse.data.journal_reads import journal_of

    with closing(connect(path)) as conn:
        return note_named(journal_of(conn, family_ref), text, f"journalen for familie {family_ref}")


@dataclass(frozen=True, slots=True)
class NoteSearch:
    hits: list[NoteHit]  # the newest notes found, at most kasse.data.journal.SEARCH_LIMIT
    total: int  # every note found


# A word of one letter would be the start of nearly every note's words: "F-1" searches for no note.
_NOTE_WORD = re.compile(r"\w{2,}")


def search_journal(path: Path, text: str) -> NoteSearch:
    """The notes holding every word of `text` of two or more letters, as a word or the start of one."""
    from kasse.data.journal_reads import SEARCH_LIMIT, count_notes, search_notes

    _check_search_length(text)
    words = " ".join(_NOTE_WORD.findall(text))
    if not words:
        return NoteSearch([], 0)
    with closing(connect(path)) as conn:
        hits = search_notes(conn, words)
        total = count_notes(conn, words) if len(hits) >= SEARCH_LIMIT else len(hits)
    return NoteSearch(hits, total)


@dataclass(frozen=True, slots=True)
class OwnTask:
    """One of the caseworker's own tasks, and the row it is among the deadlines on the day asked."""

    task: Task
    row: TaskDeadline


def own_tasks(path: Path, *, today: date, window: int, selection: Selection) -> list[OwnTask]:
    """The tasks whose status on `today` the selection lists (done ones only in ALL), by due date."""
    from kasse.data.task_reads import task_names, tasks

    # Done or not is decided on `today` (a task done after it is open then), so only the due date narrows the read.
    due_until = {Selection.OVERDUE: today - timedelta(days=1), Selection.DUE: today + timedelta(days=window)}
    with closing(connect(path)) as conn:
        found = tasks(conn, due_until=due_until.get(selection))
        names = task_names(conn, found)
    by_uid = {task.uid: task for task in found}
    wanted = _SELECTED[selection]
    rows = task_deadlines(found, today=today, window=window, names=names)
    return [OwnTask(by_uid[row.uid], row) for row in rows if row.status in wanted]


def find_task(path: Path, text: str) -> Task:
    """The task whose uid `text` is, or starts with (at least four characters, no other task's uid the same)."""
    from kasse.data.task_reads import task_uid, tasks

    with closing(connect(path)) as conn:
        uid = task_uid(conn, text)
        return next(task for task in tasks(conn) if task.uid == uid)
