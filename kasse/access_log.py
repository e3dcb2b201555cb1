"""What the access log records: one look at a person or a family - who, when, with which command.

A public authority must be able to say who has seen a citizen's data
(GDPR art. 5(2) and 32, and the citizen's right of access, art. 15), so
kasse logs every look before it shows anything; the rows are kept by
kasse/data/access_log.py. Pure values: no database, no UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

# What a purge writes in place of a ref (the database lets no other change through).
ANONYMISED = "anonymiseret"

# The command as the log stores it -> as the caseworker reads it.
COMMAND_WORDS = {
    "show": "kasse show",
    "journal": "kasse journal",
    "export": "kasse export",
    "export subject-access": "kasse export --subject-access",
    "print contract": "kasse print contract",
    "print plan": "kasse print plan",
    "print deadlines": "kasse print deadlines",
    "app": "åbnet i kasse",
}
KIND_WORDS = {"person": "person", "family": "familie"}


@dataclass(frozen=True, slots=True)
class AccessEntry:
    """One look: at a person (`record_kind` "person") or a whole family ("family"), in `family_ref` then."""

    at: datetime  # aware, UTC
    actor: str
    command: str  # a key of COMMAND_WORDS
    record_kind: str
    record_ref: str
    family_ref: str

    @property
    def stamp(self) -> str:
        """The time as the log stores it: UTC ISO to the millisecond, as the audit trail does."""
        return self.at.astimezone(UTC).isoformat(timespec="milliseconds")


def look(family_ref: str, person_ref: str | None, *, at: datetime, actor: str, command: str) -> AccessEntry:
    """The entry for a look at one person of a family, or at the family itself (`person_ref` None)."""
    if person_ref is None:
        return AccessEntry(at, actor, command, "family", family_ref, family_ref)
    return AccessEntry(at, actor, command, "person", person_ref, family_ref)


def entry_record(entry: AccessEntry) -> dict:
    """The entry as `kasse access-log --json` and the subject-access file write it (docs/format.md)."""
    return {
        "at": entry.stamp,
        "actor": entry.actor,
        "command": entry.command,
        "record_kind": entry.record_kind,
        "record": entry.record_ref,
        "family": entry.family_ref,
    }


def command_words(command: str) -> str:
    return COMMAND_WORDS.get(command, command)
