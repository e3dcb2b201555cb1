"""The Historik tab and undo in the app: a change saved through a form is told in words, and can be taken back."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from kasse.config import Config
from kasse.history import EntryKind
from kasse.journal import JournalNote, NoteKind, new_uid
from kasse.tui.widgets.family.history import HistoryPane
from tests.factories import d, family, person
from tests.tui_support import app_on, column, screen_text, settle, static_text, type_text

ANNA = Config(user="anna")


async def open_family(pilot) -> None:
    await settle(pilot)
    await pilot.press("1", "enter")  # the overdue view, its first family
    await settle(pilot)


async def sign_contract(pilot, typed: str = "05-02-2025") -> None:
    """The contract's signing date, typed into the Kontrakt tab's form and saved."""
    await pilot.press("2", "e")
    await type_text(pilot, typed)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def open_history(pilot) -> DataTable:
    await pilot.press("9")
    await settle(pilot)
    return pilot.app.screen.query_one("#history-table", DataTable)


def write_note(app, text: str, person_ref: str | None = None) -> None:
    from kasse.data.db import open_database
    from kasse.data.journal import journal_transaction
    from kasse.data.store import Store

    with open_database(app.caseload.path) as database, journal_transaction(Store(database, "bo")) as writes:
        writes.append_note(JournalNote(new_uid(), "F-1", person_ref, datetime(2025, 2, 20, 10, 0), "bo",
                                       NoteKind.PHONE, text))


async def test_a_change_saved_in_a_form_shows_in_words_on_the_history_tab(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan", takeover="2024-12-01")), config=ANNA)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_family(pilot)
        await sign_contract(pilot)
        table = await open_history(pilot)
        assert app.screen.query_one(TabbedContent).active == "historik"
        assert column(table, "Hændelse")[0] == "Kontrakt underskrevet ændret fra – til 05-02-2025 af anna"
        assert column(table, "Type")[0] == "Ændring" and column(table, "Af")[0] == "anna"
        assert column(table, "Person")[0] == "Amina Hassan"
        assert "Personen Amina Hassan oprettet af test" in column(table, "Hændelse")
        assert any(words.startswith("Kontrakt indgået") for words in column(table, "Hændelse"))  # met, late


async def test_history_filters_by_kind_words_and_person(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Amina", takeover="2024-12-01"),
                                  person("P-2", name="Omar", takeover="2024-12-01")), config=ANNA)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        write_note(app, "Ringede til tolken om Omar", "P-2")
        app.action_reload()
        await open_family(pilot)
        table = await open_history(pilot)
        pane = app.screen.query_one(HistoryPane)
        assert "Telefon: Ringede til tolken om Omar" in column(table, "Hændelse")

        pane.query_one("#history-kind", Select).value = EntryKind.NOTE.value
        await settle(pilot)
        assert column(table, "Hændelse") == ["Telefon: Ringede til tolken om Omar"]

        pane.query_one("#history-kind", Select).value = "all"
        pane.query_one("#history-search", Input).value = "TOLKEN"
        await settle(pilot)
        assert column(table, "Hændelse") == ["Telefon: Ringede til tolken om Omar"]

        pane.query_one("#history-search", Input).value = "findes ikke"
        await settle(pilot)
        assert not table.display
        assert "passer til filteret" in static_text(pane.query_one("#historik-body", Static))

        pane.query_one("#history-search", Input).value = ""
        app.screen.members.focus()
        await pilot.press("v")  # only the selected member: Amina, the first
        await settle(pilot)
        assert set(column(table, "Person")) == {"Amina"}
        assert "Viser: Amina" in static_text(pane.query_one("#history-whom", Static))
        await pilot.press("v")
        assert set(column(table, "Person")) == {"Amina", "Omar", ""}  # "": the family's own
        assert "Familien F-1 oprettet af test" in column(table, "Hændelse")


async def test_a_family_with_nothing_recorded_says_so_in_danish(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2024-12-01")), config=ANNA)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_family(pilot)
        pane = app.screen.query_one(HistoryPane)
        pane.entries = []  # as read for a family without a trail (a store always leaves one)
        pane.show_entries()
        assert "Ingen historik endnu" in static_text(pane.query_one("#historik-body", Static))


# -- undo -------------------------------------------------------------------------------------------


def stored_person(app, ref: str = "P-1"):
    from contextlib import closing

    from kasse.data import reader

    with closing(reader.connect(app.caseload.path)) as connection:
        return reader.read_families(connection)[0].members[0]


def audit_count(app) -> int:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(app.caseload.path)) as connection:
        return connection.execute("SELECT count(*) FROM audit").fetchone()[0]


def saved_elsewhere(app, **contract) -> None:
    """Another program (the CLI, a colleague) changes the contract of P-1."""
    from dataclasses import replace

    from kasse.data.db import open_database
    from kasse.data.store import Store

    amina = stored_person(app)
    with open_database(app.caseload.path) as database, Store(database, "bo").transaction() as tx:
        tx.save_person("F-1", replace(amina, contract=replace(amina.contract, **contract)))


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_ctrl_z_undoes_the_last_form_save_as_a_new_audited_change(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan", takeover="2024-12-01")), config=ANNA)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_family(pilot)
        await sign_contract(pilot)
        saved_elsewhere(app, goal="Job")  # another field, changed since: it stays
        await settle(pilot)
        assert stored_person(app).contract.signed_date is not None

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert stored_person(app).contract.signed_date is None
        assert stored_person(app).contract.goal == "Job"
        assert "Fortrudt: Kontrakt underskrevet den." in messages(app)
        table = await open_history(pilot)
        assert column(table, "Hændelse")[:2] == ["Kontrakt underskrevet ændret fra 05-02-2025 til – af anna",
                                                 "Mål ændret fra – til 'Job' af bo"]

        await pilot.press("ctrl+z")  # undone once: nothing left to undo
        await settle(pilot)
        assert any(message.startswith("Intet at fortryde") for message in messages(app))
        assert stored_person(app).contract.signed_date is None


async def test_undo_is_refused_when_the_field_has_changed_since(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan", takeover="2024-12-01")), config=ANNA)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_family(pilot)
        await sign_contract(pilot)
        saved_elsewhere(app, signed_date=d("2025-02-07"))
        await settle(pilot)
        written = audit_count(app)

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert ("Kan ikke fortryde: Kontrakt underskrevet den er ændret siden din ændring. Intet er ændret."
                in messages(app))
        assert stored_person(app).contract.signed_date == d("2025-02-07")
        assert audit_count(app) == written


async def test_undo_is_a_palette_command_and_says_when_there_is_nothing_to_undo(tmp_path):
    from kasse.tui.commands import commands_for

    app = app_on(tmp_path, family(person("P-1", takeover="2024-12-01")), config=ANNA)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_family(pilot)
        names = {command.name: command for command in commands_for(app, app.screen)}
        assert names["familie: Fortryd seneste ændring"].action == "undo"
        await app.screen.run_command("undo")
        await settle(pilot)
        assert any(message.startswith("Intet at fortryde") for message in messages(app))


def test_reverting_sets_back_only_the_fields_the_save_changed():
    from dataclasses import replace

    import pytest

    from kasse.domain import Contract, Family, Housing, UmDecision
    from kasse.tui.undo import SavedEdit, UndoRefused, reverted

    before = family(person("P-1"))
    bare = replace(before, members=())
    edited = replace(bare, housing=Housing.PERMANENT, housing_since=d("2025-02-01"))
    amina = person("P-1", um_decision=UmDecision(d("2025-01-01"), False))
    signed = replace(amina, contract=Contract(signed_date=d("2025-02-05")), um_decision=UmDecision(d("2025-01-01"),
                                                                                                   True))
    edit = SavedEdit("F-1", ((bare, edited), (amina, signed)))
    assert edit.fields == ["Bolig", "Bolig siden", "Uledsaget: program tilbudt", "Kontrakt underskrevet den"]

    since = replace(signed, name="Amina H.")  # another field changed since: kept
    family_now, person_now = reverted(edit, [replace(edited, coordinating_department="Jobcenter"), since])
    assert isinstance(family_now, Family) and family_now.housing is None and family_now.housing_since is None
    assert family_now.coordinating_department == "Jobcenter"
    assert person_now == replace(amina, name="Amina H.")

    with pytest.raises(UndoRefused, match="Uledsaget: program tilbudt er ændret siden"):
        reverted(edit, [edited, replace(signed, um_decision=None)])
    with pytest.raises(UndoRefused, match="personen P-1 findes ikke længere"):
        reverted(edit, [edited, None])


async def test_enter_on_a_row_shows_the_whole_note_that_the_table_cuts_at_80_columns(tmp_path):
    from kasse.tui.forms.entry_view import EntryScreen

    text = "Samtale med Omar om sprogskolen.\nHan ønsker aftenhold, fordi han arbeider om dagen. " + "Mere tekst " * 12
    app = app_on(tmp_path, family(person("P-1", name="Amina", takeover="2024-12-01"),
                                  person("P-2", name="Omar", takeover="2024-12-01")), config=ANNA)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        write_note(app, text + "\x1b[2J", "P-2")
        app.action_reload()
        await open_family(pilot)
        table = await open_history(pilot)
        row = next(i for i, words in enumerate(column(table, "Hændelse")) if words.startswith("Telefon:"))
        assert "Han ønsker" not in column(table, "Hændelse")[row], "the table shows a note's first line"
        table.focus()
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EntryScreen)
        shown = "\n".join(static_text(widget) for widget in app.screen.query(Static))
        assert "Telefon: Samtale med Omar om sprogskolen." in shown
        assert "Han ønsker aftenhold, fordi han arbeider om dagen." in shown, "the note's every line"
        assert "Om: Omar" in shown and "Af: bo" in shown and "20-02-2025 10:00 · Notat" in shown
        assert "\x1b" not in shown and "␛[2J" in shown, "control characters show as symbols, never reach the terminal"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen.query_one(HistoryPane), HistoryPane)


async def test_on_a_wide_terminal_the_person_and_the_author_show_whole(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Faadumo Abdirahman Omar", takeover="2024-12-01")),
                 config=Config(user="Anna Holm-Hansen"))
    async with app.run_test(size=(160, 48)) as pilot:
        await open_family(pilot)
        await sign_contract(pilot)
        await open_history(pilot)
        change = next(line.strip() for line in screen_text(app).splitlines() if "Kontrakt underskrevet" in line)
        assert "Ændring        Faadumo Abdirahman Omar   Kontrakt underskrevet" in change
        assert change.endswith("  Anna Holm-Hansen"), change
