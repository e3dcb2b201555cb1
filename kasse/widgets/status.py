"""Cells for tables: a deadline status in words and colour, and user text that is never read as markup."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from kasse import words
from kasse.dates import format_date
from kasse.output import STATUS_STYLE
from kasse.rules import Status


def status_cell(status: Status | None) -> Text:
    """The status in words, in the CLI's colours; the word carries the meaning (NO_COLOR, colour-blind users)."""
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


def one_line(*cells: Text) -> tuple[Text, ...]:
    """Cells that never wrap: a table row stays one line, a cut cell ends in "…"."""
    for cell in cells:
        cell.no_wrap, cell.overflow = True, "ellipsis"
    return cells
