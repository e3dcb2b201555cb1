"""Danish tables of the journal, the own tasks and the notes a search found (rich); text typed by users is
shown literally, its control characters visible (tables.py's `user_text`), a note's own line breaks kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich import box
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
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Tidspunkt", no_wrap=True)
    table.add_column("Id", no_wrap=True)
    table.add_column("Type", no_wrap=True)
    table.add_column("Forfatter", no_wrap=True, max_width=20, overflow="ellipsis")
    table.add_column("Borger", no_wrap=True, max_width=24, overflow="ellipsis")
    table.add_column("Notat", ratio=1, overflow="fold")
    for note in journal.notes:
        text = note_text(note.text)
        if note.corrects is not None:
            text.append(f"\nRetter note {short_uid(note.corrects)}", style="italic yellow")
        for uid in journal.corrected_by.get(note.uid, ()):
            text.append(f"\nRettet ved note {short_uid(uid)}", style="italic yellow")
        person = "" if note.person_ref is None else names.get(note.person_ref, note.person_ref)
        table.add_row(moment_text(note.written_at), short_uid(note.uid), words.NOTE_KIND[note.kind],
                      user_text(note.author), user_text(person), text)
    console.print(table)
    count = len(journal.notes)
    console.print(f"{count} notat{'er' if count != 1 else ''}")


def print_tasks(found: Sequence[OwnTask], *, show_all: bool) -> None:
    """The tasks by due date, each with the id `kasse task done` takes."""
    console = plain_console()
    if not found:
        console.print("Ingen opgaver." if show_all else "Ingen åbne opgaver.")
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Forfald", no_wrap=True)
    table.add_column("Dage", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Opgave", ratio=3, overflow="fold")
    table.add_column("Borger", no_wrap=True, ratio=2, overflow="ellipsis")
    table.add_column("Familie", no_wrap=True)
    table.add_column("Id", no_wrap=True)
    if show_all:
        table.add_column("Udført", no_wrap=True)
    for own in found:
        row = own.row
        cells = [format_date(row.due), days_text(row.days), Text(words.STATUS[row.status], style=STATUS_STYLE[row.status]),
                 user_text(row.title), user_text(row.name), user_text(row.family), short_uid(row.uid)]
        table.add_row(*cells, *([format_date(row.met_date)] if show_all else []))
    console.print(table)
    console.print(f"{len(found)} opgave{'r' if len(found) != 1 else ''}")


def print_note_hits(found: NoteSearch) -> None:
    """The notes found, newest first, each with the words found in bold; how many there were if not all shown."""
    console = plain_console()
    if not found.hits:
        console.print("Ingen notater fundet.")
        return
    table = Table(title="Notater", title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Tidspunkt", no_wrap=True)
    table.add_column("Familie", no_wrap=True)
    table.add_column("Borger", no_wrap=True)
    table.add_column("Type", no_wrap=True)
    table.add_column("Id", no_wrap=True)
    table.add_column("Tekst", ratio=1, overflow="fold")
    for hit in found.hits:
        text = user_text(hit.snippet.text)
        for start, end in hit.snippet.spans:
            text.stylize("bold", start, end)
        table.add_row(moment_text(hit.written_at), user_text(hit.family_ref), user_text(hit.person_ref),
                      words.NOTE_KIND[hit.kind], short_uid(hit.uid), text)
    console.print(table)
    shown = len(found.hits)
    if found.total > shown:
        console.print(f"{found.total} notater fundet, de {shown} nyeste vises")
    else:
        console.print(f"{shown} notat{'er' if shown != 1 else ''} fundet")
