"""What went wrong, as the caseworker reads it: one Danish line saying what happened and what to do, no personal data.

The CLI's `main()` and the app's `report()` both ask `explain(error)`. An
expected failure - the user's mistake (`KasseError`), a database another
program holds, a full disk, a read-only or damaged file, a value SQLite
refuses - gets its line, chosen by exception type and SQLite error code.
Nothing else is expected: it is a bug, `explain` returns None, and the
caller says so in one line and writes `write_crash_report` - the traceback's
frames and exception types, but never an exception's own text, which may
quote a name, a CPR number or an SQL statement's values.

Light on purpose (no SQLAlchemy, no Textual): the CLI imports it only when
something has gone wrong.
"""

from __future__ import annotations

import errno
import os
import platform
import sqlite3
import traceback
from datetime import UTC, datetime
from pathlib import Path

from kasse.errors import KasseError, os_reason, shorten

# The exit status of a bug (sysexits.h EX_SOFTWARE), apart from a user's mistake (1) and a bad config (2).
EXIT_UNEXPECTED = 70
CRASH_FOLDER = "fejlrapporter"
# Longest line and most lines the CLI prints for one error, whatever raised it.
MAX_MESSAGE_LINE = 500
MAX_MESSAGE_LINES = 30

BUSY = "Databasen er optaget af et andet program - prøv igen om lidt."
FULL = "Disken er fuld - intet er gemt. Frigør plads på disken, og prøv igen."
READ_ONLY = (
    "Databasen er skrivebeskyttet - intet er gemt. Tjek at du har skriveadgang til filen og dens mappe, "
    "og at disken ikke er skrivebeskyttet."
)
CANNOT_OPEN = "Databasefilen kan ikke åbnes - tjek at mappen findes, og at du har adgang til den og til filen."
DAMAGED = (
    "Databasefilen er ikke en kasse-database, eller den er beskadiget - kør 'kasse check', "
    "og gendan evt. en sikkerhedskopi med 'kasse restore'."
)
IO_ERROR = (
    "Databasefilen kunne ikke læses eller skrives (I/O-fejl) - intet er gemt. Tjek at disken er tilsluttet "
    "og ikke fuld, og kør 'kasse check'."
)
NO_MEMORY = "Der var ikke hukommelse nok - intet er gemt. Luk andre programmer, og prøv igen."
VALUE_REFUSED = (
    "Databasen afviste en værdi ({code}) - intet er gemt. Tjek filen eller feltet for usædvanlige tegn "
    "eller meget store tal, og prøv igen."
)
DATABASE_ERROR = "Databasefejl ({code}) - intet er gemt. Kør 'kasse check'."

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_LINES = {
    3: CANNOT_OPEN,  # SQLITE_PERM
    5: BUSY,  # SQLITE_BUSY: the busy timeout passed
    6: BUSY,  # SQLITE_LOCKED
    7: NO_MEMORY,  # SQLITE_NOMEM
    8: READ_ONLY,  # SQLITE_READONLY
    10: IO_ERROR,  # SQLITE_IOERR
    11: DAMAGED,  # SQLITE_CORRUPT
    13: FULL,  # SQLITE_FULL
    14: CANNOT_OPEN,  # SQLITE_CANTOPEN
    23: CANNOT_OPEN,  # SQLITE_AUTH
    24: DAMAGED,  # SQLITE_FORMAT
    26: DAMAGED,  # SQLITE_NOTADB
}
# A value the database will not hold: too big, the wrong type, out of range, a constraint (a NUL in a ref).
_SQLITE_VALUE_CODES = frozenset({18, 19, 20, 25})  # TOOBIG, CONSTRAINT, MISMATCH, RANGE
# What the sqlite3 module raises itself, before SQLite sees a value: a lone surrogate, an int over 64 bits.
_VALUE_ERRORS = (sqlite3.DataError, OverflowError, UnicodeError, ValueError)


def explain(error: BaseException) -> str | None:
    """The Danish line for an expected failure; None when `error` is a bug."""
    if isinstance(error, KasseError):
        return error.message
    original = getattr(error, "orig", None)
    if type(error).__module__.startswith("sqlalchemy"):
        # SQLAlchemy's own text quotes the SQL (and, without hide_parameters, its values): only its cause counts.
        return _explain_driver_error(original) if isinstance(original, BaseException) else None
    if isinstance(error, sqlite3.Error):
        return _explain_sqlite(error)
    if isinstance(error, OSError):
        return _explain_os(error)
    if isinstance(error, MemoryError):
        return NO_MEMORY
    if isinstance(error, _VALUE_ERRORS) and _raised_in_driver(error):
        # SQLAlchemy passes on what the driver raises before SQLite runs: a lone surrogate, an int over 64 bits.
        return VALUE_REFUSED.format(code=type(error).__name__)
    return None


def describe(error: BaseException) -> str:
    """A Danish line for any error: `explain`'s, or that kasse met a bug."""
    return explain(error) or unexpected_line(error, None)


