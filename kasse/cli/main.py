"""kasse's command line (Typer): parse, call the core, print. Help and messages in Danish.

Start-up time matters here - a lookup is asked between two phone calls - so
this module imports nothing heavy at the top: SQLModel, Alembic and Textual
are imported inside the commands that write or open the app.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from kasse.cli.danish import (
    ABORTED,
    OPTIONS_METAVAR,
    SUBCOMMAND_METAVAR,
    DanishCommand,
    DanishGroup,
    usage_error_line,
)
from kasse.cli.output import OutputFormat
from kasse.collector import resume_unless_quick
from kasse.errors import MAX_PROBLEMS_SHOWN, KasseError
from kasse.lookups import Selection
from kasse.paths import resolve_db_path

app = typer.Typer(
    name="kasse",
    help="kasse - sagsstamme og frister for integrationssagsbehandlere.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=DanishGroup,
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar=SUBCOMMAND_METAVAR,
)


def command(name: str | None = None):
    """Registers a kasse command, with its help page in Danish."""
    return app.command(name, cls=DanishCommand)


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
# The output option of every listing command: a table for people, or --json / --csv for scripts (_output_format).
JsonOption = Annotated[bool, typer.Option("--json", help="Skriv JSON (formatet står i docs/format.md).")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Skriv CSV.")]


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context, db: DbOption = None, today: TodayOption = None, rules: RulesOption = None) -> None:
    """kasse - sagsstamme og frister for integrationssagsbehandlere.

    Uden kommando åbnes kasse på databasen.
    """
    resume_unless_quick(ctx.invoked_subcommand)
    if ctx.invoked_subcommand is None:
        _run_app(ctx, db, today, rules)


def _run_app(ctx: typer.Context, db: Path | None, today: str | None, rules: str | None) -> None:
    from kasse.tui.app import make_app  # Textual only when the app opens

    make_app(_db(ctx, db), _today(ctx, today), _config(ctx, rules)).run()


def _global(ctx: typer.Context, name: str, value):
    """A global option: the command's own, else the one given before the command."""
    return value if value is not None else ctx.find_root().params.get(name)


def _db(ctx: typer.Context, db: Path | None) -> Path:
    """--db, else $KASSE_DB or the default; temporary copies a killed kasse left beside it are removed first
    (a look at one folder) - except by `check`, which reports them."""
    path = resolve_db_path(_global(ctx, "db", db))
    if ctx.command.name != "check":
        from kasse.backup.temp_copies import remove_stray_temp_files

        remove_stray_temp_files(path)
    return path


def _today(ctx: typer.Context, text: str | None) -> date:
    text = _global(ctx, "today", text)
    if text is None:
        return date.today()
    from kasse.dates import parse_date

    return parse_date(text)


def _config(ctx: typer.Context, rules: str | None):
    """The config file with $KASSE_RULES and --rules on top."""
    from kasse.config import load_config

    return load_config(_global(ctx, "rules", rules))


def _file_format(text: str | None):
    """--format of import and export: json, csv, xlsx or ics."""
    if text is None:
        return None
    from kasse.interchange.transfer import FileFormat

    try:
        return FileFormat(text.lower())
    except ValueError:
        raise KasseError(f"Ukendt format '{text}' (tilladt: json, csv, xlsx, ics)") from None


def _output_format(as_json: bool, as_csv: bool) -> OutputFormat:
    if as_json and as_csv:
        raise KasseError("Vælg enten --json eller --csv, ikke begge")
    return OutputFormat.JSON if as_json else OutputFormat.CSV if as_csv else OutputFormat.TABLE


def _print_deadlines(ctx: typer.Context, selection: Selection, db: Path | None, today: str | None,
                     window: int | None, rules: str | None, as_json: bool, as_csv: bool) -> None:
    from kasse.cli.output import write_deadlines
    from kasse.lookups import caseload_deadlines

    form = _output_format(as_json, as_csv)
    policy = _config(ctx, rules).policy
    found = caseload_deadlines(_db(ctx, db), today=_today(ctx, today), window=policy.window_days if window is None
                               else window, selection=selection, policy=policy)
    write_deadlines(found, form)


