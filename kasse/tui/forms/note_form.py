"""The journal note form (`j`): kind, whom it is about, when, and the text in a multi-line editor; ctrl+s saves.

A correction (`J`) is the same form with the note it corrects chosen first:
it starts with that note's kind, person and text, and saves a new note
naming the old one - a note is never changed (kasse/journal.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, time

from rich.text import Text
from textual import on
from textual.widgets import Select, TextArea

from kasse import words
from kasse.dates import format_date
from kasse.domain import Family, Person
from kasse.errors import KasseError
from kasse.journal import JournalNote, NoteKind, check_note, new_uid
from kasse.tui.fields import Field, Kind, Section, Values, choice, day, text
from kasse.tui.forms.form import FormScreen
from kasse.tui.forms.record import member_options, save_record
from kasse.tui.widgets.status import plain

_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
WHOLE_FAMILY = "Hele familien"


def note_section(family: Family, correcting: list[JournalNote] | None = None) -> Section:
    """The note form's fields; with `correcting` (the family's notes) first the note to correct."""
    fields = (
        choice("kind", "Type", words.NOTE_KIND, required=True),
        Field("person", "Om", Kind.CHOICE, options=member_options(family), blank=WHOLE_FAMILY),
        day("day", "Dato", required=True),
        text("time", "Klokken", required=True, hint="TT:MM"),
        Field("text", "Tekst", Kind.LINES, required=True, hint="Enter giver en ny linje"),
    )
    title = "Journalnotat"
    if correcting is not None:
        options = tuple((note_label(note), note.uid) for note in correcting)
        fields = (Field("corrects", "Retter notat", Kind.CHOICE, required=True, options=options), *fields)
        title = "Ret et journalnotat"
    return Section("note", title, fields, check_note_values)


def note_label(note: JournalNote) -> Text:
    """'20-11-2026 14:30 · telefon · Ringede om…': a note as the correction's choice names it."""
    first_line = note.text.strip().split("\n", 1)[0]
    shown = first_line if len(first_line) <= 40 else first_line[:39] + "…"
    moment = f"{format_date(note.written_at.date())} {note.written_at:%H:%M}"
    return plain(f"{moment} · {words.NOTE_KIND[note.kind]} · {shown}")


def parse_time(raw: str) -> time | None:
    """14:30 or 14.30 as a time of day; None when it is not one."""
    match = _TIME.fullmatch(raw.strip())
    try:
        return time(int(match[1]), int(match[2])) if match else None
    except ValueError:
        return None


def check_note_values(values: Values) -> dict[str, str]:
    """What is wrong across the fields: the time, and a text kasse cannot keep (too long, half a character)."""
    moment = parse_time(values.get("time") or "")
    if moment is None:
        return {"time": "Skriv klokkeslættet som TT:MM, fx 14:30"}
    try:  # the text as the journal would check it; the other values are the form's own
        check_note(JournalNote("check", "F", None, datetime.combine(values["day"], moment), "kasse",
                               NoteKind.NOTE, values["text"]))
    except KasseError as error:
        return {"text": error.message}
    return {}


def note_values(person: Person | None, now: datetime, corrected: JournalNote | None = None) -> Values:
    """What the form starts with: now, and the selected person - or the corrected note's kind, person, text."""
    values = {"kind": NoteKind.NOTE, "person": person.ref if person else None, "day": now.date(),
              "time": f"{now:%H:%M}", "text": ()}
    if corrected is not None:
        values |= {"corrects": corrected.uid, "kind": corrected.kind, "person": corrected.person_ref,
                   "text": lines(corrected.text)}
    return values


def lines(note_text: str) -> tuple[str, ...]:
    """A text as the form's editor is given it (kasse.tui.fields joins LINES with line breaks)."""
    return tuple(note_text.split("\n")) if note_text else ()


def to_note(values: Values, family_ref: str, author: str) -> JournalNote:
    written_at = datetime.combine(values["day"], parse_time(values["time"]))
    return JournalNote(new_uid(), family_ref, values["person"], written_at, author, values["kind"], values["text"],
                       values.get("corrects"))


class NoteForm(FormScreen):
    """The form with room to write, keeping the text as typed (blank lines and indents too)."""

    DEFAULT_CSS = """
    NoteForm .row TextArea { height: 10; }
    """

    def __init__(self, section: Section, values: Values, notes: Iterable[JournalNote] = (), **kwargs) -> None:
        super().__init__(section, values, **kwargs)
        self.notes = {note.uid: note for note in notes}

    def parsed(self) -> tuple[Values, dict[str, str]]:
        values, problems = super().parsed()
        if "text" not in problems:
            values["text"] = self.raw("text").strip()
        return values, problems

    @on(Select.Changed, "#field-corrects")
    def _other_note(self, event: Select.Changed) -> None:
        """Another note to correct: its text replaces the one shown, unless the user has written in it."""
        editor = self.query_one("#field-text", TextArea)
        shown = [note.text for note in self.notes.values()]
        chosen = self.notes.get(event.value)
        if chosen is not None and (not editor.text.strip() or editor.text in shown):
            editor.text = chosen.text
            self.query_one("#field-kind", Select).value = chosen.kind
            self.query_one("#field-person", Select).value = chosen.person_ref or Select.NULL


def write_note(app, family: Family, person: Person | None, values: Values | None = None,
               correcting: list[JournalNote] | None = None) -> None:
    """Open the note form (a correction's, given the family's notes); its values become a new note, saved
    through the caseload. A save that fails opens the form again with what was typed."""
    section = note_section(family, correcting)
    start = values or note_values(person, app.now(), correcting[0] if correcting else None)
    subtitle = f"{family.display_name} ({family.ref})"

    def closed(result: Values | None) -> None:
        if result is None:
            return
        note = to_note(result, family.ref, app.caseload.author)
        again = {**result, "text": lines(result["text"])}
        save_record(app, lambda caseload: caseload.add_note(note), "Notatet er gemt",
                    failed=lambda: write_note(app, family, person, again, correcting))

    app.push_screen(NoteForm(section, start, correcting or [], subtitle=subtitle, focus="text"), closed)
