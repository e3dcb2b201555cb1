"""The commands that make or move a caseload - init, demo, import, export - and config.

The services (kasse.interchange.transfer, kasse.demo.setup) return what
they did; the sentences that tell the caseworker are written here.
Registered as commands in cli/main.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kasse.cli.options import DbOption, RulesOption, TodayOption, config_of, db_path, today_of, writer
from kasse.errors import KasseError

if TYPE_CHECKING:  # the services' results; their modules are loaded by the commands that make them
    from kasse.demo.setup import DemoResult
    from kasse.interchange.transfer import ExportResult, FileFormat, ImportResult


def init(ctx: typer.Context, db: DbOption = None) -> None:
    """Opret databasen (gør intet, hvis den allerede findes)."""
    from kasse.data.db import open_database

    path = db_path(ctx, db)
    open_database(path).close()
    typer.echo(f"Databasen er klar: {path}")


def demo(
    ctx: typer.Context,
    families: Annotated[
        int, typer.Option("--families", min=1, max=20000, help="Antal familier.", metavar="ANTAL")
    ] = 40,
    seed: Annotated[int, typer.Option("--seed", help="Samme tal giver samme demo.", metavar="TAL")] = 1,
    no_open: Annotated[bool, typer.Option("--no-open", help="Åbn ikke kasse bagefter.")] = False,
    today: TodayOption = None,
    rules: RulesOption = None,
    db: DbOption = None,
) -> None:
    """Lav en demo-sagsstamme med realistiske familier og frister i alle statusser."""
    from kasse.demo.setup import write_demo

    result = write_demo(db_path(ctx, db), families=families, seed=seed, today=today_of(ctx, today))
    typer.echo(f"Demo-sagsstamme med {result.families} familier, {result.persons} personer, "
               f"{_count(result.notes, 'notat', 'notater')} og {_count(result.tasks, 'opgave', 'opgaver')} "
               f"skrevet til {result.path}")
    if no_open:
        typer.echo(_how_to_open(result))
    else:
        from kasse.cli.main import open_app  # the one module that may open the app (pyproject.toml)

        open_app(ctx, result.path, today, rules)


def _how_to_open(result: DemoResult) -> str:
    """The command that opens the demo: `--db` is needed unless it went to the configured database."""
    from kasse.paths import resolve_db_path

    return "Åbn den med: kasse" + ("" if result.path == resolve_db_path() else f" --db {result.path}")


def _file_format(text: str | None) -> FileFormat | None:
    """--format of import and export: json, csv, xlsx or ics."""
    if text is None:
        return None
    from kasse.interchange.transfer import FileFormat

    try:
        return FileFormat(text.lower())
    except ValueError:
        raise KasseError(f"Ukendt format '{text}' (tilladt: json, csv, xlsx, ics)") from None


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="En kasse/v1-fil: JSON, CSV eller Excel (.xlsx).", metavar="FIL")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Kontrollér filen og vis hvad der ville ske.")] = False,
    file_format: Annotated[
        str | None,
        typer.Option("--format", help="json, csv eller xlsx (ellers efter filnavnet).", metavar="FORMAT"),
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Skriv fejlene som CSV til denne fil (åbner i Excel).", metavar="FIL")
    ] = None,
    today: TodayOption = None,
    db: DbOption = None,
) -> None:
    """Indlæs en kasse/v1-fil: alt eller intet; en ref der findes i forvejen opdateres."""
    from kasse.cli.progress import progress_bar
    from kasse.interchange.transfer import import_file

    with progress_bar(f"Indlæser {file.name}", 3) as step:
        result = import_file(file, db_path(ctx, db), actor=writer(), dry_run=dry_run, file_format_=_file_format(file_format),
                             report=report, today=today_of(ctx, today), step=step)
    typer.echo(_import_summary(result))


def _import_summary(result: ImportResult) -> str:
    """What an import did, in a sentence (and the first unusual fact it let through, if any)."""
    summary, verb = result.summary, "ville blive" if result.dry_run else "blev"
    text = (
        f"{result.source.name}: {summary.families_created} familier og {summary.persons_created} personer {verb} "
        f"oprettet, {summary.families_updated} familier og {summary.persons_updated} personer {verb} opdateret, "
        f"{summary.families_unchanged} familier uændret."
    )
    if result.notes_added or result.tasks_created or result.tasks_updated:
        text += (f" Journalen: {_count(result.notes_added, 'nyt notat', 'nye notater')} og "
                 f"{_count(result.tasks_created, 'ny opgave', 'nye opgaver')} {verb} tilføjet, "
                 f"{_count(result.tasks_updated, 'opgave', 'opgaver')} {verb} opdateret.")
    if result.dry_run:
        text += " Intet er gemt (--dry-run)."
    if result.unusual:
        first = result.unusual[0]
        text += (f"\nBemærk: {len(result.unusual)} usædvanlige, men mulige oplysninger, fx {first.record}, "
                 f"{first.field}: {first.reason}")
    return text


def export(
    ctx: typer.Context,
    target: Annotated[str | None, typer.Argument(help="Filnavn, eller - for standardoutput.", metavar="FIL|-")] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Filnavnet (i stedet for FIL).",
                                               metavar="FIL")] = None,
    file_format: Annotated[
        str | None,
        typer.Option("--format", help="json, csv, xlsx eller ics (ellers efter filnavnet).", metavar="FORMAT"),
    ] = None,
    family: Annotated[str | None, typer.Option("--family", help="Kun denne familie.", metavar="REF")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Kun denne person.", metavar="REF")] = None,
    subject_access: Annotated[str | None, typer.Option(
        "--subject-access", help="Indsigt: alt hvad kasse har om én person, som .json eller .pdf (-o FIL).",
        metavar="REF")] = None,
    today: TodayOption = None,
    rules: RulesOption = None,
    db: DbOption = None,
) -> None:
    """Skriv sagsstammen som kasse/v1 (JSON, CSV, Excel) eller de åbne frister som kalender (.ics) - eller med
    --subject-access alt om én borger (indsigt) som .json eller .pdf."""
    from datetime import UTC, datetime

    from kasse.cli.progress import progress_bar
    from kasse.interchange.transfer import export_file

    target = _target(ctx, target, output)
    path, config = db_path(ctx, db), config_of(ctx, rules)
    if subject_access is not None:
        if family is not None or person is not None or file_format is not None:
            raise KasseError("--subject-access giver én persons indsigt: uden --family, --person og --format")
        from kasse.cli.subject_access_command import export_subject_access

        export_subject_access(path, subject_access, target, today=today_of(ctx, today), config=config)
        return
    _log_export(path, family, person, config.user)
    with progress_bar(f"Skriver {target}", 2) as step:
        result = export_file(path, target, file_format_=_file_format(file_format), family=family,
                             person=person, today=today_of(ctx, today), stamp=datetime.now(UTC),
                             policy=config.policy, step=step)
    if target != "-":  # standard output holds the file itself
        typer.echo(_export_summary(result))


def _target(ctx: typer.Context, target: str | None, output: str | None) -> str:
    """The file export writes: FIL or -o FIL, one of the two."""
    if target is None and output is None:
        ctx.fail("Missing argument 'FIL|-'.")  # the usage mistake Typer makes of a missing argument, said in Danish
    if target is not None and output is not None:
        raise KasseError("Angiv filen én gang: kasse export FIL eller kasse export -o FIL")
    return target if target is not None else output


def _log_export(path: Path, family: str | None, person: str | None, user: str | None) -> None:
    """An export of one family or person is a look at it, logged before the file is written. The whole
    caseload's is not logged per person; a ref that does not fit its option is left to the export to refuse."""
    if family is None and person is None:
        return
    from kasse.cli.access_log_commands import log_look
    from kasse.lookups import find_ref

    try:
        match = find_ref(path, person if person is not None else family)
    except KasseError:
        return
    found = match.person_ref
    if (found == person) if person is not None else (found is None and match.family.ref == family):
        log_look(path, match.family.ref, found, "export", user)


def _export_summary(result: ExportResult) -> str:
    if result.open_deadlines is not None:
        return f"{result.open_deadlines} åbne frister skrevet til {result.target}"
    journal = (f" med {_count(result.notes, 'notat', 'notater')} og {_count(result.tasks, 'opgave', 'opgaver')}"
               if result.notes or result.tasks else "")
    return f"{result.families} familier og {result.persons} personer{journal} skrevet til {result.target}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def config() -> None:
    """Vis hvor konfigurationsfilen ligger, og en kommenteret standardfil (lokal praksis)."""
    from kasse.cli.main import key_problems
    from kasse.config import config_path, default_config_text, load_config

    path = config_path()
    if path.exists():
        problems = key_problems(load_config())  # a bad file is refused by name, as everywhere
        for line in problems:
            typer.echo(f"# Bemærk: {line}", err=True)
        state = f"findes; {len(problems)} {'tast' if len(problems) == 1 else 'taster'} under [keys] bruges ikke" \
            if problems else "findes og er i orden"
    else:
        state = "findes ikke endnu - standardværdierne gælder"
    typer.echo(f"# Konfigurationsfil: {path} ({state})")
    typer.echo(default_config_text(), nl=False)
