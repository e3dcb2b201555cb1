"""A family's history in one timeline: journal notes, follow-up conversations, deadlines met and audited changes.

Pure: the caller passes in what was read (notes, audit rows, the family and
its deadlines) and the Danish labels of the fields (the forms' words, by the
kasse/v1 path the audit trail names a field by); this module puts them in
one list, newest first, says each change in words ("Kontrakt underskrevet
ændret fra – til 05-02-2025 af anna"), and filters by kind and text.

Time. Notes are written in naive local time, conversations and deadlines
are dates, and the audit trail's `at` is UTC: a change is shown in local
time (`zone`, default the machine's), a date sorts at the start of its day.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from enum import StrEnum
from typing import Any

from kasse import words
from kasse.dates import format_date
from kasse.domain import Family
from kasse.errors import shorten
from kasse.journal import JournalNote, corrected_by
from kasse.rules import Deadline, Status

EMPTY = "–"  # an empty value, as the sentence shows it
VALUE_SHOWN = 60  # characters of a text value in a sentence
WHOLE_RECORD = "*"  # the audit trail's field for a record created or deleted (kasse/data/audit.py)


class EntryKind(StrEnum):
    NOTE = "note"
    CONVERSATION = "conversation"
    DEADLINE_MET = "deadline_met"
    CHANGE = "change"


KIND_WORDS = {
    EntryKind.NOTE: "Notat",
    EntryKind.CONVERSATION: "Samtale",
    EntryKind.DEADLINE_MET: "Frist opfyldt",
    EntryKind.CHANGE: "Ændring",
}


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit row as read: when (UTC ISO text), who, which record of which table, which field, old and new."""

    at: str
    actor: str
    table: str
    record: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the timeline; `person` is the member it is about (a ref), None for the family's own."""

    when: datetime  # naive local time; a date-only entry at midnight
    kind: EntryKind
    who: str | None
    words: str
    person: str | None
    timed: bool = True  # False: only the day is known
    full: str = ""  # all that was written (a note's every line), where `words` shows only its start

    @property
    def when_shown(self) -> str:
        """'05-02-2025 14:30', or '05-02-2025' for an entry known by its day."""
        day = format_date(self.when.date())
        return f"{day} {self.when:%H:%M}" if self.timed else day


# -- the timeline ----------------------------------------------------------------------------------


def timeline(
    family: Family,
    *,
    notes: Iterable[JournalNote] = (),
    changes: Iterable[AuditRecord] = (),
    deadlines: Iterable[Deadline] = (),
    labels: Mapping[str, str] | None = None,
    zone: tzinfo | None = None,
) -> list[Entry]:
    """Every entry of a family's history, newest first (ties: changes, notes, conversations, deadlines met)."""
    labels = labels or {}
    changes = list(changes)
    task_titles = _task_titles(changes)
    entries = [
        *_note_entries(list(notes)),
        *_conversations(family),
        *(_met_entry(deadline) for deadline in deadlines if deadline.status in (Status.MET, Status.MET_LATE)
          and deadline.met_date is not None),
        *(_change_entry(change, labels, task_titles, zone) for change in changes),
    ]
    order = {EntryKind.CHANGE: 0, EntryKind.NOTE: 1, EntryKind.CONVERSATION: 2, EntryKind.DEADLINE_MET: 3}
    # Stable sorts: at the same moment, entries of a kind keep the order given (one save's fields as written).
    entries.sort(key=lambda entry: order[entry.kind])
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def select(
    entries: Iterable[Entry],
    *,
    kinds: Iterable[EntryKind] | None = None,
    person: str | None = None,
    text: str = "",
) -> list[Entry]:
    """The entries of `kinds` (all if None), about `person` (a ref; None: the whole family), holding every word
    of `text` in their words, author or time, whatever the case (`å` matches `aa`, as the journal's search)."""
    wanted = set(kinds) if kinds is not None else None
    searched = _fold(text).split()
    found = []
    for entry in entries:
        if wanted is not None and entry.kind not in wanted:
            continue
        if person is not None and entry.person != person:
            continue
        if searched:
            haystack = _fold(f"{entry.words} {entry.full} {entry.who or ''} {entry.when_shown} {KIND_WORDS[entry.kind]}")
            if not all(word in haystack for word in searched):
                continue
        found.append(entry)
    return found


