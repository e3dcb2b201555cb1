"""The quick lookups - overdue, due, deadlines, show, search: a question asked between two phone calls.

They read through kasse.lookups (stdlib sqlite3), never SQLModel, and run
without the cycle collector (kasse/collector.py); what they print is
cli/output.py's (the journal's and tasks': cli/journal_output.py).
Registered as commands in cli/main.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kasse.cli.options import (
    CsvOption,
    DbOption,
    JsonOption,
    RulesOption,
    TodayOption,
    config_of,
    db_path,
    output_format,
    today_of,
)
from kasse.cli.output import OutputFormat
from kasse.lookups import Selection

TasksOption = Annotated[bool, typer.Option("--tasks", help="Også egne opgaver (regel 'task').")]


def _print_deadlines(ctx: typer.Context, selection: Selection, db: Path | None, today: str | None,
                     window: int | None, rules: str | None, as_json: bool, as_csv: bool, with_tasks: bool) -> None:
    from kasse.cli.output import write_deadlines
    from kasse.lookups import caseload_deadlines

    form = output_format(as_json, as_csv)
    policy = config_of(ctx, rules).policy
    found = caseload_deadlines(db_path(ctx, db), today=today_of(ctx, today),
                               window=policy.window_days if window is None else window, selection=selection,
                               policy=policy, with_tasks=with_tasks)
    write_deadlines(found, form, with_tasks=with_tasks)


def overdue(ctx: typer.Context, today: TodayOption = None, rules: RulesOption = None, with_tasks: TasksOption = False,
            as_json: JsonOption = False, as_csv: CsvOption = False, db: DbOption = None) -> None:
    """Hvem er overskredet? Alle frister der er overskredet."""
    _print_deadlines(ctx, Selection.OVERDUE, db, today, None, rules, as_json, as_csv, with_tasks)


def due(
    ctx: typer.Context,
    within: Annotated[
        int | None, typer.Option("--within", min=0, help="Antal dage frem (ellers window_days, standard 14).",
                                 metavar="DAGE")
    ] = None,
    today: TodayOption = None,
    rules: RulesOption = None,
    with_tasks: TasksOption = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Frister der er overskredet eller forfalder inden for --within dage (standard 14)."""
    _print_deadlines(ctx, Selection.DUE, db, today, within, rules, as_json, as_csv, with_tasks)


def deadlines(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Også opfyldte og lukkede frister.")] = False,
    today: TodayOption = None,
    rules: RulesOption = None,
    with_tasks: TasksOption = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Alle åbne frister (med --all også opfyldte og lukkede)."""
    selection = Selection.ALL if show_all else Selection.OPEN
    _print_deadlines(ctx, selection, db, today, None, rules, as_json, as_csv, with_tasks)


def show(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Ref, CPR-nummer eller navn.", metavar="REF|CPR|NAVN")],
    today: TodayOption = None,
    rules: RulesOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Vis én borger eller familie med dens frister (--csv: fristerne). Opslaget logges (kasse access-log)."""
    from kasse.cli.output import write_search, write_shown
    from kasse.lookups import find, hits_of, shown, the_one

    form = output_format(as_json, as_csv)
    day = today_of(ctx, today)
    config = config_of(ctx, rules)
    policy = config.policy
    path = db_path(ctx, db)
    matches = find(path, text)
    if len(matches) > 1 and form is OutputFormat.TABLE:
        write_search(hits_of(matches, text), form, day)  # the ones to choose from, then why none is shown
    match = the_one(matches)
    from kasse.cli.access_log_commands import log_look  # before anything is shown: a look not logged is not shown

    log_look(path, match.family.ref, match.person_ref, "show", config.user)
    write_shown(shown(match, today=day, window=policy.window_days, policy=policy), form, day)


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Del af navn, ref, CPR-nummer eller nationalitet - eller ord i "
                                             "journalnotaterne.", metavar="TEKST")],
    notes_only: Annotated[bool, typer.Option("--notes", help="Kun journalnotater (også med --json og --csv).")] = False,
    today: TodayOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Søg efter borgere og i journalnotaterne (--json og --csv: borgerne; med --notes: notaterne)."""
    from kasse.cli.output import write_search
    from kasse.lookups import search_journal, search_persons

    form = output_format(as_json, as_csv)
    path = db_path(ctx, db)
    if not notes_only:
        write_search(search_persons(path, text), form, today_of(ctx, today))
    if notes_only or form is OutputFormat.TABLE:  # a script gets one kind of record: persons, or with --notes notes
        from kasse.cli.journal_output import write_note_hits

        write_note_hits(search_journal(path, text), form, listed_alone=notes_only)
