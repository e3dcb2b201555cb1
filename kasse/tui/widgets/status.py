"""Cells for tables: a deadline status in words and colour, a recorded date (planned when after today),
a deadline's legal basis, and user text that is never read as markup."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from kasse import words
from kasse.dates import format_date
from kasse.law import Ruleset
from kasse.rules import Status
from kasse.safe_text import terminal_safe
from kasse.words import STATUS_STYLE

PLANNED_STYLE = "italic"


def status_cell(status: Status | None) -> Text:
    """The status in words, in the CLI's colours; the word carries the meaning (NO_COLOR, colour-blind users)."""
    if status is None:
        return Text("")
    return Text(words.STATUS[status], style=STATUS_STYLE[status])


def plain(value: object) -> Text:
    """Anything a user typed (names, notes, refs), shown literally: `[red]` stays `[red]`, and a control
    character (an ESC above all) shows as a visible symbol instead of reaching the terminal (safe_text)."""
    if value is None:
        return Text("")
    return Text(terminal_safe(str(value)))


def date_cell(day: date | None, today: date | None = None) -> Text:
    """A date as DD-MM-ÅÅÅÅ. Given `today`, a recorded fact dated later has not happened yet (DOMAIN.md,
    "Common terms"): it shows as "planlagt DD-MM-ÅÅÅÅ", never as done. Due dates are not facts: no `today`."""
    if day is not None and today is not None and day > today:
        return Text(f"planlagt {format_date(day)}", style=PLANNED_STYLE)
    return Text(format_date(day))


def basis_cell(basis: str, ruleset: Ruleset, width: int | None = None) -> Text:
    """'§ 20, stk. 1 (2016)' (words.legal_basis), made to fit `width`: first without a remark in
    brackets, then without the subsection, then cut - the ruleset stays, as it matters most."""
    year = f" ({ruleset.value})"
    shown = words.legal_basis(basis, ruleset)
    for shorter in (_without_remark, _without_subsection, _short_local):
        if width is None or len(shown) <= width:
            break
        shown = shorter(shown.removesuffix(year)) + year
    if width is not None and len(shown) > width:
        shown = shown.removesuffix(year)[: max(width - len(year) - 1, 1)].rstrip() + "…" + year
    return Text(shown, style="dim")


def _without_remark(basis: str) -> str:
    return basis.split(" (", 1)[0]


def _without_subsection(basis: str) -> str:
    return basis.split(", stk.", 1)[0]


def _short_local(basis: str) -> str:
    return "lokal" if basis == "lokal praksis" else basis


def days_cell(days: int | None) -> Text:
    if days is None:
        return Text("")
    return Text(f"{days:+d}" if days else "0", justify="right")


def one_line(*cells: Text) -> tuple[Text, ...]:
    """Cells that never wrap: a table row stays one line, a cut cell ends in "…"."""
    for cell in cells:
        cell.no_wrap, cell.overflow = True, "ellipsis"
    return cells


def column_widths(available: int, columns: tuple[tuple[str, int, int], ...], grow: tuple[str, ...]) -> dict[str, int]:
    """Widths for a DataTable's columns (label, least, most) in `available` cells, each column costing
    two more for its padding. The columns that fit at their least are shown; what is left goes to the
    `grow` columns in that order, up to their most. Columns that do not fit keep their least, past the
    right edge (the table scrolls sideways to them)."""
    widths = {label: least for label, least, _ in columns}
    used, shown = 0, []
    for label, least, _ in columns:
        if used + least + 2 > available:
            break
        used += least + 2
        shown.append(label)
    spare = available - used
    most = {label: top for label, _, top in columns}
    for label in grow:
        if label in shown and spare > 0:
            extra = min(spare, most[label] - widths[label])
            widths[label] += extra
            spare -= extra
    return widths
