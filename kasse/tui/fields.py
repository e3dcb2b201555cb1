"""A form field as data: what kind of value it holds, how typed text becomes that value, and back.

Pure and free of Textual. `parse_field` raises KasseError with the Danish
message a form shows under the field; `Section` groups the fields of one
form with the check that spans several of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from kasse.dates import cpr_birth_date, format_date, normalise_cpr, parse_date
from kasse.errors import KasseError

Values = dict[str, Any]


class Kind(Enum):
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes_no"
    NUMBER = "number"
    WHOLE = "whole"
    LINES = "lines"
    CPR = "cpr"


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    options: tuple[tuple[str, Any], ...] = ()  # (Danish label, value) for CHOICE
    hint: str = ""  # placeholder: what to type
    read_only: bool = False
    blank: str = ""  # what an empty CHOICE or YES_NO says, when "(ikke angivet)" would say it wrong


YES_NO = (("Ja", True), ("Nej", False))


def _choices(labels: Mapping[Any, str]) -> tuple[tuple[str, Any], ...]:
    return tuple((label, value) for value, label in labels.items())


def text(key: str, label: str, *, required: bool = False, hint: str = "", read_only: bool = False) -> Field:
    return Field(key, label, Kind.TEXT, required, hint=hint, read_only=read_only)


def day(key: str, label: str, *, required: bool = False) -> Field:
    return Field(key, label, Kind.DATE, required, hint="DD-MM-ÅÅÅÅ")


def choice(key: str, label: str, labels: Mapping[Any, str], *, required: bool = False) -> Field:
    return Field(key, label, Kind.CHOICE, required, _choices(labels))


# ---------------------------------------------------------------- parsing


def parse_field(field: Field, raw: Any) -> Any:
    """A typed value from what the widget holds (text, or the chosen value); None for empty.

    Raises KasseError with a Danish message the form shows under the field.
    """
    if isinstance(raw, str) and field.kind not in (Kind.LINES, Kind.CHOICE, Kind.YES_NO):
        raw = raw.strip()  # not a choice: its codes are StrEnums, and strip() would make them plain str
    empty = raw is None or raw == "" or (field.kind is Kind.LINES and not _lines(raw))
    if empty:
        if field.required:
            raise KasseError("Skal udfyldes")
        return () if field.kind is Kind.LINES else None
    match field.kind:
        case Kind.DATE:
            return parse_date(raw)
        case Kind.NUMBER:
            return _number(raw)
        case Kind.WHOLE:
            return _whole(raw)
        case Kind.LINES:
            return _lines(raw)
        case Kind.CPR:
            cpr_birth_date(raw)  # raises with a Danish message
            return normalise_cpr(raw)
        case _:
            return raw


def _number(raw: str) -> float:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise KasseError(f"'{raw}' er ikke et tal") from None
    if value < 0 or not math.isfinite(value):
        raise KasseError("Skal være et positivt tal")
    return value


def _whole(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise KasseError(f"'{raw}' er ikke et helt tal") from None
    if value < 1:
        raise KasseError("Skal være mindst 1")
    return value


def _lines(raw: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in raw.splitlines() if line.strip())


def show_value(field: Field, value: Any) -> str:
    """The text a field's widget starts with for a stored value."""
    if value is None:
        return ""
    match field.kind:
        case Kind.DATE:
            return format_date(value)
        case Kind.LINES:
            return "\n".join(value)
        case Kind.NUMBER:
            return f"{value:g}".replace(".", ",")
        case _:
            return str(value)


Check = Callable[[Values], dict[str, str]]


@dataclass(frozen=True, slots=True)
class Section:
    """One form: its title, fields, and the check across fields (field key -> Danish message)."""

    key: str
    title: str
    fields: tuple[Field, ...]
    check: Check = lambda values: {}


def after(values: Values, later: str, earlier: str, message: str) -> dict[str, str]:
    a, b = values.get(later), values.get(earlier)
    return {later: message} if a is not None and b is not None and a < b else {}
