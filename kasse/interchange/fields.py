"""Reading the fields of a decoded JSON object against a record, collecting every problem in Danish.

The building block of kasse's importers: each reader checks one field's
type and value, reports what is wrong as a `Problem` (record, field path,
reason) and carries on, so one pass finds every fault in a file.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kasse.dates import LATEST_DATE, cpr_birth_date, normalise_cpr, parse_iso_date
from kasse.domain import (
    Answer,
    Area,
    Category,
    ConversationForm,
    ExemptReason,
    GoalKind,
    Housing,
    InterventionStatus,
    Phase,
    Role,
    Track,
)
from kasse.errors import KasseError
from kasse.journal import NoteKind
from kasse.safe_text import terminal_safe

# What a caseworker calls a value of each enumeration, for "ukendt kategori 'x'".
ENUM_NOUNS: dict[type[StrEnum], str] = {
    Category: "kategori",
    Role: "rolle",
    Housing: "boligtype",
    ExemptReason: "fritagelsesgrund",
    Answer: "svar",
    GoalKind: "måltype",
    Track: "danskuddannelse",
    Area: "indsatsområde",
    InterventionStatus: "status",
    Phase: "fase",
    ConversationForm: "samtaleform",
    NoteKind: "notattype",
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Half of a UTF-16 pair on its own (a JSON \ud800 escape): no UTF-8 text - so no SQLite text - can hold one.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# The longest text kasse takes in: far above any name or note, and below the 131,072 characters a CSV cell
# may hold when read, so every caseload kasse accepts can be exported as CSV and read back.
MAX_TEXT_LENGTH = 100_000
# The most months between plan follow-ups kasse takes: a century; SQLite's integers would hold far more.
MAX_MONTHS = 1200


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a document: which record, which field (JSON path inside it), and why (Danish)."""

    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        text = f"{self.record}, {self.field}: {self.reason}" if self.field else f"{self.record}: {self.reason}"
        return terminal_safe(text)  # a hostile file's refs and keys are shown, never obeyed by a terminal


