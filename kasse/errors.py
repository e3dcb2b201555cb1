"""The one exception a user can cause; its message is Danish and shown as is, and never runs to megabytes."""

from __future__ import annotations

import errno
import re
from collections.abc import Sequence

# A file with thousands of faults lists the first few; `--report FIL` writes every one.
MAX_PROBLEMS_SHOWN = 20
# A value quoted in a message (a ref, a cell) is cut to this many characters.
MAX_VALUE_SHOWN = 60
# A whole problem line, for what the two limits above cannot see (a long value with spaces, unquoted).
MAX_LINE_SHOWN = 300


class KasseError(Exception):
    """A mistake by the user (bad date, unknown ref, missing file) with a Danish message.

    The CLI prints it as one line and exits non-zero; the app shows it as a
    notification. Anything else that escapes is a bug.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shorten(text: str, limit: int = MAX_VALUE_SHOWN) -> str:
    """`text` cut to at most `limit` characters, ending in '…' when anything was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A quoted value ('...'), or a run of characters without a space or quote (a ref in "familie F-1"),
# longer than MAX_VALUE_SHOWN.
_LONG_VALUE = re.compile(rf"'[^'\n]{{{MAX_VALUE_SHOWN + 1},}}'|[^\s']{{{MAX_VALUE_SHOWN + 1},}}")


def _shorten_value(match: re.Match[str]) -> str:
    value = match[0]
    if value.startswith("'") and value.endswith("'") and len(value) > 1:
        return f"'{shorten(value[1:-1])}'"
    return shorten(value)


def shorten_values(line: str) -> str:
    """A message line with each long value in it cut to MAX_VALUE_SHOWN characters, the line to MAX_LINE_SHOWN."""
    return shorten(_LONG_VALUE.sub(_shorten_value, line), MAX_LINE_SHOWN)


_LINE_BREAKS = {ord("\n"): "\u240a", ord("\r"): "\u240d"}  # shown as ␊ and ␍: one problem stays one line


# A CPR number (DDMMYY-SSSS, with or without the dash) in a value a message quotes: the number names a person.
_CPR = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
CPR_HIDDEN = "XXXXXX-XXXX"


def hide_cpr(text: str) -> str:
    """The text with every CPR-shaped number replaced: messages show where a problem is, not whose."""
    return _CPR.sub(CPR_HIDDEN, text)


def problem_list(heading: str, problems: Sequence[object]) -> str:
    """`heading`, then the first MAX_PROBLEMS_SHOWN problems one a line (long values cut, CPR numbers hidden),
    then how many more."""
    lines = [heading, *(f"  {hide_cpr(shorten_values(str(problem).translate(_LINE_BREAKS)))}"
                        for problem in problems[:MAX_PROBLEMS_SHOWN])]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"  ... og {len(problems) - MAX_PROBLEMS_SHOWN} flere fejl")
    return "\n".join(lines)


# Why the system refused a file, in Danish: the operating system's own words (strerror) are English.
_OS_REASONS = {
    errno.ENOENT: "mappen eller filen findes ikke",
    errno.EACCES: "ingen adgang",
    errno.EPERM: "ingen adgang",
    errno.ENAMETOOLONG: "navnet er for langt",
    errno.ENOSPC: "disken er fuld",
    errno.EDQUOT: "din diskkvote er opbrugt",
    errno.EROFS: "disken er skrivebeskyttet",
    errno.EISDIR: "det er en mappe",
    errno.ENOTDIR: "en del af stien er ikke en mappe",
    errno.EEXIST: "den findes allerede",
    errno.ELOOP: "stien har for mange genveje (symbolske links)",
    errno.EIO: "disken svarer ikke (ind/ud-fejl)",
    errno.EBUSY: "den er i brug",
    errno.ETXTBSY: "den er i brug",
    errno.EMFILE: "for mange åbne filer",
}


def os_reason(error: OSError) -> str:
    """Why `error` happened, in Danish words; an unusual one by its code name (EXDEV), never in English."""
    known = _OS_REASONS.get(error.errno) if error.errno is not None else None
    if known is not None:
        return known
    code = errno.errorcode.get(error.errno, str(error.errno)) if error.errno is not None else type(error).__name__
    return f"systemfejl {code}"
