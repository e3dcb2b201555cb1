"""The commands that keep the database safe - backup, backups, restore, check - and their words.

The work is kasse.backup's; here are the questions (the passphrase, "are you
sure?") and the lines that report it. Registered as commands in cli/main.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kasse.cli.options import CsvOption, DbOption, JsonOption, RulesOption, config_of, db_path, output_format, writer
from kasse.errors import MAX_PROBLEMS_SHOWN, KasseError

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

    path = db_path(ctx, db)
    taken = back_up(path, kind=Kind.MANUAL, folder=to, passphrase=_passphrase(True) if encrypt else None)
    if taken.stored:
        typer.echo(f"Sikkerhedskopi gemt{' (krypteret)' if encrypt else ''}: {taken.path}")
    else:
        typer.echo(f"Ingen ny sikkerhedskopi: databasen er uændret siden {taken.path}")


def backups(ctx: typer.Context, to: BackupDirOption = None, as_json: JsonOption = False, as_csv: CsvOption = False,
            db: DbOption = None) -> None:
    """Vis sikkerhedskopierne med tidspunkt (lokal tid; i JSON og CSV UTC), art, størrelse og antal familier og
    personer."""
    from kasse.backup.copies import default_folder, list_backups
    from kasse.cli.output import write_backups

    form = output_format(as_json, as_csv)
    folder = to or default_folder(db_path(ctx, db))
    write_backups(list_backups(folder), folder, form)


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

    path = db_path(ctx, db)
    with restore_candidate(file, path, lambda: _passphrase(False)) as candidate:
        if not yes:
            if not sys.stdin.isatty():
                raise KasseError("Gendannelse kræver bekræftelse: kør i en terminal, eller brug --yes")
            question = (f"Erstat {path} med {file.name} ({candidate.families} familier, "
                        f"{candidate.persons} personer)?")
            if not _yes(question):
                raise KasseError("Gendannelsen er afbrudt - intet er ændret")
        restored = restore_into(candidate, path, clock=utc_now, actor=writer())
    if restored.previous is not None:
        typer.echo(f"Den hidtidige database er gemt som {restored.previous}")
    typer.echo(f"Gendannet fra {file}: {candidate.families} familier og {candidate.persons} personer.")


def check(ctx: typer.Context, rules: RulesOption = None, db: DbOption = None) -> None:
    """Kontrollér databasen: integritet, fremmednøgler, skema, loggens kæde og antal rækker; vis reglerne der gælder."""
    from kasse.backup.integrity import check_database
    from kasse.cli.tables import print_policy
    from kasse.data.version import SCHEMA_REVISION

    path = db_path(ctx, db)
    print_policy(config_of(ctx, rules))
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
