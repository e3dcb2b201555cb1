"""Cells for tables: a deadline status in words and colour, and user text that is never read as markup."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from kasse import words
from kasse.dates import format_date
from kasse.rules import Status

# The word carries the meaning; colour only helps the eye (NO_COLOR terminals and colour-blind users).
STATUS_STYLE = {
    Status.OVERDUE: "bold red",
    Status.DUE_SOON: "bold yellow",
    Status.UPCOMING: "",
    Status.PAUSED: "magenta",
    Status.MET: "green",
    Status.MET_LATE: "yellow",
    Status.CLOSED: "dim",
}


def status_cell(status: Status | None) -> Text:
    if status is None:
        return Text("")
    return Text(words.STATUS[status], style=STATUS_STYLE[status])


def plain(value: object) -> Text:
    """Anything a user typed (names, notes, refs), shown literally: `[red]` stays `[red]`."""
    if value is None:
        return Text("")
    return Text(str(value))


def date_cell(day: date | None) -> Text:
    return Text(format_date(day))


def days_cell(days: int | None) -> Text:
    if days is None:
        return Text("")
    return Text(f"{days:+d}" if days else "0", justify="right")
