"""Journal notes and own tasks in kasse/v1: records of their own beside the families, read field by field with
Danish problems (fields.py), written canonically, and checked against what the file and the database hold.

A note or task names its family and person by ref, as the lookups' records do (docs/format.md says why they
are not nested in the families). `JournalReader` checks the values of one document or sheet; `unknown_refs`
then checks what they name against the file's families and what the database already holds, before anything
is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from kasse.dates import check_case_day
from kasse.errors import KasseError
from kasse.interchange import v1_keys as keys
from kasse.interchange.fields import Fields, Problem, iso_date
from kasse.journal import (
    MAX_AUTHOR_LENGTH,
    MAX_TITLE_LENGTH,
    JournalNote,
    NoteKind,
    Task,
    check_note,
    check_task,
)

# As kasse/journal.py's: what survives every file format and a URL, so a uid is never quoted or escaped.
_UID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?")
MOMENT_EXAMPLE = "2025-03-04T14:30:00"


def moment_of(text: str) -> datetime:
    """A local time to the second: `2025-03-04T14:30:00` (a space for the T, and no seconds, are read too)."""
    found = _MOMENT.fullmatch(text) if text.isascii() else None
    if found is None:
        raise KasseError(f"'{text}' er ikke et tidspunkt som {MOMENT_EXAMPLE} (lokal tid, uden tidszone)")
    day = iso_date(found[1])
    hour, minute, second = int(found[2]), int(found[3]), int(found[4] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise KasseError(f"klokkeslættet {found[2]}:{found[3]}:{found[4] or '00'} findes ikke")
    return datetime(day.year, day.month, day.day, hour, minute, second)


def moment_text(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class JournalReader:
    """Reads the notes and tasks of one document, collecting problems and the uids seen so far."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.note_uids: dict[str, str] = {}
        self.task_uids: dict[str, str] = {}

    def note(self, item: object, fallback: str) -> JournalNote | None:
        """One note; `fallback` names the record when it has no usable uid (`journal[3]`)."""
        fields = self._fields(item, "notat", fallback, keys.NOTE)
        if fields is None:
            return None
        before = len(self.problems)
        uid = self._uid(fields, "uid", self.note_uids)
        family, person = fields.ref("family"), _optional_ref(fields, "person")
        written_at = _moment(fields, "written_at")
        author = _author(fields)
        kind = fields.enum("kind", NoteKind, required=True)
        text = fields.text("text", required=True)
        corrects = self._uid(fields, "corrects")
        if corrects is not None and corrects == uid:
            fields.report("corrects", "et notat kan ikke rette sig selv")
        if len(self.problems) > before:
            return None
        note = JournalNote(uid, family, person, written_at, author, kind, text, corrects)
        return self._checked(note, check_note, fields.record)

    def task(self, item: object, fallback: str) -> Task | None:
        """One task; `fallback` names the record when it has no usable uid (`tasks[3]`)."""
        fields = self._fields(item, "opgave", fallback, keys.TASK)
        if fields is None:
            return None
        before = len(self.problems)
        uid = self._uid(fields, "uid", self.task_uids)
        family, person = fields.ref("family"), _optional_ref(fields, "person")
        title = _one_line(fields, "title", MAX_TITLE_LENGTH, required=True)
        due, done = _casework_date(fields, "due", required=True), _casework_date(fields, "done")
        created_at = _moment(fields, "created_at")
        author = _author(fields)
        if len(self.problems) > before:
            return None
        return self._checked(Task(uid, family, person, title, due, done, created_at, author), check_task, fields.record)

    def _fields(self, item: object, noun: str, fallback: str, known: tuple[str, ...]) -> Fields | None:
        if not isinstance(item, dict):
            self.problems.append(Problem(fallback, "", "skal være et objekt"))
            return None
        uid = item.get("uid")
        record = f"{noun} {uid}" if isinstance(uid, str) and _UID.fullmatch(uid) else fallback
        return Fields(item, record, "", self.problems, known)

    def _uid(self, fields: Fields, key: str, seen: dict[str, str] | None = None) -> str | None:
        """A uid (`key` "uid": required, and unique among the document's records of its kind, `seen`)."""
        value = fields.text(key, required=seen is not None)
        if value is None:
            return None
        if not _UID.fullmatch(value):
            fields.report(key, "er ugyldigt: 1-64 tegn af bogstaver a-z, cifre og . _ : - (det første et bogstav "
                               "eller ciffer)")  # fmt: skip
            return None
        if seen is not None:
            if value in seen:
                fields.report(key, f"'{value}' bruges allerede af {seen[value]}")
            else:
                seen[value] = fields.record
        return value

    def _checked(self, value, check: Callable[[object], None], record: str):
        """`value` if kasse's own check of a note or task agrees (the fields above should leave it nothing)."""
        try:
            check(value)
        except KasseError as error:
            self.problems.append(Problem(record, "", error.message))
            return None
        return value