def _fold(text: str) -> str:
    return text.casefold().replace("å", "aa")


def _note_entries(notes: list[JournalNote]) -> list[Entry]:
    """Each note by its first line; a correction says so, and so does the note it corrects ("rettet ved ...")."""
    by_uid = {note.uid: note for note in notes}
    corrections = corrected_by(notes)
    entries = []
    for note in notes:
        first_line = note.text.strip().splitlines()[0] if note.text.strip() else ""
        said = f"{words.NOTE_KIND[note.kind].capitalize()}: {shorten(first_line, VALUE_SHOWN)}"
        full = [note.text]
        corrected = by_uid.get(note.corrects) if note.corrects else None
        if note.corrects is not None:
            said += " (rettelse)"
            if corrected is not None:
                full.append(f"Retter notatet fra {_moment(corrected.written_at)}.")
        if note.uid in corrections:
            said += " (rettet)"
            full += [f"Rettet ved notatet fra {_moment(by_uid[uid].written_at)}." for uid in corrections[note.uid]]
        entries.append(Entry(note.written_at, EntryKind.NOTE, note.author, said, note.person_ref,
                             full="\n\n".join(full)))
    return entries


def _moment(at: datetime) -> str:
    return f"{format_date(at.date())} {at:%H:%M}"


def _conversations(family: Family) -> list[Entry]:
    found = []
    for followup in family.plan.followups:
        said = "Opfølgning på familiens plan" + (f": {shorten(followup.note, VALUE_SHOWN)}" if followup.note else "")
        found.append(_day_entry(followup.date, EntryKind.CONVERSATION, said, None, full=followup.note or ""))
    for person in family.members:
        for talk in person.contract.followups:
            form = f" ({words.CONVERSATION_FORM[talk.form].lower()})" if talk.form else ""
            said = f"Opfølgningssamtale om kontrakten{form}" + (f": {shorten(talk.note, VALUE_SHOWN)}" if talk.note
                                                                  else "")
            found.append(_day_entry(talk.date, EntryKind.CONVERSATION, said, person.ref, full=talk.note or ""))
    return found


def _met_entry(deadline: Deadline) -> Entry:
    late = " (for sent)" if deadline.status is Status.MET_LATE else ""
    said = f"{deadline.title}{late}, frist {format_date(deadline.due)}"
    return _day_entry(deadline.met_date, EntryKind.DEADLINE_MET, said, deadline.person)


def _day_entry(day: date, kind: EntryKind, said: str, person: str | None, full: str = "") -> Entry:
    return Entry(datetime.combine(day, time.min), kind, None, said, person, timed=False, full=full)


# -- changes in words ------------------------------------------------------------------------------

# The Danish words of the codes a field holds, by the field's kasse/v1 path.
_CODE_WORDS: dict[str, Mapping[Any, str]] = {
    "category": words.CATEGORY,
    "role": words.ROLE,
    "housing": words.HOUSING,
    "programme.exempt_reason": words.EXEMPT_REASON,
    "plan_offer.answer": words.ANSWER,
    "contract.goal_kind": words.GOAL_KIND,
}
_TASK_LABELS = {"title": "Titel", "due": "Frist", "done": "Udført"}
_RECORD_WORDS = {"family": "Familien", "person": "Personen", "task": "Opgaven"}


def describe_change(
    field: str, old: str | None, new: str | None, actor: str, labels: Mapping[str, str] | None = None
) -> str:
    """One audited change of a field as a sentence: 'Kontrakt underskrevet ændret fra – til 05-02-2025 af anna'.

    `field` is the kasse/v1 path, `old` and `new` the values as the audit trail writes them (kasse/data/audit.py:
    ISO dates, 'true'/'false', codes, numbers, JSON for lists); `labels` names the fields (a form's words: a
    trailing 'den' is dropped, the sentence says when).
    """
    label = (labels or {}).get(field, field).removesuffix(" den")
    codes = _CODE_WORDS.get(field, {})
    return f"{label} ændret fra {value_words(old, codes)} til {value_words(new, codes)} af {actor}"


