"""JSON files in and out: decode a UTF-8 file with Danish errors, write JSON whole or to standard output.

Format-neutral: kasse/v1 (`v1.py`) and any other JSON kasse reads or writes
go through here, so every file error reads the same to the caseworker.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kasse.errors import KasseError, shorten
from kasse.interchange.textfile import read_utf8, replace_file
from kasse.safe_text import terminal_safe

_JSON_MESSAGES = {
    "Expecting value": "forventede en værdi",
    "Expecting ',' delimiter": "forventede et komma",
    "Expecting ':' delimiter": "forventede et kolon",
    "Expecting property name enclosed in double quotes": "forventede et feltnavn i dobbelte anførselstegn",
    "Unterminated string starting at": 'teksten slutter aldrig (mangler ")',
    "Invalid control character at": "ugyldigt kontroltegn i tekst",
    "Invalid \\escape": "ugyldig \\-sekvens i tekst",
    "Invalid \\uXXXX escape": "ugyldig \\u-sekvens i tekst",
    "Extra data": "mere indhold efter JSON-dokumentets afslutning",
}


# The most digits of a whole number kasse reads: more than any field holds (Python refuses over 4,300).
MAX_DIGITS = 100


class _NotJson(ValueError):
    """A construct Python's json accepts but JSON does not (NaN, Infinity, a repeated key)."""


class _TooLarge(ValueError):
    """Valid JSON that kasse will not read: a whole number of thousands of digits."""


def _reject_constant(name: str) -> None:
    raise _NotJson(f"{name} er ikke gyldig JSON")


def _bounded_int(digits: str) -> int:
    """A JSON integer, refused past MAX_DIGITS digits (past 4,300 Python's own int() raises a bare ValueError)."""
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _TooLarge(f"et heltal med {len(digits.lstrip('-'))} cifre er for stort (højst {MAX_DIGITS})")
    return int(digits)


def _pairs_without_duplicates(pairs: list[tuple[str, object]]) -> dict:
    """An object's dict, refusing a repeated key: the earlier value would silently be lost."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _NotJson(f"feltet '{terminal_safe(shorten(key))}' står to gange i samme objekt")
            seen.add(key)
    return result


def load_json_file(path: str | Path) -> object:
    """The decoded JSON of a UTF-8 file ('-' reads standard input); Danish KasseErrors for every way it fails."""
    name = str(path)
    text = read_utf8(path)
    try:
        return json.loads(
            text, parse_constant=_reject_constant, parse_int=_bounded_int, object_pairs_hook=_pairs_without_duplicates
        )
    except json.JSONDecodeError as error:
        reason = _JSON_MESSAGES.get(error.msg, error.msg)
        raise KasseError(
            f"Filen {name} er ikke gyldig JSON: linje {error.lineno}, kolonne {error.colno}: {reason}"
        ) from None
    except _NotJson as error:
        raise KasseError(f"Filen {name} er ikke gyldig JSON: {error}") from None
    except _TooLarge as error:
        raise KasseError(f"Filen {name} kan ikke læses: {error}") from None
    except RecursionError:  # nested about a thousand deep (Python's limit); kasse's own files nest under ten
        raise KasseError(f"Filen {name} kan ikke læses: dens lister og objekter er indlejret for dybt") from None


def dumps(doc: object) -> str:
    """The text kasse writes for a JSON value: UTF-8 characters as is, indent 2, trailing newline."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_json(doc: object, path_or_dash: str | Path) -> None:
    """Write `doc` as JSON to a file (replaced whole, never half-written) or to standard output for '-'."""
    text = dumps(doc)
    if str(path_or_dash) == "-":
        _write_stdout(text)
        return
    replace_file(Path(path_or_dash), text.encode("utf-8"))


def _write_stdout(text: str) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
