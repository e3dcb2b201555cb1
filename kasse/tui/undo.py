"""Undo of the last change this app session saved through a form: its fields set back, as a new audited save.

The caseload remembers the last save of a family or of persons it read (the
records before and after). Undoing puts back, on the records as they now
stand, only the fields that save changed - a change someone made since to
another field stays. If one of those fields no longer holds the value the
save gave it (someone changed it since), the undo is refused and nothing is
written; the store's version check refuses a change made in between.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kasse.data.audit import differences
from kasse.data.stale_edit import field_word
from kasse.domain import Family, Person
from kasse.errors import KasseError

Record = Family | Person
_MISSING = object()  # a path through a part that is not recorded (no decision on an unaccompanied minor)


@dataclass(frozen=True, slots=True)
class SavedEdit:
    """One save through a form: the family it was made in, and each record before and after it (a family
    without its members: their changes are records of their own)."""

    family_ref: str
    records: tuple[tuple[Record, Record], ...]

    @property
    def fields(self) -> list[str]:
        """The Danish names of the fields the save changed, each once, in order."""
        found = [field_word(path) for before, after in self.records for path, _, _ in differences(before, after)]
        return list(dict.fromkeys(found))


class UndoRefused(KasseError):
    """The undo would overwrite a change made since; nothing was written."""


def reverted(edit: SavedEdit, current: Sequence[Record | None]) -> list[Record]:
    """Each record of `edit` as it stands now (`current`, in the same order; None: deleted or moved away) with
    the fields the save changed set back to their values before it. Refused (UndoRefused) if a record is gone
    or one of those fields has changed since."""
    found, moved = [], []
    for (before, after), now in zip(edit.records, current, strict=True):
        if now is None:
            raise UndoRefused(f"Kan ikke fortryde: {_named(after)} findes ikke længere i familien. Intet er ændret.")
        changes = list(differences(before, after))
        changed_since = [field_word(path) for path, _, new in changes if _value_at(now, path) != new]
        if not changed_since:
            for path, old, _ in changes:
                now = _with_value(now, path, old)
        moved += changed_since
        found.append(now)
    if moved:
        fields = ", ".join(dict.fromkeys(moved))
        raise UndoRefused(f"Kan ikke fortryde: {fields} er ændret siden din ændring. Intet er ændret.")
    return found


def _named(record: Record) -> str:
    return f"familien {record.ref}" if isinstance(record, Family) else f"personen {record.ref}"


def _value_at(record: Any, path: str) -> Any:
    for name in path.split("."):
        if record is None or not dataclasses.is_dataclass(record):
            return _MISSING
        record = getattr(record, name)
    return record


def _with_value(record: Any, path: str, value: Any) -> Any:
    name, _, rest = path.partition(".")
    if rest:
        value = _with_value(getattr(record, name), rest, value)
    return dataclasses.replace(record, **{name: value})


def undo_last(app: Any) -> None:
    """ctrl+z: undo the app's last save through a form, in a worker, with a Danish word either way."""
    edit = app.caseload.last_edit
    if edit is None:
        app.notify("Intet at fortryde: du har ikke gemt en ændring i en formular, siden kasse blev åbnet.",
                   title="Fortryd", severity="warning")
        return
    app.save(lambda caseload: caseload.undo_last_edit(), edit.family_ref, f"Fortrudt: {', '.join(edit.fields)}.")
