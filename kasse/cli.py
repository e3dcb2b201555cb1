"""kasse's command line (Typer): parse, call the core, print. Help and messages in Danish.

Start-up time matters here - a lookup is asked between two phone calls - so
this module imports nothing heavy at the top: SQLModel, Alembic and Textual
are imported inside the commands that write or open the app.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from kasse.errors import KasseError
from kasse.lookups import Selection
from kasse.output import OutputFormat
from kasse.paths import resolve_db_path
from kasse.rules import DEFAULT_WINDOW_DAYS

app = typer.Typer(
    name="kasse",
    help="kasse - sagsstamme og frister for integrationssagsbehandlere.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Databasefil (ellers $KASSE_DB, ellers kasse.db i datamappen).", metavar="FIL"),
]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Regn frister ud fra denne dato (ÅÅÅÅ-MM-DD) i stedet for i dag.", metavar="DATO"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Skriv JSON (se formatet i README).")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Skriv CSV.")]


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context, db: DbOption = None, today: TodayOption = None) -> None:
    """kasse - sagsstamme og frister for integrationssagsbehandlere.

    Uden kommando åbnes kasse på databasen.
    """
    if ctx.invoked_subcommand is None:
        _run_app(ctx, db, today)


def _run_app(ctx: typer.Context, db: Path | None, today: str | None) -> None:
    from kasse.app import make_app  # Textual only when the app opens

    make_app(_db(ctx, db), _today(today)).run()


def _db(ctx: typer.Context, db: Path | None) -> Path:
    """The command's --db, else the global one before the command, else $KASSE_DB or the default."""
    return resolve_db_path(db or ctx.find_root().params.get("db"))


def _today(text: str | None) -> date:
    if text is None:
        return date.today()
    from kasse.dates import parse_date

    return parse_date(text)


def _output_format(as_json: bool, as_csv: bool) -> OutputFormat:
    if as_json and as_csv:
        raise KasseError("Vælg enten --json eller --csv, ikke begge")
    return OutputFormat.JSON if as_json else OutputFormat.CSV if as_csv else OutputFormat.TABLE


def _print_deadlines(ctx: typer.Context, selection: Selection, db: Path | None, today: str | None, window: int,
                     as_json: bool, as_csv: bool) -> None:
    from kasse.lookups import caseload_deadlines
    from kasse.output import write_deadlines

    form = _output_format(as_json, as_csv)
    found = caseload_deadlines(_db(ctx, db), today=_today(today), window=window, selection=selection)
    write_deadlines(found, form)


@app.command()
def overdue(ctx: typer.Context, today: TodayOption = None, as_json: JsonOption = False, as_csv: CsvOption = False,
            db: DbOption = None) -> None:
    """Hvem er overskredet? Alle frister der er overskredet."""
    _print_deadlines(ctx, Selection.OVERDUE, db, today, DEFAULT_WINDOW_DAYS, as_json, as_csv)


@app.command()
def due(
    ctx: typer.Context,
    within: Annotated[int, typer.Option("--within", min=0, help="Antal dage frem.", metavar="DAGE")] = DEFAULT_WINDOW_DAYS,
    today: TodayOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Frister der er overskredet eller forfalder inden for --within dage (standard 14)."""
    _print_deadlines(ctx, Selection.DUE, db, today, within, as_json, as_csv)


@app.command()
def deadlines(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Også opfyldte og lukkede frister.")] = False,
    today: TodayOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Alle åbne frister (med --all også opfyldte og lukkede)."""
    _print_deadlines(ctx, Selection.ALL if show_all else Selection.OPEN, db, today, DEFAULT_WINDOW_DAYS, as_json, as_csv)


@app.command()
def show(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Ref, CPR-nummer eller navn.", metavar="REF|CPR|NAVN")],
    today: TodayOption = None,
    db: DbOption = None,
) -> None:
    """Vis én borger eller familie med dens frister."""
    from kasse.lookups import find
    from kasse.rules import family_deadlines
    from kasse.tables import print_family, print_search

    day = _today(today)
    matches = find(_db(ctx, db), text)
    if not matches:
        raise KasseError(f"Ingen borger eller familie matcher '{text}'")
    if len(matches) > 1:
        print_search(matches, day)
        typer.echo(f"{len(matches)} matcher '{text}' - angiv ref eller CPR-nummer.", err=True)
        return
    (match,) = matches
    print_family(match.family, family_deadlines(match.family, today=day), day, match.person)


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Del af navn, ref, CPR-nummer eller nationalitet.", metavar="TEKST")],
    today: TodayOption = None,
    db: DbOption = None,
) -> None:
    """Søg efter borgere."""
    from kasse.lookups import find
    from kasse.tables import print_search

    print_search(find(_db(ctx, db), text), _today(today))


@app.command()
def tui(ctx: typer.Context, today: TodayOption = None, db: DbOption = None) -> None:
    """Åbn kasse: køen, familierne og fristoversigten."""
    _run_app(ctx, db, today or ctx.find_root().params.get("today"))


@app.command()
def init(ctx: typer.Context, db: DbOption = None) -> None:
    """Opret databasen (gør intet, hvis den allerede findes)."""
    from kasse.data.db import open_database

    path = _db(ctx, db)
    open_database(path).close()
    typer.echo(f"Databasen er klar: {path}")


@app.command()
def demo(
    ctx: typer.Context,
    families: Annotated[int, typer.Option("--families", min=1, max=20000, help="Antal familier.")] = 40,
    seed: Annotated[int, typer.Option("--seed", help="Samme tal giver samme demo.")] = 1,
    no_open: Annotated[bool, typer.Option("--no-open", help="Åbn ikke kasse bagefter.")] = False,
    today: TodayOption = None,
    db: DbOption = None,
) -> None:
    """Lav en demo-sagsstamme med realistiske familier og frister i alle statusser."""
    from kasse.demo_setup import write_demo

    day = _today(today)
    result = write_demo(_db(ctx, db), families=families, seed=seed, today=day)
    typer.echo(result.message)
    if no_open:
        typer.echo(f"Åbn den med: kasse {result.db_args}".rstrip())
    else:
        _run_app(ctx, result.path, today)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="En kasse/v1 JSON-fil.", metavar="FIL")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Kontrollér filen og vis hvad der ville ske.")] = False,
    db: DbOption = None,
) -> None:
    """Indlæs en kasse/v1-fil: alt eller intet; en ref der findes i forvejen opdateres."""
    from kasse.transfer import import_file

    typer.echo(import_file(file, _db(ctx, db), dry_run=dry_run))


@app.command()
def export(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="Filnavn, eller - for standardoutput.", metavar="FIL|-")],
    db: DbOption = None,
) -> None:
    """Skriv hele sagsstammen som kasse/v1 JSON."""
    from kasse.transfer import export_file

    message = export_file(_db(ctx, db), target)
    if target != "-":
        typer.echo(message)


def main() -> None:
    """Console entry point: user mistakes become one Danish line and a non-zero exit, never a traceback."""
    try:
        app(prog_name="kasse")
    except KasseError as error:
        typer.echo(f"Fejl: {error.message}", err=True)
        sys.exit(1)
    except sqlite3.DatabaseError as error:
        typer.echo(f"Fejl: databasen kunne ikke læses ({error})", err=True)
        sys.exit(1)
    except OSError as error:
        typer.echo(f"Fejl: {error.strerror or error}: {error.filename or ''}".rstrip(": "), err=True)
        sys.exit(1)