def unexpected_line(error: BaseException | None, report: Path | None) -> str:
    """What a bug looks like to the caseworker: its kind, that the work was stopped, where the report is."""
    kind = type(error).__name__ if error is not None else "ukendt"
    where = f" En fejlrapport uden persondata er gemt i {report}." if report is not None else ""
    return f"Uventet fejl i kasse ({kind}) - handlingen blev afbrudt, og en halvfærdig ændring er ikke gemt.{where}"


def for_terminal(message: str) -> str:
    """A message as the CLI prints it: control characters made visible, each line and the number of lines capped."""
    from kasse.errors import hide_cpr
    from kasse.safe_text import terminal_safe

    lines = message.split("\n")
    shown = [hide_cpr(shorten(terminal_safe(line), MAX_MESSAGE_LINE)) for line in lines[:MAX_MESSAGE_LINES]]
    if len(lines) > MAX_MESSAGE_LINES:
        shown.append(f"... og {len(lines) - MAX_MESSAGE_LINES} linjer mere")
    return "\n".join(shown)


def _explain_driver_error(error: BaseException) -> str | None:
    if isinstance(error, sqlite3.Error):
        return _explain_sqlite(error)
    if isinstance(error, _VALUE_ERRORS):
        return VALUE_REFUSED.format(code=type(error).__name__)
    return explain(error)


def _raised_in_driver(error: BaseException) -> bool:
    """Whether the innermost frame `error` passed was SQLAlchemy's or sqlite3's (binding a value), not kasse's."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    module = frame.tb_frame.f_globals.get("__name__", "") if frame is not None else ""
    return module.startswith(("sqlalchemy.", "sqlite3."))


def _explain_sqlite(error: sqlite3.Error) -> str | None:
    code = getattr(error, "sqlite_errorcode", None)
    name = getattr(error, "sqlite_errorname", None) or type(error).__name__
    if code is None:  # raised by the sqlite3 module itself, not by SQLite
        if isinstance(error, sqlite3.DataError):
            return VALUE_REFUSED.format(code=name)
        return None  # ProgrammingError, InterfaceError: kasse used the driver wrongly
    primary = code & 0xFF
    if primary in _SQLITE_LINES:
        return _SQLITE_LINES[primary]
    if primary in _SQLITE_VALUE_CODES:
        return VALUE_REFUSED.format(code=name)
    if primary == 21:  # SQLITE_MISUSE: a bug, not the database
        return None
    return DATABASE_ERROR.format(code=name)


def _explain_os(error: OSError) -> str:
    where = f" {error.filename}" if error.filename else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return FULL
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"Ingen adgang til filen{where} - tjek at du har adgang til den og til mappen, den ligger i."
    if error.errno == errno.EROFS:
        return f"Filen{where} ligger på en skrivebeskyttet disk - intet er gemt."
    if error.errno == errno.ENOENT:
        return f"Filen{where} findes ikke."
    if error.errno == errno.EISDIR:
        return f"{where.strip() or 'Stien'} er en mappe, ikke en fil."
    return f"Filen{where} kunne ikke bruges ({os_reason(error)})."


# --------------------------------------------------------------------------- crash reports


def write_crash_report(
    error: BaseException | None, *, command: str | None = None, folder: Path | None = None
) -> Path | None:
    """Write what a developer needs to find a bug - no personal data - to a new file readable by its owner only.

    `command` is the subcommand's name alone (never its arguments: they may be
    a name or a CPR number). `folder` defaults to `fejlrapporter/` in kasse's
    data folder. Returns the file, or None if it could not be written (the
    caller still shows its line).
    """
    try:
        if folder is None:
            from kasse.paths import data_dir

            folder = data_dir() / CRASH_FOLDER
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = folder / f"kasse-fejl-{stamp}-pid{os.getpid()}.txt"  # "-pid": time-pid is CPR-shaped, and masked
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(crash_report_text(error, command))
    except Exception:  # noqa: BLE001 - a report that cannot be written must not hide the error itself
        return None
    return target


def crash_report_text(error: BaseException | None, command: str | None = None) -> str:
    """The report: versions, command name, and for each exception in the chain its type and the frames it passed
    (file, line, function, source line). No local variables, no argument values, no exception messages."""
    from kasse import __version__

    lines = [
        f"kasse {__version__} - uventet fejl {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"Python {platform.python_version()} på {platform.platform()}",
        f"Kommando: kasse {command or '(uden kommando)'}",
        "Fejlens tekst er udeladt: den kan indeholde persondata.",
        "",
    ]
    chain: list[BaseException] = []
    current = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    for position, item in enumerate(reversed(chain)):
        if position:
            lines.append("\nDen fejl førte til:\n")
        lines.append("Traceback (most recent call last):")
        lines.extend(line.rstrip("\n") for line in traceback.StackSummary.extract(
            traceback.walk_tb(item.__traceback__), capture_locals=False).format())
        code = getattr(item, "sqlite_errorname", None)
        lines.append(f"{type(item).__module__}.{type(item).__qualname__}" + (f" ({code})" if code else ""))
    return "\n".join(lines) + "\n"