def _optional_ref(fields: Fields, key: str) -> str | None:
    if fields.obj.get(key) is None:
        return None
    return fields.ref(key)


def _moment(fields: Fields, key: str) -> datetime | None:
    value = fields.value(key, True)
    if value is None:
        return None
    if not isinstance(value, str):
        fields.report(key, f"skal være et tidspunkt som tekst, fx {MOMENT_EXAMPLE}")
        return None
    return fields.parse(key, _casework_moment, value)


# A note or task dated outside the days of casework (year 0001, 1989) is a typing error: the field says so.
def _casework_moment(text: str) -> datetime:
    moment = moment_of(text)
    check_case_day(moment.date(), "Tidspunktet")
    return moment


def _casework_date(fields: Fields, key: str, *, required: bool = False) -> date | None:
    day = fields.date(key, required=required)
    return None if day is None else fields.parse(key, _casework_day, day)


def _casework_day(day: date) -> date:
    check_case_day(day, "Datoen")
    return day


def _author(fields: Fields) -> str | None:
    return _one_line(fields, "author", MAX_AUTHOR_LENGTH, required=True)


def _one_line(fields: Fields, key: str, limit: int, *, required: bool) -> str | None:
    """Text on one line without control characters, at most `limit` characters (an author, a task's title)."""
    value = fields.text(key, required=required)
    if value is None:
        return None
    if len(value) > limit:
        fields.report(key, f"teksten har {len(value)} tegn (højst {limit})")
    elif _CONTROL.search(value):
        fields.report(key, "skal stå på én linje uden kontroltegn")
    else:
        return value
    return None


# --------------------------------------------------------------------------- what the records name


@dataclass(frozen=True, slots=True)
class StoredRefs:
    """What the database holds of what a file's notes and tasks name: family refs, persons' families by
    person ref, note uids."""

    families: frozenset[str] = frozenset()
    person_families: dict[str, str] | None = None
    note_uids: frozenset[str] = frozenset()


def unknown_refs(
    families: Iterable, notes: Iterable[JournalNote], tasks: Iterable[Task], stored: StoredRefs
) -> list[Problem]:
    """A problem for each note or task naming a family, person or corrected note that neither the file nor the
    database holds, and each task of a person placed in another family than the person's (the file's, else the
    database's)."""
    family_refs = set(stored.families)
    person_families = dict(stored.person_families or {})
    for family in families:
        family_refs.add(family.ref)
        person_families.update((person.ref, family.ref) for person in family.members)
    notes = list(notes)
    note_uids = stored.note_uids | {note.uid for note in notes}
    nowhere = "findes hverken i filen eller i databasen"
    problems = []
    for note in notes:
        record = f"notat {note.uid}"
        # A member's note keeps the family it was written in, which the member may have left (kasse/data/journal.py).
        if note.person_ref is not None and note.person_ref not in person_families:
            problems.append(Problem(record, "person", f"personen {note.person_ref} {nowhere}"))
        elif note.person_ref is None and note.family_ref not in family_refs:
            problems.append(Problem(record, "family", f"familien {note.family_ref} {nowhere}"))
        if note.corrects is not None and note.corrects not in note_uids:
            problems.append(Problem(record, "corrects", f"notatet {note.corrects} {nowhere}"))
    for task in tasks:
        record = f"opgave {task.uid}"
        if task.person_ref is None:
            if task.family_ref not in family_refs:
                problems.append(Problem(record, "family", f"familien {task.family_ref} {nowhere}"))
        elif task.person_ref not in person_families:
            problems.append(Problem(record, "person", f"personen {task.person_ref} {nowhere}"))
        elif person_families[task.person_ref] != task.family_ref:
            where = person_families[task.person_ref]
            problems.append(Problem(record, "family", f"personen {task.person_ref} er i familien {where}, ikke "
                                                      f"{task.family_ref}"))  # fmt: skip
    return problems


# --------------------------------------------------------------------------- writing


def dump_note(note: JournalNote) -> dict:
    """One note as a canonical kasse/v1 object."""
    return {
        "uid": note.uid,
        "family": note.family_ref,
        "person": note.person_ref,
        "written_at": moment_text(note.written_at),
        "author": note.author,
        "kind": note.kind.value,
        "text": note.text,
        "corrects": note.corrects,
    }


def dump_task(task: Task) -> dict:
    """One task as a canonical kasse/v1 object."""
    return {
        "uid": task.uid,
        "family": task.family_ref,
        "person": task.person_ref,
        "title": task.title,
        "due": task.due.isoformat(),
        "done": task.done.isoformat() if task.done is not None else None,
        "created_at": moment_text(task.created_at),
        "author": task.author,
    }
