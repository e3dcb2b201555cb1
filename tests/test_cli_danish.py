"""No English reaches a caseworker from the command line: help pages, usage errors and questions are Danish."""

from __future__ import annotations

import os
import re
import select
import signal
import sys
import time

import pytest
import typer

from kasse.cli.danish import danish_message
from kasse.cli.main import app
from tests.cli_helpers import run_kasse

# Words of click's and Typer's own messages (help frame, errors, prompts); none may reach the user.
ENGLISH = re.compile(
    r"\b(Usage|Error|Options|Arguments|Commands|Show this message|exit|Missing|No such|Invalid|default|required"
    r"|Try|for help|Aborted|Did you mean|Possible options|unexpected|is not|int range|integer|INTEGER|TEXT|PATH"
    r"|FLOAT|BOOLEAN|OPTIONS|COMMAND|ARGS|env var|requires|does not|invalid input|Repeat for confirmation"
    r"|do not match|deprecated|dynamic)\b|\[y/N\]"
)


def command_paths(command=None, path=()) -> list[tuple[str, ...]]:
    """Every command and subcommand of kasse, as the words that call it (the root as ())."""
    command = command or typer.main.get_command(app)
    paths = [path]
    for name, sub in getattr(command, "commands", {}).items():
        paths += command_paths(sub, (*path, name))
    return paths


def assert_danish(text: str) -> None:
    english = ENGLISH.findall(text)
    assert not english, (english, text)


@pytest.mark.parametrize("path", command_paths(), ids=lambda path: " ".join(path) or "kasse")
def test_every_help_page_is_danish(path):
    result = run_kasse(*path, "--help")

    assert result.code == 0, result.err
    assert result.out.startswith(f"Brug: {' '.join(('kasse', *path))} [TILVALG]")
    assert "Tilvalg:" in result.out and "-h, --help" in result.out and "Vis denne hjælp og afslut." in result.out
    assert_danish(result.out + result.err)


def test_task_lists_its_two_subcommands_and_add_is_the_default():
    task = run_kasse("task", "-h").out

    assert "Brug: kasse task [TILVALG] KOMMANDO [ARGUMENTER]..." in task
    assert "add " in task and "done " in task and "kasse task REF TITEL --due DATO" in task
    assert run_kasse("task", "F-1", "Ring", "-h").out == run_kasse("task", "add", "-h").out


def test_help_notes_on_options_and_arguments_are_danish():
    demo = run_kasse("demo", "-h").out
    show = run_kasse("show", "-h").out
    root = run_kasse("-h").out

    assert "--families ANTAL" in demo and "[standard: 40; 1<=x<=20000]" in demo
    assert "Argumenter:" in show and "[påkrævet]" in show
    assert "Brug: kasse [TILVALG] KOMMANDO [ARGUMENTER]..." in root and "Kommandoer:" in root


MISTAKES = [
    (["overdue", "--nope"], "Ukendt tilvalg: --nope - se 'kasse overdue -h'"),
    (["due", "--jsn"], "Ukendt tilvalg: --jsn (mente du --csv, --json?) - se 'kasse due -h'"),
    (["due", "-x"], "Ukendt tilvalg: -x - se 'kasse due -h'"),
    (["--nope"], "Ukendt tilvalg: --nope - se 'kasse -h'"),
    (["show"], "Argumentet 'REF|CPR|NAVN' mangler - se 'kasse show -h'"),
    (["export"], "Argumentet 'FIL|-' mangler - se 'kasse export -h'"),
    (["due", "--within", "x"], "Ugyldig værdi for '--within': skal være et helt tal - se 'kasse due -h'"),
    (["due", "--within", "-1"], "Ugyldig værdi for '--within': skal være mindst 0 - se 'kasse due -h'"),
    (
        ["demo", "--families", "0"],
        "Ugyldig værdi for '--families': skal være fra 1 til og med 20000 - se 'kasse demo -h'",
    ),
    (["shw"], "Ukendt kommando (mente du 'show'?) - se 'kasse -h'"),
    (
        ["show", "Amina", "Hassan"],
        "Flere argumenter end kommandoen tager (står et navn med mellemrum i anførselstegn?) - se 'kasse show -h'",
    ),
    (["overdue", "--db"], "Tilvalget '--db' skal have en værdi"),
    (["overdue", "--json=ja"], "Tilvalget '--json' tager ingen værdi"),
    (["note", "F-1"], "Argumentet 'TEKST' mangler - se 'kasse note -h'"),
    (["task"], "Kommandoen mangler - se 'kasse task -h'"),
    (["task", "F-1", "Ring til lægen"], "Tilvalget '--due' mangler - se 'kasse task add -h'"),
    (["task", "done"], "Argumentet 'ID' mangler - se 'kasse task done -h'"),
]


@pytest.mark.parametrize(("args", "line"), MISTAKES, ids=[" ".join(args) for args, _ in MISTAKES])
def test_a_usage_mistake_is_one_danish_line_and_exit_2(args, line):
    result = run_kasse(*args)

    assert (result.code, result.out) == (2, "")
    assert result.err == f"Fejl: {line}\n"
    assert_danish(result.err)


@pytest.mark.parametrize("args", [["Amina"], ["show", "Amina", "Hassan"], ["search", "Amina", "Hassan", "Syrien"],
                                  ["note", "F-1", "Amina", "Hassan"]])
def test_a_usage_mistake_does_not_repeat_a_name_typed(args):
    result = run_kasse(*args)

    assert result.code == 2
    assert not any(word in result.err for word in ("Amina", "Hassan", "Syrien"))


