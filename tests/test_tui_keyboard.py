"""The keyboard model without traps: what a new user's keys do is what the screen shows (issue 11, item 5).

Each test names one trap a new user hit and fails on the code that had it.
"""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable, Footer, Static, TabbedContent

from kasse.domain import FamilyPlan
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.forms.form import FormScreen
from kasse.tui.screens.deadlines import DeadlinesScreen
from kasse.tui.screens.family import FamilyScreen
from tests.factories import d, family, met_everything, person
from tests.tui_support import app_on, column, screen_text, settle, static_text, type_text


def screen_lines(app) -> list[str]:
    """The terminal's lines as the compositor draws them, without colours."""
    from io import StringIO

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text().splitlines()


def still(app):
    """The app without animations: switching tabs waits for the tab underline's otherwise."""
    app.animation_level = "none"
    return app


def omars():
    """Three people called Omar among others; the first Omar in the queue is the most urgent one."""
    return [
        family(person("P-a", name="Aya Omar", takeover="2024-11-01"), ref="F-1"),
        family(met_everything("P-b", name="Bilal Karimi"), ref="F-2"),
        family(met_everything("P-c", name="Omar Hadi"), ref="F-3"),
        family(met_everything("P-d", name="Dina Omar"), ref="F-4"),
        family(met_everything("P-e", name="Elif Demir"), ref="F-5"),
    ]


# -- focus


def look(widget) -> list[tuple]:
    """What focus may change in how a widget and its parts are drawn: outline, border, colours, text style
    (not Textual's 5 % background tint, which a terminal hardly shows)."""
    return [
        (node.styles.outline, node.styles.border, node.styles.background, node.styles.color, node.styles.text_style)
        for node in (widget, *widget.walk_children())
    ]


async def assert_focus_is_visible(pilot, screen, checked: set[tuple[type, type]]) -> list[str]:
    """Focus each focusable widget of `screen` of a kind not `checked` on this screen yet; each must look
    different focused and not. (One of a kind: the focus style is the kind's.)"""
    chain = list(screen.focus_chain)
    assert len(chain) > 1
    for widget, other in zip(chain, chain[1:] + chain[:1]):
        if (type(screen), type(widget)) in checked:
            continue
        checked.add((type(screen), type(widget)))
        widget.focus()
        await pilot.pause()
        focused = look(widget)
        other.focus()
        await pilot.pause()
        assert look(widget) != focused, f"{type(widget).__name__}#{widget.id} looks the same with and without focus"
    return [type(widget).__name__ for widget in chain]


async def test_every_focusable_widget_shows_clearly_that_it_has_focus(tmp_path):
    fam = replace(four_members(), plan=FamilyPlan(made_date=d("2025-01-15"), followup_months=6))
    app = still(app_on(tmp_path, fam))
    checked: set[tuple[type, type]] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen = await assert_focus_is_visible(pilot, app.screen, checked)  # the queue: search field and rows
        await pilot.press("enter")
        await settle(pilot)
        for key in "12378":  # members, tabs, scrolling panes, and the tabs' own tables
            await pilot.press(key)
            seen += await assert_focus_is_visible(pilot, app.screen, checked)
        await pilot.press("2", "e")  # the contract's form: date, choice, text and multi-line fields, buttons
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        seen += await assert_focus_is_visible(pilot, app.screen, checked)
        app.screen.query_one("#field-goal").value = "Job"
        await pilot.press("escape")  # a changed form asks first: the confirmation's buttons
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        seen += await assert_focus_is_visible(pilot, app.screen, checked)
        await pilot.press("j", "escape", "d")  # discard, back to the queue, the deadline panel
        await settle(pilot)
        assert isinstance(app.screen, DeadlinesScreen)
        seen += await assert_focus_is_visible(pilot, app.screen, checked)
        kinds = {"RowTable", "MemberTable", "Input", "ContentTabs", "OverviewPane", "ChecklistPane", "DateInput", "Select",
                 "TextArea", "Button"}
        assert kinds <= set(seen)


