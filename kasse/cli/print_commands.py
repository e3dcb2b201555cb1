"""`kasse print contract|plan|deadlines REF [-o FIL]`: a document for the citizen as PDF (kasse/documents).

Without -o the file goes to the user's documents folder under a Danish
name; either way the command says where. Registered as the group `print`
in cli/main.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kasse.cli.danish import OPTIONS_METAVAR, SUBCOMMAND_METAVAR, DanishCommand, DanishGroup
from kasse.cli.options import DbOption, RulesOption, TodayOption, config_of, db_path, today_of
from kasse.errors import KasseError
from kasse.safe_text import terminal_safe

RefArgument = Annotated[str, typer.Argument(help="Personens eller familiens ref.", metavar="REF")]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", help="PDF-filen (ellers et nyt navn i din dokumentmappe).", metavar="FIL")]

_WRITTEN = {"contract": "Kontrakten", "plan": "Planen", "deadlines": "Fristoversigten"}


def print_document(ctx: typer.Context, kind: str, ref: str, output: Path | None, today: str | None,
                   rules: str | None, db: Path | None) -> Path:
    """Find `ref`, render the document `kind` on the day asked, write it and say where; the path written."""
    from kasse.documents import Document
    from kasse.documents import print_document as write_document
    from kasse.lookups import find_ref

    document = Document(kind)
    path = db_path(ctx, db)
    match = find_ref(path, ref)
    person = match.person
    if document is Document.CONTRACT and person is None:
        refs = ", ".join(member.ref for member in match.family.members)
        raise KasseError(f"Kontrakten er personlig - angiv en persons ref ({terminal_safe(refs)}), ikke familiens")
    config = config_of(ctx, rules)
    from kasse.cli.access_log_commands import log_look  # before the document is written: every print is logged

    # The plan and the deadline list show the whole family, whichever member's ref found it.
    seen = person.ref if document is Document.CONTRACT and person is not None else None
    log_look(path, match.family.ref, seen, f"print {kind}", config.user)
    written = write_document(document, match.family, person if document is Document.CONTRACT else None,
                             today=today_of(ctx, today), config=config, target=output)
    typer.echo(f"{_WRITTEN[kind]} er skrevet til {terminal_safe(str(written))}")
    if config.municipality is None:
        typer.echo("Kommunens navn mangler øverst i dokumentet - skriv municipality = \"...\" i kasse.toml "
                   "(kasse config viser hvor)")
    return written


def contract(ctx: typer.Context, ref: RefArgument, output: OutputOption = None, today: TodayOption = None,
             rules: RulesOption = None, db: DbOption = None) -> None:
    """Kontrakten for én borger: mål, aktiviteter, program, samtaler, frister og underskrifter."""
    print_document(ctx, "contract", ref, output, today, rules, db)


def plan(ctx: typer.Context, ref: RefArgument, output: OutputOption = None, today: TodayOption = None,
         rules: RulesOption = None, db: DbOption = None) -> None:
    """Familiens plan (integrationsplan / helhedsorienteret plan); en persons ref giver personens familie."""
    print_document(ctx, "plan", ref, output, today, rules, db)


def deadlines(ctx: typer.Context, ref: RefArgument, output: OutputOption = None, today: TodayOption = None,
              rules: RulesOption = None, db: DbOption = None) -> None:
    """Fristoversigt for familien: hver frist med status og hjemmel; en persons ref giver personens familie."""
    print_document(ctx, "deadlines", ref, output, today, rules, db)


print_ = typer.Typer(
    name="print",
    help="Udskriv et dokument som PDF: kontrakt (kasse print contract REF), plan eller fristoversigt.",
    cls=DanishGroup,
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar=SUBCOMMAND_METAVAR,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    rich_markup_mode=None,
    no_args_is_help=True,
)
print_.command("contract", cls=DanishCommand)(contract)
print_.command("plan", cls=DanishCommand)(plan)
print_.command("deadlines", cls=DanishCommand)(deadlines)
