"""How the journal, the own tasks and the notes a search found are printed: their JSON records
(docs/format.md), CSV with the same columns, or a Danish table for people (cli/journal_tables.py)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from kasse.cli.output import OutputFormat, write_csv, write_json_lines
from kasse.journal import JournalNote

if TYPE_CHECKING:  # the lookups' values; kasse.data.journal_reads is loaded by the lookup that finds notes
    from kasse.data.journal_reads import NoteHit
    from kasse.lookups import Journal, NoteSearch, OwnTask

NOTE_FIELDS = ("uid", "family", "person", "written_at", "author", "kind", "text", "corrects", "corrected_by")
NOTE_TEXT_FIELDS = ("family", "person", "author", "text")
TASK_FIELDS = ("uid", "family", "person", "name", "title", "due", "status", "days", "done", "author", "created_at")
TASK_TEXT_FIELDS = ("family", "person", "name", "title", "author")
NOTE_HIT_FIELDS = ("uid", "family", "person", "written_at", "kind", "snippet")
NOTE_HIT_TEXT_FIELDS = ("family", "person", "snippet")


def note_record(note: JournalNote, corrected_by: Sequence[str] = ()) -> dict:
    """One journal note (`kasse journal --json`); `corrected_by` lists the notes correcting it, oldest first."""
    return {
        "uid": note.uid,
        "family": note.family_ref,
        "person": note.person_ref,
        "written_at": note.written_at.isoformat(),
        "author": note.author,
        "kind": note.kind.value,
        "text": note.text,
        "corrects": note.corrects,
        "corrected_by": list(corrected_by),
    }


def write_journal(journal: Journal, form: OutputFormat, out: TextIO = sys.stdout) -> None:
    records = [note_record(note, journal.corrected_by.get(note.uid, ())) for note in journal.notes]
    if form is OutputFormat.JSON:
        write_json_lines(out, records)
    elif form is OutputFormat.CSV:
        rows = [{**record, "corrected_by": " ".join(record["corrected_by"])} for record in records]
        write_csv(out, rows, NOTE_FIELDS, NOTE_TEXT_FIELDS)
    else:
        from kasse.cli.journal_tables import print_journal

        print_journal(journal)


def task_record(own: OwnTask) -> dict:
    """One own task (`kasse tasks --json`): as stored, with its status and days on the day asked. `done` is
    null when the task was not done by that day."""
    task, row = own.task, own.row
    return {
        "uid": task.uid,
        "family": task.family_ref,
        "person": task.person_ref,
        "name": row.name,
        "title": task.title,
        "due": task.due.isoformat(),
        "status": row.status.value,
        "days": row.days,
        "done": row.met_date.isoformat() if row.met_date else None,
        "author": task.author,
        "created_at": task.created_at.isoformat(),
    }


def write_tasks(found: Sequence[OwnTask], form: OutputFormat, *, show_all: bool, out: TextIO = sys.stdout) -> None:
    if form is OutputFormat.JSON:
        write_json_lines(out, [task_record(own) for own in found])
    elif form is OutputFormat.CSV:
        write_csv(out, [task_record(own) for own in found], TASK_FIELDS, TASK_TEXT_FIELDS)
    else:
        from kasse.cli.journal_tables import print_tasks

        print_tasks(found, show_all=show_all)


def note_hit_record(hit: NoteHit) -> dict:
    """One note a search found (`kasse search --notes --json`): where it is, when, and the text around the match."""
    return {
        "uid": hit.uid,
        "family": hit.family_ref,
        "person": hit.person_ref,
        "written_at": hit.written_at.isoformat(),
        "kind": hit.kind.value,
        "snippet": hit.snippet.text,
    }


def write_note_hits(found: NoteSearch, form: OutputFormat, *, listed_alone: bool, out: TextIO = sys.stdout) -> None:
    """The notes found; in a table after the persons found unless `listed_alone` (--notes), and then only if any."""
    if form is OutputFormat.JSON:
        write_json_lines(out, [note_hit_record(hit) for hit in found.hits])
    elif form is OutputFormat.CSV:
        write_csv(out, [note_hit_record(hit) for hit in found.hits], NOTE_HIT_FIELDS, NOTE_HIT_TEXT_FIELDS)
    elif found.hits or listed_alone:
        from kasse.cli.journal_tables import print_note_hits

        print_note_hits(found)
