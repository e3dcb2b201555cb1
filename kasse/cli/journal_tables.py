"""Danish tables of the journal, the own tasks and the notes a search found (rich); text typed by users is
shown literally, its control characters visible (tables.py's `user_text`), a note's own line breaks kept.

Each listing is short fields (dates, the ids a user types back, kinds, statuses, names) and one free text (a
title, a note). Where the text gets at least `text_min` columns beside the short fields, it is a table, one
column a field; narrower (80 columns), each row is a block: the short fields on one line under the same
headings, the text below it on the whole width. Either way dates and ids are never cut: names are cut first,
with an ellipsis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kasse import words
from kasse.cli.output import days_text
from kasse.cli.tables import plain_console, user_text
from kasse.dates import format_date
from kasse.journal import short_uid
from kasse.words import STATUS_STYLE

if TYPE_CHECKING:
    from kasse.lookups import Journal, NoteSearch, OwnTask

GAP = 2  # columns between two fields, in the table and in the blocks
INDENT = 2  # the free text of a block, under its short fields
NAME_MIN = 8  # a name is cut to no less than this ("Amina J…")
NAME_MAX = 24  # nor, in a table, kept longer than this
TITLE_MIN = 30  # a task's title needs this much beside the short fields to be a table column
NOTE_MIN = 40  # and a note this much


@dataclass
class Column:
    """One short field of a listing: its heading, its cells, and whether it is a name (cut before all else)."""

    header: str
    cells: list[Text | str] = field(default_factory=list)
    justify: Literal["left", "right"] = "left"
    name: bool = False

    def natural(self) -> int:
        return max([len(self.header), *(Text(cell).cell_len if isinstance(cell, str) else cell.cell_len
                                        for cell in self.cells)])


def name_widths(columns: Sequence[Column], room: int, cap: int, *, cut: bool = True) -> list[int] | None:
    """The columns' widths in `room`, the other columns at their natural width and the names sharing the rest
    (each up to `cap`); None if a name would get less than NAME_MIN, or, unless `cut`, less than its length."""
    widths = [column.natural() for column in columns]
    names = sorted((i for i, column in enumerate(columns) if column.name), key=widths.__getitem__)
    room -= sum(width for width, column in zip(widths, columns, strict=True) if not column.name)
    for left, i in enumerate(names):
        widths[i] = min(widths[i], cap, room // (len(names) - left))
        if widths[i] < min(NAME_MIN if cut else cap, columns[i].natural()):
            return None
        room -= widths[i]
    return widths if room >= 0 else None


def table_of(columns: Sequence[Column], text_header: str, texts: Sequence[Text], *, width: int, text_min: int,
             text_at: int, cut: bool) -> Table | None:
    """The rows as a table, the text the column after the first `text_at` fields, if it gets `text_min` columns
    of `width` (with the names cut if `cut`, as `name_widths` says); else None."""
    gaps = GAP * len(columns)
    widths = name_widths(columns, width - gaps - text_min, NAME_MAX, cut=cut)
    if widths is None:
        return None
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                  expand=True)
    for n, (column, column_width) in enumerate(zip(columns, widths, strict=True)):
        if n == text_at:
            table.add_column(text_header, ratio=1, overflow="fold")
        table.add_column(column.header, justify=column.justify, no_wrap=True, overflow="ellipsis", width=column_width)
    if text_at >= len(columns):
        table.add_column(text_header, ratio=1, overflow="fold")
    for i, text in enumerate(texts):
        cells = [column.cells[i] for column in columns]
        table.add_row(*cells[:text_at], text, *cells[text_at:])
    return table


def print_blocks(console: Console, columns: Sequence[Column], text_header: str, texts: Sequence[Text], *,
                 spaced: bool) -> None:
    """Each row as its short fields on one line, names cut to fit, and its text under them; a blank line
    between rows if `spaced` (notes of several lines)."""
    widths = name_widths(columns, console.width - GAP * (len(columns) - 1), console.width)
    if widths is None:  # narrower than the short fields: names at their least, the line wraps
        widths = [NAME_MIN if column.name else column.natural() for column in columns]

    def line(cells: Sequence[Text | str], style: str = "") -> Text:
        out = Text(style=style)
        for n, (cell, column, column_width) in enumerate(zip(cells, columns, widths, strict=True)):
            cell = Text(cell) if isinstance(cell, str) else cell.copy()
            cell.truncate(column_width, overflow="ellipsis")
            pad = " " * (column_width - cell.cell_len)
            out.append_text(Text(pad) + cell if column.justify == "right" else cell + Text(pad))
            if n < len(columns) - 1:
                out.append(" " * GAP)
        out.rstrip()
        return out

    console.print(line([column.header for column in columns], "bold"))
    console.print(Text(" " * INDENT + text_header, style="bold"))
    console.print("─" * console.width)
    for i, text in enumerate(texts):
        if spaced and i:
            console.print()
        console.print(line([column.cells[i] for column in columns]))
        for wrapped in text.wrap(console, console.width - INDENT, overflow="fold"):
            wrapped.rstrip()
            console.print(Text(" " * INDENT) + wrapped)


def print_listing(console: Console, layouts: Sequence[list[Column]], text_header: str, texts: Sequence[Text], *,
                  text_min: int, text_at: int, spaced: bool) -> None:
    """The first of `layouts` (the same fields, the later ones shorter) that makes a table with room for the
    text and the whole names, else the last that has room for the text and names cut; else the blocks of the
    first that fits a line, or of the last."""
    for cut, tried in ((False, layouts), (True, layouts[::-1])):
        for columns in tried:
            table = table_of(columns, text_header, texts, width=console.width, text_min=text_min, text_at=text_at,
                             cut=cut)
            if table is not None:
                console.print(table)
                return
    room = console.width - GAP * (len(layouts[-1]) - 1)
    columns = next((columns for columns in layouts if name_widths(columns, room, room) is not None), layouts[-1])
    print_blocks(console, columns, text_header, texts, spaced=spaced)


def moment_text(moment: datetime) -> str:
    """'20-11-2026 14:30': when a note was written, as a Danish reader reads it."""
    return f"{format_date(moment.date())} {moment:%H:%M}"


def note_text(text: str) -> Text:
    """A note's text for a table cell: its line breaks kept, every other control character made visible."""
    return Text("\n").join(user_text(line) for line in text.replace("\r\n", "\n").split("\n"))


