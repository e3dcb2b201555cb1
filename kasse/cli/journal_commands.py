"""The case record's commands - note, journal, task (add, done), tasks: journal notes and own tasks.

Reads go through kasse.lookups; writes open the database and go through
kasse.data.journal's `journal_transaction`, on behalf of the actor (who
also signs each note and task). A note's time and a task's creation are
read from the wall clock here, never below. Registered in cli/main.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kasse.cli.danish import OPTIONS_METAVAR, SUBCOMMAND_METAVAR, DanishCommand, DanishGroup
from kasse.cli.options import (
    CsvOption,
    DbOption,
    JsonOption,
    TodayOption,
    config_of,
    db_path,
    output_format,
    today_of,
    writer,
)
from kasse.errors import KasseError
from kasse.safe_text import terminal_safe

if TYPE_CHECKING:
    from kasse.data.journal import JournalWrites
    from kasse.lookups import Match

RefArgument = Annotated[str, typer.Argument(help="Familiens eller personens ref.", metavar="REF")]


@contextmanager
def _writes(path: Path, actor: str) -> Iterator[JournalWrites]:
    """One write transaction for the journal and tasks of an existing database (migrated first if behind)."""
    from kasse.data.db import open_database
    from kasse.data.journal import journal_transaction
    from kasse.data.store import Store

    if not path.is_file():  # open_database would create it: a note needs a caseload
        raise KasseError(f"Databasen findes ikke: {path} - kør 'kasse init' eller 'kasse demo'")
    with open_database(path) as database, journal_transaction(Store(database, actor)) as writes:
        yield writes


def _place(match: Match) -> str:
    """'familie F-1' or 'P-1 (familie F-1)': where a note or task was written, as a message says it."""
    family = f"familie {match.family.ref}"
    return terminal_safe(family if match.person is None else f"{match.person.ref} ({family})")


def _read_text(text: str) -> str:
    """The note's text; "-" reads it from standard input (a long or many-line note)."""
    if text != "-":
        return text
    try:
        return sys.stdin.buffer.read().decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise KasseError("Teksten på standardinput er ikke gyldig UTF-8") from None


def note(
    ctx: typer.Context,
    ref: RefArgument,
    text: Annotated[str, typer.Argument(help="Notatets tekst (- læser den fra standardinput).", metavar="TEKST")],
    kind: Annotated[str | None, typer.Option(
        "--kind", help="notat, samtale, telefon, brev, møde eller e-mail (ellers notat).", metavar="TYPE")] = None,
    at: Annotated[str | None, typer.Option(
        "--at", help="Tidspunktet, fx \"2026-11-20 14:30\" (ellers nu).", metavar="TIDSPUNKT")] = None,
    corrects: Annotated[str | None, typer.Option(
        "--corrects", help="Id på det notat, dette retter (begyndelsen er nok).", metavar="ID")] = None,
    db: DbOption = None,
) -> None:
    """Skriv et journalnotat om en familie eller en person; et notat ændres aldrig, men kan rettes."""
    from kasse.journal import JournalNote, NoteKind, new_uid, note_kind, parse_moment, short_uid
    from kasse.lookups import find_ref, note_in_journal

    path = db_path(ctx, db)
    chosen = note_kind(kind) if kind is not None else NoteKind.NOTE
    written_at = parse_moment(at) if at is not None else datetime.now().replace(microsecond=0)
    body = _read_text(text)
    match = find_ref(path, ref)
    corrected = note_in_journal(path, match.family.ref, corrects).uid if corrects is not None else None
    actor = writer()
    written = JournalNote(new_uid(), match.family.ref, match.person_ref, written_at, actor, chosen, body, corrected)
    with _writes(path, actor) as writes:
        writes.append_note(written)
    correcting = f", retter notat {short_uid(corrected)}" if corrected else ""
    typer.echo(f"Notat {short_uid(written.uid)} skrevet i journalen for {_place(match)}{correcting}")