# -- the queue's search


async def test_enter_in_the_search_field_opens_the_first_match(tmp_path):
    app = app_on(tmp_path, *omars())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "omar")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert app.screen.person_ref == "P-a"


async def test_after_a_filter_the_cursor_is_on_the_first_match(tmp_path):
    app = app_on(tmp_path, *omars())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue", DataTable)
        await pilot.press("down", "down")  # on Dina Omar, the filter's second match below
        assert column(table, "Navn")[table.cursor_row] == "Dina Omar"
        await pilot.press("slash")
        await type_text(pilot, "omar")
        assert column(table, "Navn") == ["Aya Omar", "Dina Omar", "Omar Hadi"]
        assert table.cursor_row == 0
        await pilot.press("down", "enter")  # the user's keys: to the rows, then open the row under the cursor
        await settle(pilot)
        assert app.screen.person_ref == "P-a"


# -- the member list


def four_members():
    return family(
        person("P-1", name="Ifrah Duale"),
        person("P-2", name="Nimco Omar", born="2010-01-01"),
        person("P-3", name="Faadumo Omar", born="2011-01-01"),
        person("P-4", name="Amina Omar", born="2013-01-01"),
        ref="F-1",
    )


async def test_end_selects_the_last_member_and_f_acts_on_that_member(tmp_path):
    app = app_on(tmp_path, four_members())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        members = app.screen.query_one("#members", DataTable)
        assert app.focused is members
        await pilot.press("end")
        await pilot.pause()
        assert members.cursor_row == 3 and members.scroll_x == 0
        assert app.screen.person_ref == "P-4"
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.subtitle == "Amina Omar"
        await pilot.press("escape")
        await pilot.press("home")
        await pilot.pause()
        assert app.screen.person_ref == "P-1"


async def test_a_family_opened_on_a_later_member_acts_on_that_member(tmp_path):
    app = app_on(tmp_path, four_members())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-3")  # as Enter on Faadumo's row in the queue does
        await settle(pilot)
        assert app.screen.query_one("#members", DataTable).cursor_row == 2
        assert app.screen.person_ref == "P-3"
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.subtitle == "Faadumo Omar"


async def test_a_person_key_typed_right_after_a_move_acts_on_the_member_moved_to(tmp_path):
    from textual import events

    app = app_on(tmp_path, four_members())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for key, character in (("end", None), ("f", "f")):  # in one burst, as a fast typist's keys arrive
            app.post_message(events.Key(key, character))
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.subtitle == "Amina Omar"


async def test_page_down_in_the_member_list_moves_the_selection_too(tmp_path):
    app = app_on(tmp_path, four_members())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        members = app.screen.query_one("#members", DataTable)
        await pilot.press("pagedown")
        await pilot.pause()
        assert members.cursor_row > 0
        assert app.screen.person_ref == f"P-{members.cursor_row + 1}"


