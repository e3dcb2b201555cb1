"""What the audit trail says about a change: who made it, which fields differ, and how values are written.

Records are families and persons, named by ref. A field is named by its
kasse/v1 path (`danish.hours_per_week`, `plan.made_date`); a list is one
field compared whole (`goals`, `plan.followups`, `contract.followups`)
and written as JSON; `*` stands for a whole record created or deleted, whose
value is then JSON. The store writes the rows; this module only describes
them.
"""

from __future__ import annotations

import dataclasses
import functools
import getpass
import json
import os
from collections.abc import Iterator
from datetime import date
from typing import Any

from kasse.domain import Family, Person

USER_ENV = "KASSE_USER"
WHOLE_RECORD = "*"


def current_actor(actor: str | None = None) -> str:
    """Who is writing: the given name, else $KASSE_USER, else the operating system's user."""
    if actor:
        return actor
    if os.environ.get(USER_ENV):
        return os.environ[USER_ENV]
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "ukendt"


def differences(old: Any, new: Any, prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(kasse/v1 path, old, new) for each differing field; nested parts are walked, lists compared whole."""
    for name in _field_names(type(new)):
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        path = prefix + name
        if dataclasses.is_dataclass(after) and type(before) is type(after):
            yield from differences(before, after, path + ".")
        else:
            yield path, before, after


def family_record(family: Family) -> dict[str, Any]:
    record = _json_ready(family)
    del record["members"]  # each member has its own audit rows
    return record


def person_record(person: Person, family_ref: str) -> dict[str, Any]:
    return {"family": family_ref, **_json_ready(person)}


def _json_ready(value: Any) -> dict[str, Any]:
    return {name: getattr(value, name) for name in _field_names(type(value))}


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind))


def audit_text(value: Any) -> str | None:
    """How a value is written in the audit trail: plain text for scalars, JSON for records and lists."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return str(value)  # an enum gives its value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return _json_ready(value)
    raise TypeError(f"Cannot audit {type(value).__name__}")
