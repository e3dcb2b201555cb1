"""`kasse purge`: anonymise the persons who left before a day (GDPR retention) - asked first, backed up first.

The work is kasse/data/purge.py's (what each field becomes: kasse/retention.py). Here: a dry run that says how
many and which refs (never names), the question, the backup before the purge and the one after it, which is the
anchor `kasse check` compares the resealed audit trail with. Registered as a command in cli/main.py.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kasse.cli.options import DbOption, TodayOption, db_path, today_of, writer
from kasse.errors import KasseError

LeftBeforeOption = Annotated[str, typer.Option(
    "--left-before", help="Anonymisér borgere, der er fraflyttet før denne dato (ÅÅÅÅ-MM-DD).", metavar="DATO")]


def purge(
    ctx: typer.Context,
    left_before: LeftBeforeOption,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Vis kun hvor mange og hvilke referencer.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Spørg ikke først (til scripts).")] = False,
    today: TodayOption = None,
    db: DbOption = None,
) -> None:
    """Anonymisér borgere, der er fraflyttet før en dato, og familier uden borgere tilbage (GDPR).

    Navne, CPR-numre, fritekst, opgaver og journalnotater erstattes overalt -
    også i loggen og adgangsloggen - mens datoerne bevares, så frister og
    nøgletal er de samme. Databasen sikkerhedskopieres først; den kopi
    indeholder stadig oplysningerne og slettes med de automatiske kopier.
    """
    from kasse.backup.copies import Kind, back_up
    from kasse.data.purge import purge as run_purge

    path = db_path(ctx, db)
    cutoff = _cutoff(left_before)
    if cutoff > (day := today_of(ctx, today)):  # a move planned for next month is not a closed case
        raise KasseError(f"--left-before ({_day(cutoff)}) ligger efter i dag ({_day(day)}): "
                         "kun borgere, der allerede er fraflyttet, kan anonymiseres")
    if not path.is_file():
        raise KasseError(f"Databasen findes ikke: {path}")
    actor = writer()
    found = run_purge(path, cutoff, actor=actor, dry_run=True)
    if not found.changed:
        typer.echo(f"Ingen at anonymisere: ingen fraflyttet før {_day(cutoff)} har oplysninger tilbage.")
        return
    typer.echo(_listing(found, cutoff))
    if dry_run:
        return
    if not yes:
        if not sys.stdin.isatty():
            raise KasseError("Anonymisering kræver bekræftelse: kør i en terminal, eller brug --yes")
        if not _yes("Anonymisér dem? Det kan ikke fortrydes, kun ved at gendanne sikkerhedskopien"):
            raise KasseError("Anonymiseringen er afbrudt - intet er ændret")
    before = back_up(path, kind=Kind.AUTOMATIC, rotate=False)
    typer.echo(f"Sikkerhedskopi fra før anonymiseringen: {before.path}")
    done = run_purge(path, cutoff, actor=actor)
    back_up(path, kind=Kind.AUTOMATIC)  # the resealed trail's new anchor for kasse check
    typer.echo(f"Anonymiseret: {_counts(done)}.")
    typer.echo("Sikkerhedskopien fra før indeholder stadig oplysningerne; den slettes med de automatiske kopier.")


def _cutoff(text: str):
    from kasse.dates import parse_case_date

    try:
        return parse_case_date(text)
    except KasseError as error:
        raise KasseError(f"--left-before: {error.message}") from None


def _day(day) -> str:
    from kasse.dates import format_date

    return format_date(day)


def _listing(found, cutoff) -> str:
    """What a purge would do: how many, and the refs of the persons and families (no names)."""
    from kasse.safe_text import terminal_safe

    lines = [f"Fraflyttet før {_day(cutoff)}: {_counts(found)}."]
    if found.persons:
        lines.append(f"Borgere: {terminal_safe(', '.join(found.persons))}")
    if found.families:
        lines.append(f"Familier: {terminal_safe(', '.join(found.families))}")
    return "\n".join(lines)


def _counts(found) -> str:
    return ", ".join((
        _count(len(found.persons), "borger", "borgere"),
        _count(len(found.families), "familie", "familier"),
        _count(found.notes, "journalnotat", "journalnotater"),
        _count(found.tasks, "opgave", "opgaver"),
        _count(found.audit_rows, "række", "rækker") + " i loggen",
        _count(found.access_log_rows, "række", "rækker") + " i adgangsloggen",
    ))  # fmt: skip


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _yes(question: str) -> bool:
    """A Danish yes/no question whose answer is no unless the user types j (ja) - or y (yes), as `restore` asks:
    typer.confirm would ask [y/N] and refuse a "j" in English."""
    answer = typer.prompt(f"{question} [j/N]", default="", show_default=False)
    return answer.strip().casefold() in {"j", "ja", "y", "yes"}
