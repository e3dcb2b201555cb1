"""The deadline panel: grouped and counted, adjustable window, one key from anywhere, Enter jumps to the right tab."""

from __future__ import annotations

from textual.widgets import DataTable, Static, TabbedContent

from kasse.domain import Contract, Danish, Health, PlanOffer, Programme
from kasse.tui.screens.deadlines import DeadlinesScreen
from kasse.tui.screens.family import FamilyScreen
from kasse.tui.screens.queue import QueueScreen
from tests.factories import d, family, person
from tests.tui_support import app_on, column, settle, static_text


def caseload():
    """Two persons judged by the seeds' rules (pinned: 2015), whose counts the tests below spell out."""
    late = person("P-late", name="Amina Hassan", takeover="2024-12-01",
                  contract=Contract(signed_date=d("2024-12-20")), programme=Programme(start_date=d("2024-12-20")))
    soon = person("P-soon", name="Yonas Tesfay", takeover="2025-02-05",
                  danish=Danish(start_date=d("2025-02-10")), plan_offer=PlanOffer(d("2025-02-10")),
                  health=Health(offered_date=d("2025-02-10")), programme=Programme(start_date=d("2025-02-10")))
    return [family(late, ref="F-1"), family(soon, ref="F-2")]


async def test_groups_are_counted_and_the_window_is_adjustable(tmp_path):
    app = app_on(tmp_path, *caseload(), rules="2015")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        summary = static_text(screen.query_one("#summary", Static))
        # Amina: Danish overdue; plan and health offer due today. Yonas: contract due 05-03 (soon).
        assert "Overskredet: 1" in summary and "Snart (inden for 14 dage): 3" in summary
        headings = [row for row in column(screen.query_one(DataTable), "Frist") if "(" in row]
        assert headings == ["Overskredet (1)", "Snart ≤ 14 dage (3)", "Kommende (2)"]
        await pilot.press("minus", "minus")
        summary = static_text(screen.query_one("#summary", Static))
        assert "Vindue: 7 dage" in summary
        await pilot.press("plus", "plus", "plus", "plus", "plus", "plus", "plus", "plus")
        summary = static_text(screen.query_one("#summary", Static))
        assert "Vindue: 365 dage" in summary and "Snart (inden for 365 dage): 3" in summary
        assert "Kommende: 2" in summary  # the programmes' three-year milestones


async def test_enter_jumps_to_the_person_and_the_tab_where_the_deadline_is_met(tmp_path):
    app = app_on(tmp_path, *caseload(), rules="2015")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        table = app.screen.query_one(DataTable)
        assert column(table, "Frist")[1] == "Danskuddannelse startet"
        await pilot.press("enter")
        await settle(pilot)
        family_screen = app.screen
        assert isinstance(family_screen, FamilyScreen)
        assert (family_screen.family_ref, family_screen.person_ref) == ("F-1", "P-late")
        assert family_screen.query_one(TabbedContent).active == "dansk"

        await pilot.press("escape")
        assert isinstance(app.screen, DeadlinesScreen)
        rows = column(app.screen.query_one(DataTable), "Frist")
        app.screen.query_one(DataTable).move_cursor(row=rows.index("Integrationskontrakt indgået"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.person_ref == "P-soon" and app.screen.query_one(TabbedContent).active == "kontrakt"


async def test_one_key_from_anywhere_brings_the_panel_forward_without_stacking(tmp_path):
    app = app_on(tmp_path, *caseload(), rules="2015")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        await pilot.press("d")
        assert isinstance(app.screen, DeadlinesScreen)
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


async def test_a_save_shows_in_the_panel_at_once(tmp_path):
    app = app_on(tmp_path, *caseload(), rules="2015")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d", "enter")
        await settle(pilot)
        await pilot.press("e")
        app.screen.query_one("#field-start_date").value = "01-03-2025"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("d")
        summary = static_text(app.screen.query_one("#summary", Static))
        assert "Overskredet: 0" in summary
