"""The queue screen: most urgent first, status in words, live filter, saved views, paging, literal names."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from kasse.tui.screens.family import FamilyScreen
from kasse.tui.screens.queue import PAGE_SIZE, QueueScreen
from tests.factories import family, met_everything, person
from tests.tui_support import app_on, column, screen_text, settle, static_text, type_text


def caseload():
    return [
        family(met_everything("P-calm", name="Rolig Person", nationality="Iran"), ref="F-1"),
        family(person("P-late", name="Amina Hassan", cpr="010190-1234", nationality="Syrien",
                      takeover="2024-12-01"), ref="F-2"),
        family(person("P-soon", name="Yonas Tesfay", takeover="2025-02-05", nationality="Eritrea"), ref="F-3"),
        family(person("P-gone", name="Farah Ali", left="2025-02-01"), ref="F-4"),
    ]


async def test_everyone_most_urgent_first_with_status_in_words(tmp_path):
    app = app_on(tmp_path, *caseload())
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue", DataTable)
        assert column(table, "Navn") == ["Amina Hassan", "Yonas Tesfay", "Rolig Person", "Farah Ali"]
        assert column(table, "Status")[:2] == ["Overskredet", "Snart"]
        assert column(table, "Næste frist")[0] == "Kontrakt indgået"
        assert column(table, "Frist")[0] == "01-01-2025"
        assert column(table, "Overskr.")[0] == "3"
        assert column(table, "Kategori")[0] == "Flygtning"
        assert "viser 1-4 af 4" in static_text(app.screen.query_one("#status", Static))


async def test_slash_filters_live_on_name_cpr_and_nationality_and_escape_clears(tmp_path):
    app = app_on(tmp_path, *caseload())
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue", DataTable)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "eritrea")
        assert column(table, "Navn") == ["Yonas Tesfay"]
        app.focused.value = ""
        await type_text(pilot, "0101901234")
        await pilot.pause()
        assert column(table, "Navn") == ["Amina Hassan"]
        await pilot.press("escape")
        assert app.screen.query_one("#filter", Input).value == ""
        assert table.row_count == 4
        assert app.focused is table


async def test_number_keys_switch_saved_views(tmp_path):
    app = app_on(tmp_path, *caseload())
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue", DataTable)
        await pilot.press("1")
        assert column(table, "Navn") == ["Amina Hassan"]
        await pilot.press("2")
        assert column(table, "Navn") == ["Amina Hassan", "Yonas Tesfay"]
        await pilot.press("4")
        assert column(table, "Navn") == ["Farah Ali"]
        await pilot.press("3")
        assert table.row_count == 4
        views = static_text(app.screen.query_one("#views", Static))
        assert "1 Overskredne (1)" in views and "4 Fraflyttede (1)" in views


async def test_enter_opens_the_family_on_that_person(tmp_path):
    app = app_on(tmp_path, *caseload())
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert app.screen.family_ref == "F-3" and app.screen.person_ref == "P-soon"
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


async def test_a_large_caseload_is_shown_one_page_at_a_time(tmp_path):
    families = [family(person(f"P-{n:04d}", name=f"Borger {n:04d}"), ref=f"F-{n:04d}") for n in range(PAGE_SIZE + 50)]
    app = app_on(tmp_path, *families)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#queue", DataTable)
        assert table.row_count == PAGE_SIZE
        assert f"viser 1-{PAGE_SIZE} af {PAGE_SIZE + 50}" in static_text(screen.query_one("#status", Static))
        await pilot.press("greater_than_sign")
        assert table.row_count == 50
        assert f"viser {PAGE_SIZE + 1}-{PAGE_SIZE + 50} af" in static_text(screen.query_one("#status", Static))
        await pilot.press("less_than_sign")
        assert table.row_count == PAGE_SIZE


async def test_names_with_markup_characters_are_shown_literally(tmp_path):
    tricky = "Ali [/] [red]Hassan"
    app = app_on(tmp_path, family(person("P-1", name=tricky, nationality="[b]Syrien"), ref="F-[x]"))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue", DataTable)
        assert column(table, "Navn") == [tricky]
        assert column(table, "Familie") == ["F-[x]"]
        assert tricky in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        shown = screen_text(app)
        assert tricky in shown and "F-[x]" in shown
        await pilot.press("escape", "slash")
        await type_text(pilot, "[red]")
        assert column(app.screen.query_one("#queue", DataTable), "Navn") == [tricky]


async def test_an_empty_caseload_says_how_to_begin(tmp_path):
    app = app_on(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "tryk n" in static_text(app.screen.query_one("#status", Static))


async def test_escape_in_the_table_also_clears_a_filter(tmp_path):
    app = app_on(tmp_path, *caseload())
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"amina", "down")  # to the rows (Enter would open the match)
        table = app.screen.query_one("#queue", DataTable)
        assert app.focused is table and table.row_count == 1
        await pilot.press("escape")
        assert table.row_count == 4 and app.screen.query_one("#filter", Input).value == ""


async def test_down_from_the_filter_goes_to_the_rows_and_enter_opens(tmp_path):
    app = app_on(tmp_path, *caseload())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "amina")
        await pilot.press("down")
        assert isinstance(app.focused, DataTable)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert app.screen.family_ref == "F-2"