def print_journal(journal: Journal) -> None:
    """The journal newest first; a corrected note and its correction each say so under their text."""
    console = plain_console()
    family = user_text(journal.family.ref, "bold")
    if journal.person is None:
        header = Text.assemble(("Journal for familie ", "bold"), family)
    else:
        person = journal.person
        header = Text.assemble(("Journal for ", "bold"), user_text(f"{person.name} ({person.ref})", "bold"),
                               ", familie ", family)
    console.print(header)
    if not journal.notes:
        console.print("Ingen notater i journalen.")
        return
    names = {member.ref: member.name for member in journal.family.members}
    columns = [Column("Tidspunkt"), Column("Id"), Column("Type"), Column("Forfatter", name=True),
               Column("Borger", name=True)]
    texts = []
    for note in journal.notes:
        text = note_text(note.text)
        if note.corrects is not None:
            text.append(f"\nRetter note {short_uid(note.corrects)}", style="italic yellow")
        for uid in journal.corrected_by.get(note.uid, ()):
            text.append(f"\nRettet ved note {short_uid(uid)}", style="italic yellow")
        person = "" if note.person_ref is None else names.get(note.person_ref, note.person_ref)
        cells = (moment_text(note.written_at), short_uid(note.uid), words.NOTE_KIND[note.kind],
                 user_text(note.author), user_text(person))
        for column, cell in zip(columns, cells, strict=True):
            column.cells.append(cell)
        texts.append(text)
    print_listing(console, [columns], "Notat", texts, text_min=NOTE_MIN, text_at=len(columns), spaced=True)
    count = len(journal.notes)
    console.print(f"{count} notat{'er' if count != 1 else ''}")


def task_columns(found: Sequence[OwnTask], *, show_all: bool, days_in_words: bool) -> list[Column]:
    """The short fields of the tasks; the days as 'om 3 dage' or, shorter, '+3'."""
    rows = [own.row for own in found]
    columns = [
        Column("Forfald", [format_date(row.due) for row in rows]),
        Column("Dage", [days_text(row.days) if days_in_words else f"{row.days:+d}" for row in rows], "right"),
        Column("Status", [Text(words.STATUS[row.status], style=STATUS_STYLE[row.status]) for row in rows]),
        Column("Borger", [user_text(row.name) for row in rows], name=True),
        Column("Familie", [user_text(row.family) for row in rows]),
        Column("Id", [short_uid(row.uid) for row in rows]),
    ]
    if show_all:
        columns.append(Column("Udført", [format_date(row.met_date) for row in rows]))
    return columns


def print_tasks(found: Sequence[OwnTask], *, show_all: bool) -> None:
    """The tasks by due date, each with the id `kasse task done` takes."""
    console = plain_console()
    if not found:
        console.print("Ingen opgaver." if show_all else "Ingen åbne opgaver.")
        return
    layouts = [task_columns(found, show_all=show_all, days_in_words=words_) for words_ in (True, False)]
    texts = [user_text(own.row.title) for own in found]
    print_listing(console, layouts, "Opgave", texts, text_min=TITLE_MIN, text_at=3, spaced=False)
    console.print(f"{len(found)} opgave{'r' if len(found) != 1 else ''}")


def print_note_hits(found: NoteSearch) -> None:
    """The notes found, newest first, each with the words found in bold; how many there were if not all shown."""
    console = plain_console()
    if not found.hits:
        console.print("Ingen notater fundet.")
        return
    columns = [Column("Tidspunkt"), Column("Familie"), Column("Borger"), Column("Type"), Column("Id")]
    texts = []
    for hit in found.hits:
        text = user_text(hit.snippet.text)
        for start, end in hit.snippet.spans:
            text.stylize("bold", start, end)
        cells = (moment_text(hit.written_at), user_text(hit.family_ref), user_text(hit.person_ref),
                 words.NOTE_KIND[hit.kind], short_uid(hit.uid))
        for column, cell in zip(columns, cells, strict=True):
            column.cells.append(cell)
        texts.append(text)
    console.print("Notater", style="table.title")
    print_listing(console, [columns], "Tekst", texts, text_min=NOTE_MIN, text_at=len(columns), spaced=True)
    shown = len(found.hits)
    if found.total > shown:
        console.print(f"{found.total} notater fundet, de {shown} nyeste vises")
    else:
        console.print(f"{shown} notat{'er' if shown != 1 else ''} fundet")