@pytest.mark.parametrize(
    ("english", "danish"),
    [
        ("No such option: --x (Possible options: --a, --b)", "Ukendt tilvalg: --x (mente du --a, --b?)"),
        ("No such option: --x Did you mean --a?", "Ukendt tilvalg: --x (mente du --a?)"),
        ("Missing option '--to'.", "Tilvalget '--to' mangler"),
        ("Missing command.", "Kommandoen mangler"),
        ("Option '--to' requires 2 arguments.", "Tilvalget '--to' skal have 2 værdier"),
        (
            "Got unexpected extra arguments (a b)",
            "Flere argumenter end kommandoen tager (står et navn med mellemrum i anførselstegn?)",
        ),
        ("Invalid value for '--n': 7 is not in the range x<=5.", "Ugyldig værdi for '--n': skal være højst 5"),
        ("Invalid value for '--n': 0 is not in the range x>0.", "Ugyldig værdi for '--n': skal være over 0"),
        (
            "Invalid value for '--n': 9 is not in the range 0<=x<5.",
            "Ugyldig værdi for '--n': skal være fra 0 og under 5",
        ),
        ("Invalid value for '--n': 'x' is not a valid float.", "Ugyldig værdi for '--n': skal være et tal"),
        ("Invalid value for '--n': 'x' is not one of 'a', 'b'.", "Ugyldig værdi for '--n': værdien kan ikke bruges"),
        ("Something click has never said before.", "Kommandolinjen kan ikke forstås"),
    ],
)
def test_click_messages_not_met_above_are_danish_too(english, danish):
    assert danish_message(english) == danish


# ----------------------------------------------------------------------------- questions, on a real terminal


def run_in_terminal(args: list[str], answers: list[tuple[str, str]]) -> tuple[int, str]:
    """kasse on a pseudo-terminal: for each (question, keys), wait until the question shows, then type the keys.

    A hidden question turns echo off (and drops what was typed) before it writes its last character, the space
    after the colon: a question is matched with that space, so nothing is typed too early.
    """
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"KASSE_DB", "KASSE_RULES", "KASSE_BACKUP_PASSPHRASE"}
    }
    environment.update({"NO_COLOR": "1", "TERM": "dumb", "KASSE_CONFIG": os.devnull + ".kasse.toml"})
    pid, terminal = os.forkpty()
    if pid == 0:  # the child: becomes kasse at once
        os.execve(sys.executable, [sys.executable, "-m", "kasse", *args], environment)
    output, asked_up_to = b"", 0
    deadline = time.monotonic() + 20
    try:
        while True:
            if answers and (found := output.find(answers[0][0].encode(), asked_up_to)) >= 0:
                asked_up_to = found + 1
                os.write(terminal, answers.pop(0)[1].encode())
            if not select.select([terminal], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise AssertionError(f"kasse waited or hung: {output!r}")
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the child has closed the terminal
                break
            if not chunk:
                break
            output += chunk
    finally:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(terminal)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "kasse.db"
    assert run_kasse("init", db=path).code == 0
    return path


def test_ctrl_c_at_a_question_is_a_danish_line(db):
    code, shown = run_in_terminal(["backup", "--encrypt", "--db", str(db)], [("Adgangsudtryk: ", "\x03")])

    assert code == 1
    assert "Fejl: Afbrudt - intet er ændret." in shown
    assert_danish(shown)


def test_two_different_passphrases_are_refused_in_danish(db):
    code, shown = run_in_terminal(
        ["backup", "--encrypt", "--db", str(db)],
        [("Adgangsudtryk: ", "hemmelig\r"), ("Gentag adgangsudtrykket: ", "anden\r")],
    )

    assert code == 1
    assert "Fejl: De to adgangsudtryk er ikke ens - intet er gemt" in shown
    assert not (db.parent / "backups").exists() or not list((db.parent / "backups").iterdir())
    assert_danish(shown)


@pytest.mark.parametrize(("answer", "restored"), [("j", True), ("n", False), ("", False)])
def test_restore_asks_in_danish_and_only_j_says_yes(db, answer, restored):
    assert run_kasse("backup", db=db).code == 0
    (copy,) = (db.parent / "backups").iterdir()

    code, shown = run_in_terminal(["restore", str(copy), "--db", str(db)], [("[j/N]: ", f"{answer}\r")])

    assert_danish(shown)
    assert "? [j/N]:" in shown
    if restored:
        assert code == 0 and "Gendannet fra" in shown
    else:
        assert code == 1 and "Fejl: Gendannelsen er afbrudt - intet er ændret" in shown


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_systems_own_english_reason_never_reaches_the_user(db, tmp_path, suffix):
    """strerror is English ("File name too long"): the reason is said in Danish."""
    too_long = tmp_path / ("a" * 300 + suffix)
    command = ["stats", "--xlsx", str(too_long)] if suffix == ".xlsx" else ["export", str(too_long)]

    result = run_kasse(*command, db=db)

    assert result.code == 1 and "navnet er for langt" in result.err, result.err
    assert "too long" not in result.err and "Traceback" not in result.err


def test_every_system_reason_is_danish_or_a_code_name():
    import errno

    from kasse.errors import os_reason

    for code in errno.errorcode:
        reason = os_reason(OSError(code, os.strerror(code)))
        assert reason != os.strerror(code) and re.fullmatch(r"[a-zæøå ()/,-]+|systemfejl E[A-Z0-9]+", reason), reason


def test_a_bare_command_group_shows_its_danish_help_and_succeeds():
    result = run_kasse("print")

    assert result.code == 0 and result.err == ""
    assert result.out.startswith("Brug: kasse print") and "contract" in result.out and "deadlines" in result.out
