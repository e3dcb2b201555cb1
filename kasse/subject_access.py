"""A subject access (GDPR art. 15): everything kasse holds about one person, as one JSON-ready record.

Pure: given the person's and family's facts (kasse/v1 objects), their
journal notes, tasks, audit rows and access-log entries, and the day of
extraction, it picks what concerns the person and lays it out with English
keys (docs/format.md, "Subject access"). The deadlines are the engine's, on
that day. Another member's facts are never in it; a note written on the
whole family is, when it names the person (their name, first name or ref).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kasse.access_log import AccessEntry, entry_record
from kasse.domain import Family, Person
from kasse.journal import JournalNote, Task
from kasse.policy import DEFAULT_POLICY, Policy
from kasse.rules import Deadline, family_deadlines

FORMAT = "kasse/subject-access/v1"


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One row of the audit trail, as stored (values are the store's text: ISO dates, JSON for whole records)."""

    at: str
    actor: str
    table: str  # "person" or "task"
    record: str  # the person's ref, or the task's uid
    field: str  # a kasse/v1 path, or "*" for the whole record created or deleted
    old_value: str | None
    new_value: str | None


def names_person(text: str, person: Person) -> bool:
    """Whether `text` names the person: their full name, first name or ref, as whole words, in any case."""
    first = person.name.split()[0] if person.name.split() else ""
    names = {person.name, person.ref} | ({first} if len(first) > 1 else set())
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) for name in names if name)


def concerning(notes: Iterable[JournalNote], person: Person) -> list[JournalNote]:
    """The notes about the person, and those on their family as a whole that name them."""
    return [note for note in notes
            if note.person_ref == person.ref or (note.person_ref is None and names_person(note.text, person))]


def subject_access(
    family: Family,
    person: Person,
    *,
    person_facts: dict,
    family_facts: dict,
    notes: Sequence[JournalNote],
    tasks: Sequence[Task],
    audit: Sequence[AuditRow],
    looks: Sequence[AccessEntry],
    extracted_on: date,
    policy: Policy = DEFAULT_POLICY,
) -> dict:
    """The record of everything about `person` (a member of `family`) on `extracted_on`.

    `family_facts` is the family's kasse/v1 object; its members are left
    out (each is someone else's data), its plan and checklist kept, since
    they concern the whole family.
    """
    found = family_deadlines(family, today=extracted_on, window=policy.window_days, policy=policy)
    return {
        "format": FORMAT,
        "extracted_on": extracted_on.isoformat(),
        "person": person_facts,
        "family": {key: value for key, value in family_facts.items() if key != "members"},
        "deadlines": [_deadline(deadline) for deadline in found if deadline.person in (person.ref, None)],
        "tasks": [_task(task) for task in tasks if task.person_ref == person.ref],
        "journal": [_note(note) for note in concerning(notes, person)],
        "audit": [_audit(row) for row in audit],
        "access_log": [entry_record(entry) for entry in looks],
    }


def _deadline(deadline: Deadline) -> dict:
    """A deadline in the lookups' shape (docs/format.md), as on the day of extraction."""
    return {
        "family": deadline.family,
        "person": deadline.person,
        "name": deadline.name,
        "rule": str(deadline.rule),
        "title": deadline.title,
        "due": deadline.due.isoformat(),
        "status": deadline.status.value,
        "days": deadline.days,
        "met_date": deadline.met_date.isoformat() if deadline.met_date else None,
        "ruleset": deadline.ruleset.value,
        "basis": deadline.basis,
    }


def _task(task: Task) -> dict:
    return {"uid": task.uid, "title": task.title, "due": task.due.isoformat(),
            "done": task.done.isoformat() if task.done else None, "author": task.author,
            "created_at": task.created_at.isoformat()}


def _note(note: JournalNote) -> dict:
    return {"uid": note.uid, "family": note.family_ref, "person": note.person_ref,
            "written_at": note.written_at.isoformat(), "author": note.author, "kind": note.kind.value,
            "text": note.text, "corrects": note.corrects}


def _audit(row: AuditRow) -> dict:
    return {"at": row.at, "actor": row.actor, "table": row.table, "record": row.record, "field": row.field,
            "old_value": row.old_value, "new_value": row.new_value}