def value_words(stored: str | None, codes: Mapping[Any, str] | None = None) -> str:
    """A value as the audit trail holds it, as a sentence shows it: dates DD-MM-YYYY, empty as '–', yes/no,
    codes in Danish, numbers with a decimal comma, lists by their length, long texts cut short."""
    if stored is None or stored == "" or stored in ("[]", "null"):
        return EMPTY
    if stored in ("true", "false"):
        return "ja" if stored == "true" else "nej"
    for code, word in (codes or {}).items():
        if stored == str(code):
            return word
    day = _iso_date(stored)
    if day is not None:
        return format_date(day)
    if stored[0] in "[{":
        parsed = _json(stored)
        if isinstance(parsed, list):
            return f"{len(parsed)} {'punkt' if len(parsed) == 1 else 'punkter'}"
        if isinstance(parsed, dict):
            return "registreret"
    if _is_number(stored):
        return stored.removesuffix(".0").replace(".", ",")
    return f"'{shorten(' '.join(stored.split()), VALUE_SHOWN)}'"


def _change_entry(change: AuditRecord, labels: Mapping[str, str], task_titles: Mapping[str, str],
                  zone: tzinfo | None) -> Entry:
    return Entry(_local(change.at, zone), EntryKind.CHANGE, change.actor, _change_words(change, labels, task_titles),
                 _person_of(change))


def _change_words(change: AuditRecord, labels: Mapping[str, str], task_titles: Mapping[str, str]) -> str:
    if change.table == "task":
        title = task_titles.get(change.record)
        prefix = f"Opgaven '{shorten(title, VALUE_SHOWN)}'" if title else "Opgaven"
        if change.field == WHOLE_RECORD:
            return f"{prefix} {'oprettet' if change.old is None else 'slettet'} af {change.actor}"
        return f"{prefix}: " + describe_change(change.field, change.old, change.new, change.actor, _TASK_LABELS)
    if change.field == WHOLE_RECORD:
        what = _RECORD_WORDS.get(change.table, change.table.capitalize())
        record = _json(change.new if change.old is None else change.old)
        name = record.get("name") if isinstance(record, dict) else None
        named = f"{what} {name if isinstance(name, str) else change.record}"
        return f"{named} {'oprettet' if change.old is None else 'slettet'} af {change.actor}"
    return describe_change(change.field, change.old, change.new, change.actor, labels)


def _person_of(change: AuditRecord) -> str | None:
    if change.table == "person":
        return change.record
    if change.table == "task" and change.field == WHOLE_RECORD:
        record = _json(change.new or change.old)
        person = record.get("person") if isinstance(record, dict) else None
        return person if isinstance(person, str) else None
    return None


def _task_titles(changes: list[AuditRecord]) -> dict[str, str]:
    """A task's uid -> its title, as its latest audit rows say (created with one, maybe renamed since)."""
    titles: dict[str, str] = {}
    for change in changes:
        if change.table != "task":
            continue
        if change.field == WHOLE_RECORD:
            record = _json(change.new or change.old)
            if isinstance(record, dict) and isinstance(record.get("title"), str):
                titles[change.record] = record["title"]
        elif change.field == "title" and change.new:
            titles[change.record] = change.new
    return titles


def _local(at: str, zone: tzinfo | None) -> datetime:
    """The audit trail's UTC time as naive local time (a time without a zone is taken as UTC)."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return datetime.min
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(zone).replace(tzinfo=None)
    except OverflowError:  # at the ends of the calendar
        return moment.replace(tzinfo=None)


def _iso_date(text: str) -> date | None:
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower() not in ("nan", "inf", "-inf", "infinity", "-infinity")


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