def journal(
    ctx: typer.Context, ref: RefArgument, as_json: JsonOption = False, as_csv: CsvOption = False, db: DbOption = None
) -> None:
    """Vis journalen for en familie eller en person, nyeste notat først, rettelser ved det, de retter. Opslaget
    logges (kasse access-log)."""
    from kasse.cli.access_log_commands import log_look
    from kasse.cli.journal_output import write_journal
    from kasse.lookups import journal as journal_of

    form = output_format(as_json, as_csv)
    path = db_path(ctx, db)
    found = journal_of(path, ref)
    log_look(path, found.family.ref, found.person.ref if found.person else None, "journal", config_of(ctx, None).user)
    write_journal(found, form)


def add_task(
    ctx: typer.Context,
    ref: RefArgument,
    title: Annotated[str, typer.Argument(help="Hvad der skal gøres, fx \"Ring til lægen\".", metavar="TITEL")],
    due: Annotated[str, typer.Option("--due", help="Fristen (DD-MM-ÅÅÅÅ eller ÅÅÅÅ-MM-DD).", metavar="DATO")],
    db: DbOption = None,
) -> None:
    """Opret en egen opgave med en frist til en familie eller en person."""
    from kasse.dates import format_date, parse_case_date
    from kasse.journal import Task, new_uid, short_uid
    from kasse.lookups import find_ref

    path = db_path(ctx, db)
    due_date = parse_case_date(due)
    match = find_ref(path, ref)
    actor = writer()
    created_at = datetime.now().replace(microsecond=0)
    task = Task(new_uid(), match.family.ref, match.person_ref, title, due_date, None, created_at, actor)
    with _writes(path, actor) as writes:
        writes.add_task(task)
    typer.echo(f"Opgave {short_uid(task.uid)} oprettet for {_place(match)}, frist {format_date(due_date)}")


def task_done(
    ctx: typer.Context,
    task_id: Annotated[str, typer.Argument(help="Opgavens id (begyndelsen er nok).", metavar="ID")],
    undo: Annotated[bool, typer.Option("--undo", help="Gør opgaven åben igen.")] = False,
    today: TodayOption = None,
    db: DbOption = None,
) -> None:
    """Markér en opgave som udført i dag (eller --today); med --undo som ikke udført."""
    from kasse.dates import format_date
    from kasse.journal import short_uid
    from kasse.lookups import find_task

    path = db_path(ctx, db)
    task = find_task(path, task_id)
    shown = f"Opgave {short_uid(task.uid)}"
    if undo and task.done is None:
        typer.echo(f"{shown} er ikke markeret som udført - intet ændret")
        return
    if not undo and task.done is not None:
        typer.echo(f"{shown} er allerede udført {format_date(task.done)} - intet ændret")
        return
    done = None if undo else today_of(ctx, today)
    with _writes(path, writer()) as writes:
        writes.set_task_done(task.uid, done)
    typer.echo(f"{shown} er åben igen" if done is None else f"{shown} er udført {format_date(done)}")


def tasks(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Også udførte opgaver.")] = False,
    today: TodayOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Egne opgaver, der ikke er udført, efter frist (med --all også de udførte)."""
    from kasse.cli.journal_output import write_tasks
    from kasse.lookups import Selection, own_tasks

    form = output_format(as_json, as_csv)
    found = own_tasks(db_path(ctx, db), today=today_of(ctx, today), window=config_of(ctx, None).policy.window_days,
                      selection=Selection.ALL if show_all else Selection.OPEN)
    write_tasks(found, form, show_all=show_all)


class _TaskGroup(DanishGroup):
    """`kasse task REF TITEL --due DATO` means `kasse task add ...`: a first word that names no subcommand (and
    asks for no help) starts an `add`."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["add", *args]
        return super().parse_args(ctx, args)


task = typer.Typer(
    name="task",
    help="Egne opgaver: opret en (kasse task REF TITEL --due DATO) eller markér den udført (kasse task done ID).",
    cls=_TaskGroup,
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar=SUBCOMMAND_METAVAR,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    rich_markup_mode=None,
)
task.command("add", cls=DanishCommand)(add_task)
task.command("done", cls=DanishCommand)(task_done)