class Fields:
    """The fields of one JSON object, read against one record; every fault goes to `problems`.

    A reader returns the value, or None when the field is absent, null or
    wrong (the caller's result is discarded once any problem is recorded).
    """

    __slots__ = ("obj", "path", "problems", "record")

    def __init__(self, obj: dict, record: str, path: str, problems: list[Problem], keys: tuple[str, ...]) -> None:
        self.obj, self.record, self.path, self.problems = obj, record, path, problems
        for key in obj:
            if key not in keys:
                self.report(key, _unknown_key_reason(key, keys))

    def report(self, key: str, reason: str) -> None:
        self.problems.append(Problem(self.record, self.path + key, reason))

    def value(self, key: str, required: bool):
        value = self.obj.get(key)
        if value is None and required:
            self.report(key, "mangler")
        return value

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.value(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.report(key, "skal være tekst")
            return None
        if not self.storable(key, value):
            return None
        if required and not value.strip():
            self.report(key, "må ikke være tom")
        return value

    def storable(self, key: str, value: str) -> bool:
        """Whether the database can hold `value` as it is; if not, say why."""
        if len(value) > MAX_TEXT_LENGTH:
            self.report(key, f"teksten har {len(value)} tegn (højst {MAX_TEXT_LENGTH})")
            return False
        surrogate = _LONE_SURROGATE.search(value)
        if surrogate is not None:
            code = ord(surrogate.group())
            self.report(key, f"teksten indeholder U+{code:04X}, halvdelen af et tegnpar, som ikke kan gemmes")
            return False
        return True

    def ref(self, key: str = "ref") -> str | None:
        """A record's reference: required text without control characters (a NUL or ESC in a ref
        would reach every lookup and screen that names the record)."""
        value = self.text(key, required=True)
        if value is not None and _CONTROL.search(value):
            self.report(key, "må ikke indeholde kontroltegn (fx NUL, tabulator eller linjeskift)")
            return None
        return value

    def date(self, key: str, *, required: bool = False) -> date | None:
        value = self.value(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.report(key, "skal være en dato som tekst på formen ÅÅÅÅ-MM-DD")
            return None
        return self.parse(key, iso_date, value)

    def enum(self, key: str, kind: type[StrEnum], *, required: bool = False) -> StrEnum | None:
        value = self.value(key, required)
        if value is None:
            return None
        if isinstance(value, str):  # never kind(list): its error message would repr the whole value
            try:
                return kind(value)
            except ValueError:
                pass
        what = f"ukendt {ENUM_NOUNS[kind]} '{value}'" if isinstance(value, str) else "skal være tekst"
        self.report(key, f"{what} (tilladt: {', '.join(kind)})")
        return None

    def boolean(self, key: str, *, required: bool = False) -> bool | None:
        value = self.value(key, required)
        if value is None or isinstance(value, bool):
            return value
        self.report(key, "skal være true eller false")
        return None

    def number(self, key: str) -> float | None:
        """A non-negative JSON number (not a boolean), as a float."""
        value = self.value(key, False)
        if value is None:
            return None
        number = _as_float(value)
        if number is None or not math.isfinite(number):
            self.report(key, "skal være et tal")
        elif number < 0:
            self.report(key, "må ikke være negativ")
        else:
            return number
        return None

    def months(self, key: str) -> int | None:
        """A whole number of months, at least 1 (6.0 is read as 6)."""
        value = self.value(key, False)
        if value is None:
            return None
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if isinstance(value, bool) or not whole:
            self.report(key, "skal være et helt antal måneder")
        elif value < 1:
            self.report(key, "skal være mindst 1")
        elif value > MAX_MONTHS:
            self.report(key, f"højst {MAX_MONTHS} måneder")
        else:
            return int(value)
        return None

    def texts(self, key: str) -> tuple[str, ...]:
        items = self.items(key)
        for index, item in enumerate(items):
            if not isinstance(item, str):
                self.report(f"{key}[{index}]", "skal være tekst")
            else:
                self.storable(f"{key}[{index}]", item)
        return tuple(items)

    def items(self, key: str, *, required: bool = False) -> list:
        value = self.value(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(key, "skal være en liste")
            return []
        return value

    def child(self, key: str, keys: tuple[str, ...]) -> Fields | None:
        """The sub-object at `key` (absent or null: None)."""
        return self.nested(self.obj.get(key), key, keys)

    def nested(self, value: object, key: str, keys: tuple[str, ...]) -> Fields | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.report(key, "skal være et objekt")
            return None
        return Fields(value, self.record, f"{self.path}{key}.", self.problems, keys)

    def parse(self, key: str, parser, value: str):
        try:
            return parser(value)
        except KasseError as error:
            self.report(key, _as_reason(error.message))
            return None


EMPTY = Fields({}, "", "", [], ())


def _as_float(value: object) -> float | None:
    """A JSON number as a float (inf for an integer too big for one); None for anything else, booleans too."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _unknown_key_reason(key: str, keys: tuple[str, ...]) -> str:
    # No key is near a key of hundreds of characters, and comparing one costs time a hostile file could multiply.
    close = difflib.get_close_matches(key, keys, n=1) if len(key) <= 100 else []
    return f"ukendt felt (mente du '{close[0]}'?)" if close else "ukendt felt"


def _as_reason(message: str) -> str:
    """A dates.py message as a reason after a colon: 'Datoen ...' -> 'datoen ...' (acronyms kept)."""
    if len(message) > 1 and message[0].isupper() and not message[1].isupper():
        return message[0].lower() + message[1:]
    return message


@functools.lru_cache(maxsize=8192)  # a caseload repeats the same few thousand dates
def iso_date(text: str) -> date:
    if not text.isascii():
        raise KasseError(f"'{text}' er ikke en dato på formen ÅÅÅÅ-MM-DD")
    try:
        day = parse_iso_date(text)
    except KasseError:
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            raise KasseError(f"datoen {text} findes ikke") from None
        raise
    if day > LATEST_DATE:  # the deadlines computed from it would pass year 9999
        raise KasseError(f"datoen {text} ligger for langt ude i fremtiden (senest {LATEST_DATE.isoformat()})")
    return day


def cpr_of(text: str) -> tuple[str, date]:
    """The normalised CPR number and the birth date it encodes."""
    if not text.isascii():
        raise KasseError("CPR-nummeret skal have formen DDMMÅÅ-SSSS")
    return normalise_cpr(text), cpr_birth_date(text)
