"""kasse's command line (Typer): the app, the list of its commands, and the CLI's one error boundary.

The commands live by concern - lookup_commands.py (the quick lookups),
journal_commands.py (note, journal, task, tasks), print_commands.py and
stats_commands.py (documents and figures), data_commands.py (init,
demo, import, export, config), backup_commands.py (backup, backups,
restore, check); the options they share are options.py's.
Start-up time matters - a lookup is asked between two phone calls - so
nothing heavy is imported at the top of any of them: SQLModel, Alembic and
Textual are imported inside the commands that write or open the app.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from kasse.cli import backup_commands, data_commands, journal_commands, lookup_commands, print_commands, stats_commands
from kasse.cli.access_log_commands import access_log
from kasse.cli.danish import (
    ABORTED,
    OPTIONS_METAVAR,
    SUBCOMMAND_METAVAR,
    DanishCommand,
    DanishGroup,
    usage_error_line,
)
from kasse.cli.options import DbOption, RulesOption, TodayOption, config_of, db_path, today_of
from kasse.cli.purge_commands import purge
from kasse.collector import resume_unless_quick
from kasse.errors import KasseError


class _KasseGroup(DanishGroup):
    """kasse itself: its commands listed in COMMANDS' order (Typer would put the groups, `task`, last)."""

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return [name for name in COMMANDS if name in self.commands]


app = typer.Typer(
    name="kasse",
    help="kasse - sagsstamme og frister for integrationssagsbehandlere.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=_KasseGroup,
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar=SUBCOMMAND_METAVAR,
)


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context, db: DbOption = None, today: TodayOption = None, rules: RulesOption = None) -> None:
    """kasse - sagsstamme og frister for integrationssagsbehandlere.

    Uden kommando åbnes kasse på databasen.
    """
    resume_unless_quick(ctx.invoked_subcommand)
    if ctx.invoked_subcommand is None:
        open_app(ctx, db, today, rules)


def open_app(ctx: typer.Context, db: Path | None, today: str | None, rules: str | None) -> None:
    """Open the app on the database (bare `kasse`, `kasse tui`, `kasse demo`)."""
    from kasse.tui.app import make_app  # Textual only when the app opens

    make_app(db_path(ctx, db), today_of(ctx, today), config_of(ctx, rules)).run()


def key_problems(config) -> list[str]:
    """The [keys] entries of kasse.toml the app cannot use, in Danish (`kasse config` shows them)."""
    from kasse.tui.app import key_problems as problems  # the keys are the app's: Textual only here

    return list(problems(config))


def tui(ctx: typer.Context, today: TodayOption = None, rules: RulesOption = None, db: DbOption = None) -> None:
    """Åbn kasse: køen, familierne og fristoversigten."""
    open_app(ctx, db, today, rules)


# Every command, by the name a user types, in the order `kasse --help` lists them (a Typer: a group of them).
COMMANDS = {
    "overdue": lookup_commands.overdue,
    "due": lookup_commands.due,
    "deadlines": lookup_commands.deadlines,
    "show": lookup_commands.show,
    "search": lookup_commands.search,
    "note": journal_commands.note,
    "journal": journal_commands.journal,
    "task": journal_commands.task,
    "tasks": journal_commands.tasks,
    "print": print_commands.print_,
    "stats": stats_commands.stats,
    "tui": tui,
    "init": data_commands.init,
    "demo": data_commands.demo,
    "import": data_commands.import_,
    "export": data_commands.export,
    "backup": backup_commands.backup,
    "backups": backup_commands.backups,
    "restore": backup_commands.restore,
    "check": backup_commands.check,
    "access-log": access_log,
    "purge": purge,
    "config": data_commands.config,
}
for _name, _command in COMMANDS.items():
    if isinstance(_command, typer.Typer):
        app.add_typer(_command, name=_name)
    else:
        app.command(_name, cls=DanishCommand)(_command)  # DanishCommand: each command's help page in Danish


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
    return next((argument for argument in arguments if argument in COMMANDS), None)


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
