"""The app as a whole: help, the palette, new data from other programs, errors as messages, small terminals."""

from __future__ import annotations

import sqlite3

from textual.command import CommandPalette
from textual.widgets import DataTable, Markdown

from kasse.tui.commands import commands_for
from kasse.tui.screens.help import HelpScreen
from kasse.tui.screens.queue import QueueScreen
from tests.factories import family, person
from tests.tui_support import TODAY, app_on, column, screen_text, settle, static_text, write_caseload


async def test_question_mark_and_f1_open_the_danish_help(tmp_path):
    app = app_on(tmp_path, family(person("P-1"), ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Køen (startskærmen)" in app.screen.query_one(Markdown).source
        await pilot.press("escape", "f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


async def test_the_palette_offers_the_main_actions_and_runs_them(tmp_path):
    app = app_on(tmp_path, family(person("P-1"), ref="F-1"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert CommandPalette.is_open(app)
        await pilot.press(*"frister")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.area == "deadlines"
        assert all(":" in command.name for command in commands_for(app, app.screen))


async def test_writes_by_another_program_appear_without_a_restart(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Første Borger"), ref="F-1"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        write_caseload(app.caseload.path, [family(person("P-2", name="Anden Borger"), ref="F-2")])
        app._poll()  # the timer's work, without waiting two seconds
        await settle(pilot)
        names = column(app.screen.query_one("#queue", DataTable), "Navn")
        assert sorted(names) == ["Anden Borger", "Første Borger"]


async def test_a_database_error_is_a_message_not_a_traceback(tmp_path):
    app = app_on(tmp_path, family(person("P-1"), ref="F-1"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1")  # before the lock: a family whose opening cannot be logged is not opened
        await settle(pilot)
        blocker = sqlite3.connect(app.caseload.path, timeout=0)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            from kasse.tui.caseload import Caseload

            app.caseload = Caseload(app.caseload.path, TODAY)  # a fresh engine meets the lock (after 5 s)
            pane = app.screen.active_pane
            pane.save_person(pane.person, "Gemt.", pane.person)
            await settle(pilot)
        finally:
            blocker.rollback()
            blocker.close()
        assert app.return_code is None and app.is_running
        messages = [n.message for n in app._notifications]
        assert any("Databasen er optaget" in m for m in messages), messages


async def test_the_queue_fits_an_80_by_24_terminal(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan", takeover="2024-12-01"), ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        for words in ("Amina Hassan", "Overskredet", "01-01-2025", "Søg", "Frister"):
            assert words in shown


async def test_a_file_that_is_not_a_caseload_is_reported_in_danish(tmp_path):
    from kasse.tui.app import make_app

    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE something (x)")
    other.commit()
    other.close()
    app = make_app(path, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.is_running
        status = static_text(app.screen.query_one("#status"))
        assert "kunne ikke åbnes" in status and "ikke en kasse-database" in status


async def test_a_palette_command_for_another_tab_goes_there_and_acts(tmp_path):
    from textual.widgets import TabbedContent

    from kasse.tui.forms.form import FormScreen

    app = app_on(tmp_path, family(person("P-1"), ref="F-1"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1")
        await settle(pilot)
        await pilot.press("ctrl+p", *"nyt mål")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.section.key == "goal"
        await pilot.press("escape")
        assert app.screen.query_one(TabbedContent).active == "plan"



async def test_the_first_start_of_the_day_takes_a_backup_and_the_second_does_not(tmp_path):
    from kasse.tui.app import make_app

    db = write_caseload(tmp_path / "kasse.db", [family(person("P-1"), ref="F-1")])
    for _ in range(2):
        async with make_app(db, TODAY).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
    backups = sorted((tmp_path / "backups").glob("kasse-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT ref FROM family").fetchall() == [("F-1",)]