@command()
def overdue(ctx: typer.Context, today: TodayOption = None, rules: RulesOption = None, as_json: JsonOption = False,
            as_csv: CsvOption = False, db: DbOption = None) -> None:
    """Hvem er overskredet? Alle frister der er overskredet."""
    _print_deadlines(ctx, Selection.OVERDUE, db, today, None, rules, as_json, as_csv)


@command()
def due(
    ctx: typer.Context,
    within: Annotated[
        int | None, typer.Option("--within", min=0, help="Antal dage frem (ellers window_days, standard 14).",
                                 metavar="DAGE")
    ] = None,
    today: TodayOption = None,
    rules: RulesOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Frister der er overskredet eller forfalder inden for --within dage (standard 14)."""
    _print_deadlines(ctx, Selection.DUE, db, today, within, rules, as_json, as_csv)


@command()
def deadlines(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Også opfyldte og lukkede frister.")] = False,
    today: TodayOption = None,
    rules: RulesOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Alle åbne frister (med --all også opfyldte og lukkede)."""
    _print_deadlines(ctx, Selection.ALL if show_all else Selection.OPEN, db, today, None, rules, as_json, as_csv)


@command()
def show(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Ref, CPR-nummer eller navn.", metavar="REF|CPR|NAVN")],
    today: TodayOption = None,
    rules: RulesOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Vis én borger eller familie med dens frister (--csv: fristerne)."""
    from kasse.cli.output import write_search, write_shown
    from kasse.lookups import find, hits_of, shown

    form = _output_format(as_json, as_csv)
    day = _today(ctx, today)
    policy = _config(ctx, rules).policy
    matches = find(_db(ctx, db), text)
    if not matches:
        raise KasseError("Ingen borger eller familie matcher - søg med en del af navnet: kasse search TEKST")
    if len(matches) > 1:
        if form is OutputFormat.TABLE:
            write_search(hits_of(matches, text), form, day)
        raise KasseError("Flere borgere matcher - angiv ref eller CPR-nummer")
    write_shown(shown(matches[0], today=day, window=policy.window_days, policy=policy), form, day)


@command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Del af navn, ref, CPR-nummer eller nationalitet.", metavar="TEKST")],
    today: TodayOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Søg efter borgere."""
    from kasse.cli.output import write_search
    from kasse.lookups import search_persons

    form = _output_format(as_json, as_csv)
    write_search(search_persons(_db(ctx, db), text), form, _today(ctx, today))


@command()
def tui(ctx: typer.Context, today: TodayOption = None, rules: RulesOption = None, db: DbOption = None) -> None:
    """Åbn kasse: køen, familierne og fristoversigten."""
    _run_app(ctx, db, today, rules)


@command()
def init(ctx: typer.Context, db: DbOption = None) -> None:
    """Opret databasen (gør intet, hvis den allerede findes)."""
    from kasse.data.db import open_database

    path = _db(ctx, db)
    open_database(path).close()
    typer.echo(f"Databasen er klar: {path}")


@command()
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

    day = _today(ctx, today)
    result = write_demo(_db(ctx, db), families=families, seed=seed, today=day)
    typer.echo(result.message)
    if no_open:
        typer.echo(f"Åbn den med: kasse {result.db_args}".rstrip())
    else:
        _run_app(ctx, result.path, today, rules)


@command("import")
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
        result = import_file(file, _db(ctx, db), dry_run=dry_run, file_format_=_file_format(file_format),
                             report=report, today=_today(ctx, today), step=step)
    typer.echo(_import_summary(result))


def _import_summary(result) -> str:
    """What an import did, in a sentence (and the first unusual fact it let through, if any)."""
    summary, verb = result.summary, "ville blive" if result.dry_run else "blev"
    text = (
        f"{result.source.name}: {summary.families_created} familier og {summary.persons_created} personer {verb} "
        f"oprettet, {summary.families_updated} familier og {summary.persons_updated} personer {verb} opdateret, "
        f"{summary.families_unchanged} familier uændret." + (" Intet er gemt (--dry-run)." if result.dry_run else "")
    )
    if result.unusual:
        first = result.unusual[0]
        text += (f"\nBemærk: {len(result.unusual)} usædvanlige, men mulige oplysninger, fx {first.record}, "
                 f"{first.field}: {first.reason}")
    return text


@command()
def export(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="Filnavn, eller - for standardoutput.", metavar="FIL|-")],
    file_format: Annotated[
        str | None,
        typer.Option("--format", help="json, csv, xlsx eller ics (ellers efter filnavnet).", metavar="FORMAT"),
    ] = None,
    family: Annotated[str | None, typer.Option("--family", help="Kun denne familie.", metavar="REF")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Kun denne person.", metavar="REF")] = None,
    today: TodayOption = None,
    rules: RulesOption = None,
    db: DbOption = None,
) -> None:
    """Skriv sagsstammen som kasse/v1 (JSON, CSV, Excel) eller de åbne frister som kalender (.ics)."""
    from datetime import UTC, datetime

    from kasse.cli.progress import progress_bar
    from kasse.interchange.transfer import export_file

    with progress_bar(f"Skriver {target}", 2) as step:
        message = export_file(_db(ctx, db), target, file_format_=_file_format(file_format), family=family,
                              person=person, today=_today(ctx, today), stamp=datetime.now(UTC),
                              policy=_config(ctx, rules).policy, step=step)
    if target != "-":
        typer.echo(message)


BackupDirOption = Annotated[
    Path | None,
    typer.Option("--to", help="Mappe til sikkerhedskopier (ellers backups/ ved siden af databasen).", metavar="MAPPE"),
]


def _passphrase(confirm: bool) -> str:
    """$KASSE_BACKUP_PASSPHRASE, else asked for without echo (twice when making a backup)."""
    import os

    from kasse.backup.copies import PASSPHRASE_ENV

    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        raise KasseError(f"Adgangsudtrykket skal tastes i en terminal eller stå i ${PASSPHRASE_ENV}")
    passphrase = typer.prompt("Adgangsudtryk", hide_input=True)
    # Asked again by hand: Typer's own confirmation answers a mismatch in English.
    if confirm and typer.prompt("Gentag adgangsudtrykket", hide_input=True) != passphrase:
        raise KasseError("De to adgangsudtryk er ikke ens - intet er gemt")
    return passphrase


def _yes(question: str) -> bool:
    """A Danish yes/no question whose answer is no unless the user types j (ja) - or y (yes)."""
    answer = typer.prompt(f"{question} [j/N]", default="", show_default=False)
    return answer.strip().casefold() in {"j", "ja", "y", "yes"}


@command()
def backup(
    ctx: typer.Context,
    to: BackupDirOption = None,
    encrypt: Annotated[
        bool, typer.Option("--encrypt", help="Kryptér kopien (AES-256-GCM) med et adgangsudtryk.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Tag en kontrolleret, manuel sikkerhedskopi af databasen.

    Manuelle kopier slettes aldrig af kasse - slet selv dem, du ikke vil
    beholde. Automatiske kopier (før import og gendannelse, og appens første
    start hver dag) beholdes i 14 dage ($KASSE_BACKUP_KEEP: et andet antal
    dage); ældre slettes først, når der er kopier fra lige så mange nyere
    dage, og krypterede kopier slettes aldrig. Er databasen uændret siden
    den seneste kopi af samme slags, gemmes ingen ny. Tidspunktet i filnavnet
    er UTC; en mappe, der er et symbolsk link, afvises.
    """
    from kasse.backup.copies import Kind, back_up

    path = _db(ctx, db)
    taken = back_up(path, kind=Kind.MANUAL, folder=to, passphrase=_passphrase(True) if encrypt else None)
    if taken.stored:
        typer.echo(f"Sikkerhedskopi gemt{' (krypteret)' if encrypt else ''}: {taken.path}")
    else:
        typer.echo(f"Ingen ny sikkerhedskopi: databasen er uændret siden {taken.path}")


@command()
def backups(ctx: typer.Context, to: BackupDirOption = None, as_json: JsonOption = False, as_csv: CsvOption = False,
            db: DbOption = None) -> None:
    """Vis sikkerhedskopierne med tidspunkt (lokal tid; i JSON og CSV UTC), art, størrelse og antal familier og
    personer."""
    from kasse.backup.copies import default_folder, list_backups
    from kasse.cli.output import write_backups

    form = _output_format(as_json, as_csv)
    folder = to or default_folder(_db(ctx, db))
    write_backups(list_backups(folder), folder, form)


@command()
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="En sikkerhedskopi (også krypteret).", metavar="FIL")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Spørg ikke først (til scripts).")] = False,
    db: DbOption = None,
) -> None:
    """Erstat databasens indhold med en sikkerhedskopi; den nuværende database sikkerhedskopieres først.

    Loggen bevares: dens rækker fra før gendannelsen bliver stående, og gendannelsen skrives i den.
    """
    from kasse.backup.copies import restore_candidate, utc_now
    from kasse.backup.restore import restore_into

    path = _db(ctx, db)
    with restore_candidate(file, path, lambda: _passphrase(False)) as candidate:
        if not yes:
            if not sys.stdin.isatty():
                raise KasseError("Gendannelse kræver bekræftelse: kør i en terminal, eller brug --yes")
            question = (f"Erstat {path} med {file.name} ({candidate.families} familier, "
                        f"{candidate.persons} personer)?")
            if not _yes(question):
                raise KasseError("Gendannelsen er afbrudt - intet er ændret")
        restored = restore_into(candidate, path, clock=utc_now)
    if restored.previous is not None:
        typer.echo(f"Den hidtidige database er gemt som {restored.previous}")
    typer.echo(f"Gendannet fra {file}: {candidate.families} familier og {candidate.persons} personer.")


@command()
def check(ctx: typer.Context, rules: RulesOption = None, db: DbOption = None) -> None:
    """Kontrollér databasen: integritet, fremmednøgler, skema, loggens kæde og antal rækker; vis reglerne der gælder."""
    from kasse.backup.integrity import check_database
    from kasse.cli.tables import print_policy
    from kasse.data.version import SCHEMA_REVISION

    path = _db(ctx, db)
    print_policy(_config(ctx, rules))
    report = check_database(path)
    integrity = "ok" if report.integrity == ("ok",) else f"FEJL ({len(report.integrity)}): {report.integrity[0]}"
    foreign = "ok" if not report.foreign_key_problems else f"FEJL: {report.foreign_key_problems} rækker peger forkert"
    if report.revision_current:
        schema = f"{report.revision} (aktuel)"
    elif report.revision_known:
        schema = f"{report.revision} (ældre; opgraderes til {SCHEMA_REVISION}, næste gang kasse åbner den)"
    else:
        schema = f"FEJL: {report.revision}, som denne version af kasse ikke kender (forventet {SCHEMA_REVISION})"
    typer.echo(f"Database:      {path}")
    typer.echo(f"Integritet:    {integrity}")
    typer.echo(f"Fremmednøgler: {foreign}")
    typer.echo(f"Skemaversion:  {schema}")
    typer.echo(f"Skema:         {_schema_line(report)}")
    for problem in report.schema[1:MAX_PROBLEMS_SHOWN]:
        typer.echo(f"               {problem}")
    typer.echo(f"Familier:      {report.families}")
    typer.echo(f"Personer:      {report.persons}")
    typer.echo(f"Log:           {_audit_line(report.audit)}")
    if report.anchor is not None:
        typer.echo(f"Mod kopien:    {_anchor_line(report.anchor)}")
    if report.bad_versions:
        typer.echo(f"Versioner:     FEJL: {report.bad_versions} rækker har en ugyldig versionstæller - "
                   "databasen er ændret uden om kasse")
    if report.stray_files:
        names = ", ".join(path.name for path in report.stray_files[:MAX_PROBLEMS_SHOWN])
        typer.echo(f"Efterladte midlertidige kopier ({len(report.stray_files)}, ukrypterede): {names} - "
                   "de slettes, næste gang kasse starter.")
    if not report.ok:
        typer.echo("Databasen har fejl - gendan evt. en sikkerhedskopi med 'kasse restore'.", err=True)
        raise typer.Exit(1)
    typer.echo("Alt er i orden.")


def _schema_line(report) -> str:
    if not report.schema:
        return "ok (som migreringerne bygger det)"
    more = f" (i alt {len(report.schema)} afvigelser)" if len(report.schema) > 1 else ""
    return f"FEJL: {report.schema[0]}{more} - databasen er ændret uden om kasse"


def _audit_line(audit) -> str:
    if audit is None:
        return "kæden oprettes, når databasen opgraderes"
    if audit.ok:
        return f"{audit.rows} rækker, kæden er ubrudt"
    return (f"FEJL: kæden er brudt ved række {audit.first_broken_id} af {audit.rows} - "
            "en logrække er ændret eller slettet uden om kasse")


def _anchor_line(anchor) -> str:
    taken = anchor.taken.astimezone().strftime("%d-%m-%Y %H:%M")
    if anchor.ok:
        return f"loggen rummer sikkerhedskopien {anchor.backup.name} ({taken}) uændret"
    return (f"FEJL: loggen stemmer ikke med sikkerhedskopien {anchor.backup.name} ({taken}) ved række "
            f"{anchor.last_id} - rækker er fjernet eller omskrevet siden")


@command()
def config() -> None:
    """Vis hvor konfigurationsfilen ligger, og en kommenteret standardfil (lokal praksis)."""
    from kasse.config import config_path, default_config_text, load_config

    path = config_path()
    if path.exists():
        load_config()  # a file that exists is checked: a bad one is refused by name, as everywhere
        state = "findes og er i orden"
    else:
        state = "findes ikke endnu - standardværdierne gælder"
    typer.echo(f"# Konfigurationsfil: {path} ({state})")
    typer.echo(default_config_text(), nl=False)


def main() -> None:
    """Console entry point and the CLI's one error boundary: never a traceback, never personal data.

    A user's mistake or an expected failure (a locked, full, read-only or
    damaged database) is one Danish line and exit 1 (a bad config or a usage
    error Typer found: 2); a bug is one line naming the report written
    without personal data, and exit 70.
    """
    try:
        # Not standalone: Typer's own usage errors and "Aborted!" come here, to be said in Danish.
        code = app(prog_name="kasse", standalone_mode=False)
    except KasseError as error:
        from kasse.config import ConfigError

        _print_error(error.message)
        sys.exit(2 if isinstance(error, ConfigError) else 1)
    except typer.Abort:  # ctrl-c or end of input at a question
        _print_error(ABORTED)
        sys.exit(1)
    except typer.TyperException as error:  # a usage error: unknown option, missing argument, bad value
        _print_error(usage_error_line(error))
        sys.exit(error.exit_code)
    except Exception as error:  # noqa: BLE001 - the boundary: everything else is explained or reported here
        from kasse import failures

        message = failures.explain(error) or _argument_not_utf8(error, sys.argv[1:])
        if message is not None:
            _print_error(message)
            sys.exit(1)
        report = failures.write_crash_report(error, command=_command_name(sys.argv[1:]))
        _print_error(failures.unexpected_line(error, report))
        sys.exit(failures.EXIT_UNEXPECTED)
    sys.exit(code)  # None after a command, an int from typer.Exit (--help, check, ctrl-c)


def _print_error(message: str) -> None:
    from kasse.failures import for_terminal

    typer.echo(f"Fejl: {for_terminal(message)}", err=True)


def _command_name(arguments: list[str]) -> str | None:
    """The subcommand the user ran, for a crash report; its arguments (a name, a CPR number) are left out."""
    names = {command.name or command.callback.__name__.rstrip("_") for command in app.registered_commands}
    return next((argument for argument in arguments if argument in names), None)


def _argument_not_utf8(error: BaseException, arguments: list[str]) -> str | None:
    """The line for an argument whose bytes were not UTF-8, when that is what failed: Python passes such bytes on
    as lone surrogates, which no query or file can encode. A file name may be such bytes, so they are not refused
    before they are used."""
    if not isinstance(error, UnicodeEncodeError):
        return None
    unencodable = error.object[error.start : error.end]
    if not any(unencodable in argument for argument in arguments):
        return None
    return "Et argument på kommandolinjen er ikke gyldig UTF-8 - skriv det igen i en terminal, der bruger UTF-8."
