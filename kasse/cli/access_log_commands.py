"""`kasse access-log [REF]`: who looked at whom, newest first - and `log_look`, which the commands that show a
person or a family (show, export, print) call before they show anything.

The time of a look is read from the wall clock here, never below; the
looker is the configured user (`user =` in kasse.toml), else $KASSE_USER,
else the login name. Registered in cli/main.py.
"""

from __future__ import annotations

import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from kasse.cli.options import CsvOption, DbOption, JsonOption, db_path, output_format
from kasse.cli.output import OutputFormat

ACCESS_FIELDS = ("at", "actor", "command", "record_kind", "record", "family")
ACCESS_TEXT_FIELDS = ("actor", "record", "family")


def log_look(path: Path, family_ref: str, person_ref: str | None, command: str, user: str | None) -> None:
    """Log that the caseworker now looks at a person (or a whole family, `person_ref` None) with `command`.
    Raises KasseError when that cannot be logged: the command must then show nothing."""
    from kasse.access_log import look
    from kasse.data.access_log import log
    from kasse.data.audit import current_actor

    log(path, look(family_ref, person_ref, at=datetime.now(UTC), actor=current_actor(user), command=command))


def access_log(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Argument(help="Kun opslag om denne person eller familie.", metavar="[REF]")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Adgangsloggen: hvem har set hvilke borgere og familier, hvornår og hvordan (nyeste først)."""
    from kasse.access_log import entry_record
    from kasse.cli.output import write_csv, write_json_lines
    from kasse.data.access_log import entries
    from kasse.lookups import connect

    form = output_format(as_json, as_csv)
    path = db_path(ctx, db)
    with closing(connect(path)) as connection:
        ref = ref.strip() if ref else None
        found = entries(connection, ref)
        if ref and not found:  # a name or CPR number: the one person or family it finds, as `kasse show`
            ref = _ref_of(path, ref)
            found = entries(connection, ref)
    records = [entry_record(entry) for entry in found]
    if form is OutputFormat.JSON:
        write_json_lines(sys.stdout, records)
    elif form is OutputFormat.CSV:
        write_csv(sys.stdout, records, ACCESS_FIELDS, ACCESS_TEXT_FIELDS)
    else:
        _print_table(found, ref)


def _ref_of(path: Path, text: str) -> str:
    """The ref of the one person or family `text` finds (ref, CPR number or name), as `kasse show` finds it. A
    ref the log holds needs no lookup: a purged or deleted person's looks are found by theirs."""
    from kasse.lookups import find, the_one

    return the_one(find(path, text)).ref


def _print_table(found, ref: str | None) -> None:
    from rich import box
    from rich.table import Table

    from kasse.access_log import KIND_WORDS, command_words
    from kasse.cli.journal_tables import moment_text
    from kasse.cli.tables import plain_console, user_text

    console = plain_console()
    if not found:
        console.print(user_text("Ingen opslag i adgangsloggen" + (f" om {ref.strip()}." if ref else ".")))
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD)
    table.add_column("Tidspunkt", no_wrap=True)
    for heading in ("Bruger", "Hvordan", "Set", "Familie"):
        table.add_column(heading, overflow="fold")
    for entry in found:
        seen = user_text(f"{KIND_WORDS.get(entry.record_kind, entry.record_kind)} {entry.record_ref}")
        table.add_row(moment_text(entry.at.astimezone()), user_text(entry.actor), command_words(entry.command), seen,
                      user_text(entry.family_ref))
    console.print(table)
