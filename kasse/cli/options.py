"""The options the commands share - --db, --today, --rules, --json/--csv - and what they resolve to.

--db, --today and --rules are global: given before the command they are
the root's, after it the command's own (`global_option` reads either).
Like the rest of the CLI's top level, nothing heavy is imported here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from kasse.cli.output import OutputFormat
from kasse.errors import KasseError
from kasse.paths import resolve_db_path

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Databasefil (ellers $KASSE_DB, ellers kasse.db i datamappen).", metavar="FIL"),
]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Regn frister ud fra denne dato (ÅÅÅÅ-MM-DD) i stedet for i dag.", metavar="DATO"),
]
RulesOption = Annotated[
    str | None,
    typer.Option("--rules", help="Regelsæt: auto (efter overtagelsesdato), 2015 eller 2016 (ellers $KASSE_RULES, "
                 "ellers konfigurationsfilen, ellers auto).", metavar="REGLER"),
]
# The output option of every listing command: a table for people, or --json / --csv for scripts (output_format).
JsonOption = Annotated[bool, typer.Option("--json", help="Skriv JSON (formatet står i docs/format.md).")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Skriv CSV.")]


def global_option(ctx: typer.Context, name: str, value):
    """A global option: the command's own, else the one given before the command."""
    return value if value is not None else ctx.find_root().params.get(name)


def db_path(ctx: typer.Context, db: Path | None) -> Path:
    """--db, else $KASSE_DB or the default; temporary copies a killed kasse left beside it are removed first
    (a look at one folder) - except by `check`, which reports them."""
    path = resolve_db_path(global_option(ctx, "db", db))
    if ctx.command.name != "check":
        from kasse.backup.temp_copies import remove_stray_temp_files

        remove_stray_temp_files(path)
    return path


def today_of(ctx: typer.Context, text: str | None) -> date:
    """--today, else the wall clock's day: the one place below which no code reads the clock."""
    text = global_option(ctx, "today", text)
    if text is None:
        return date.today()
    from kasse.dates import parse_case_date

    return parse_case_date(text)


def config_of(ctx: typer.Context, rules: str | None):
    """The config file with $KASSE_RULES and --rules on top."""
    from kasse.config import load_config

    return load_config(global_option(ctx, "rules", rules))


def writer() -> str:
    """Who writes, and signs a note, a task or an import: `user` in kasse.toml, else $KASSE_USER, else the login."""
    from kasse.config import load_config
    from kasse.data.audit import current_actor

    return current_actor(load_config().user)


def output_format(as_json: bool, as_csv: bool) -> OutputFormat:
    if as_json and as_csv:
        raise KasseError("Vælg enten --json eller --csv, ikke begge")
    return OutputFormat.JSON if as_json else OutputFormat.CSV if as_csv else OutputFormat.TABLE
