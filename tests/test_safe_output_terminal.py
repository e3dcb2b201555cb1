"""Control characters in user text reach no terminal: the CLI's tables and the app show them as symbols."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable

from kasse.domain import Family
from kasse.safe_text import terminal_safe
from tests.cli_helpers import run_kasse
from tests.factories import person
from tests.tui_support import app_on, column, settle, write_caseload

TITLE_SETTER = "\x1b]0;pwned\x07"  # OSC 0: sets the terminal window's title
HOSTILE_NAME = f"Ond{TITLE_SETTER} Navn\x9b2J\x7f"  # and a C1 CSI that clears the screen, and a DEL
SHOWN_NAME = "Ond␛]0;pwned␇ Navn�2J␡"
CONTROLS = ("\x1b", "\x07", "\x9b", "\x7f")
TODAY = "2025-03-01"


def hostile_caseload(tmp_path):
    """On disk through the store (as an older file or another tool may hold it), whatever import accepts."""
    members = (person("P-1", name=HOSTILE_NAME, nationality=f"Land{TITLE_SETTER}", takeover="2024-12-01"),
               person("P-2", name="Amina Hassan", takeover="2024-12-01"))
    return write_caseload(tmp_path / "kasse.db", [Family(ref="F-1", members=members,
                                                         coordinating_department=f"Jobcenter{TITLE_SETTER}")])


def assert_shown_safely(output: str) -> None:
    assert not any(control in output for control in CONTROLS), repr(output)
    assert SHOWN_NAME in output


# --------------------------------------------------------------------------- the function


def test_control_characters_become_their_pictures():
    assert terminal_safe(TITLE_SETTER) == "␛]0;pwned␇"
    assert terminal_safe("a\x00b\tc\nd\re\x1f\x7f\x85\x9f") == "a␀b␉c␊d␍e␟␡��"
    ordinary = "Amina Hassan [red]Æsa[/red] 😀 مريم\u200cزاده"  # a Persian name's zero-width non-joiner stays
    assert terminal_safe(ordinary) is ordinary


@settings(max_examples=100)
@given(st.text())
def test_any_text_comes_out_without_a_control_character_and_as_long(text):
    shown = terminal_safe(text)
    assert not any(unicodedata.category(char) in {"Cc", "Cs"} for char in shown)
    assert len(shown) == len(text)
    assert terminal_safe(shown) == shown


@settings(max_examples=100)
@given(st.text(st.characters(exclude_categories=("Cc", "Cs"))))
def test_printable_text_is_unchanged(text):
    assert terminal_safe(text) == text


# --------------------------------------------------------------------------- the CLI, as a user runs it


def test_search_show_and_overdue_print_no_escape_byte(tmp_path):
    db = hostile_caseload(tmp_path)

    for args in (("search", "Ond"), ("search", "F-1"), ("show", "P-1"), ("show", "F-1"),
                 ("overdue", "--today", TODAY), ("deadlines", "--today", TODAY)):
        result = run_kasse(*args, db=db)
        assert result.code == 0, (args, result.err)
        assert_shown_safely(result.out)
    family = run_kasse("show", "P-1", db=db).out
    assert "Jobcenter␛]0;pwned␇" in family


def test_json_keeps_the_text_exact_and_escaped(tmp_path):
    db = hostile_caseload(tmp_path)

    result = run_kasse("overdue", "--json", "--today", TODAY, db=db)

    assert not any(control in result.out for control in CONTROLS)
    assert "\\u001b]0;pwned\\u0007" in result.out and "\\u009b2J\\u007f" in result.out
    assert {record["name"] for record in result.json()} == {HOSTILE_NAME, "Amina Hassan"}
    exported = run_kasse("export", "-", db=db).json()
    assert exported["families"][0]["members"][0]["name"] == HOSTILE_NAME


def test_json_of_ordinary_text_is_byte_for_byte_what_it_was(tmp_path):
    db = write_caseload(tmp_path / "kasse.db", [Family(ref="F-1", members=(
        person("P-1", name="Æsa Ødegård «Ömer» \\ \"citat\" 😀", takeover="2024-12-01"),))])

    result = run_kasse("overdue", "--json", "--today", TODAY, db=db)

    records = result.json()
    # What write_json_lines wrote before control characters were escaped: the C encoder, one record a line.
    before = "[\n  " + ",\n  ".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n]\n"
    assert result.out == before


# --------------------------------------------------------------------------- the app


async def test_the_queue_shows_the_symbols_not_the_escape(tmp_path):
    members = (person("P-1", name=HOSTILE_NAME, takeover="2024-12-01"),)
    app = app_on(tmp_path, Family(ref=f"F{TITLE_SETTER}", members=members))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue", DataTable)
        assert column(table, "Navn") == [SHOWN_NAME]
        assert column(table, "Familie") == ["F␛]0;pwned␇"]