async def test_a_long_name_is_cut_so_every_member_column_stays_visible(tmp_path):
    long_name = "Abdirahman Mohamed Abdullahi Hassan Warsame Ali Farah Osman"
    app = app_on(tmp_path, family(person("P-1", name=long_name), person("P-2", name="Ali", born="2012-01-01")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        members = app.screen.query_one("#members", DataTable)
        widths = sum(column.get_render_width(members) for column in members.ordered_columns)
        assert widths <= members.scrollable_content_region.width
        assert members.max_scroll_x == 0
        header = screen_text(app)
        assert "Fraflyttet" in header and "Abdirahman" in header and "…" in header


# -- the person's deadlines on Oversigt


async def test_enter_on_a_deadline_row_opens_the_tab_where_it_is_met(tmp_path):
    app = still(app_on(tmp_path, family(person("P-1", name="Amina Hassan", takeover="2024-12-01"))))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#person-deadlines", DataTable)
        table.focus()
        await pilot.pause()
        titles = column(table, "Frist")
        row = next(i for i, title in enumerate(titles) if "danskuddannelse" in title)
        table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "dansk"
        table.focus()
        await pilot.pause()
        row = next(i for i, title in enumerate(column(table, "Frist")) if title.startswith("Kontrakt"))
        table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "kontrakt"


# -- the Familie tab and the footer


async def test_the_familie_tab_shows_its_open_follow_up_once(tmp_path):
    plan = FamilyPlan(made_date=d("2024-06-01"), followup_months=6)
    fam = replace(family(person("P-1", name="Amina Hassan", takeover="2024-05-01")), plan=plan)
    app = app_on(tmp_path, fam, rules="2015")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("7")
        await pilot.pause()
        body = static_text(app.screen.query_one("#familie-body", Static))
        assert body.count("Opfølgning på integrationsplan ") == 1


async def test_the_footer_ends_cleanly_at_80_columns_on_every_tab(tmp_path):
    app = still(app_on(tmp_path, four_members()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for key in "12345678":
            await pilot.press(key)
            await pilot.pause()
            footer = app.screen.query_one(Footer)
            last_line = screen_lines(app)[-1].rstrip()
            assert last_line.endswith("^p Kommandoer"), (key, last_line)
            palette_key = footer.query_one(".-command-palette")
            assert palette_key.region.right == footer.region.right
            shown = [key for key in footer.query("FooterKey").exclude(".-command-palette") if key.display]
            assert all(key.region.right <= palette_key.region.x for key in shown), key  # no key cut in two


# -- the checklist


async def test_the_checklist_ticks_what_the_recorded_facts_already_show(tmp_path):
    from contextlib import closing

    from kasse.data import reader
    from kasse.domain import Contract, Health
    from kasse.tui import editing

    signed = person(
        "P-1",
        name="Amina Hassan",
        contract=Contract(signed_date=d("2025-01-20")),
        health=Health(offered_date=d("2025-04-01")),
    )  # the health offer is planned, not made
    fam = replace(
        family(signed, person("P-2", name="Yusuf Hassan", born="2015-06-01")), checklist=editing.default_checklist()
    )
    app = app_on(tmp_path, fam)

    def stored_item(task: str):
        with closing(reader.connect(app.caseload.path)) as connection:
            checklist = reader.read_families(connection, refs=["F-1"])[0].checklist
        return next(item for item in checklist if item.task == task)

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "tjekliste")
        await settle(pilot)
        table = app.screen.query_one("#checklist", DataTable)
        tasks, done = column(table, "Fase / opgave"), column(table, "Udført")
        row = tasks.index("  [x] Integrationskontrakt indgået")
        assert done[row] == "20-01-2025 · Kontrakt"
        assert "  [ ] Helbredsmæssig vurdering tilbudt" in tasks
        assert "De første tre måneder (1/6)" in tasks
        assert stored_item("Integrationskontrakt indgået").done_date is None  # shown, not written

        table.focus()
        table.move_cursor(row=row)
        await pilot.press("space")  # the user confirms it: saved with the fact's date
        await settle(pilot)
        assert stored_item("Integrationskontrakt indgået").done_date == d("2025-01-20")
        assert column(table, "Udført")[row] == "20-01-2025"
        await pilot.press("space")  # opened again: not saved as done, but the fact still shows it
        await settle(pilot)
        assert stored_item("Integrationskontrakt indgået").done_date is None
        assert column(table, "Udført")[row] == "20-01-2025 · Kontrakt"


# -- the palette


async def test_the_palette_says_in_danish_that_nothing_matches(tmp_path):
    from textual.command import CommandList

    app = app_on(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "qqqq")
        await pilot.pause(0.8)  # the palette waits half a second before saying so
        shown = screen_lines(app)
        assert any("Ingen kommandoer passer til søgningen" in line for line in shown)
        assert not any("No matches" in line for line in shown)
        assert app.screen.query_one(CommandList).option_count == 1
