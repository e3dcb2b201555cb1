"""The members table: space marks members, and the plan offer and the move-away are one form for all of them,
saved in one transaction - all or, if one was changed meanwhile, none (issue 11). And one scrollbar per tab."""

from __future__ import annotations

from contextlib import closing
from dataclasses import replace

from textual.widgets import DataTable, TabbedContent

from kasse.data import reader
from kasse.domain import Answer, Family
from kasse.tui.caseload import Caseload
from kasse.tui.editing import default_checklist
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.forms.form import FormScreen
from tests.factories import d, family, person
from tests.tui_support import TODAY, app_on, column, settle, static_text


def four_members() -> Family:
    return family(
        person("P-1", name="Ifrah Duale", takeover="2015-03-01"),
        person("P-2", name="Nimco Omar", born="2010-01-01", takeover="2015-03-01"),
        person("P-3", name="Faadumo Omar", born="2011-01-01", takeover="2015-03-01"),
        person("P-4", name="Amina Omar", born="2013-01-01", takeover="2015-03-01"),
        ref="F-1",
    )


def stored(app) -> Family:
    with closing(reader.connect(app.caseload.path)) as connection:
        return reader.read_families(connection, refs=["F-1"])[0]


def marks(app) -> list[str]:
    return column(app.screen.query_one("#members", DataTable), "")


async def open_family(pilot, app) -> None:
    await settle(pilot)
    app.open_family("F-1", "P-1")
    await settle(pilot)
    assert app.focused is app.screen.query_one("#members")


async def test_space_marks_members_and_one_plan_offer_is_saved_for_the_three_marked(tmp_path):
    app = app_on(tmp_path, four_members(), rules="2015")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_family(pilot, app)
        await pilot.press("space", "down", "space", "down", "space", "down")
        assert marks(app) == ["✓", "✓", "✓", ""]
        await pilot.press("up", "space", "space")  # unmarked and marked again
        assert marks(app) == ["✓", "✓", "✓", ""] and app.screen.person_ref == "P-3"

        await pilot.press("u")
        form = app.screen
        assert isinstance(form, FormScreen) and form.subtitle == "3 personer: Ifrah, Nimco, Faadumo"
        form.query_one("#field-offered_date").value = "15-02-2025"
        form.query_one("#field-answer").value = Answer.ACCEPTED
        await pilot.press("ctrl+s")
        await settle(pilot)

        offers = {p.ref: (p.plan_offer.offered_date, p.plan_offer.answer) for p in stored(app).members}
        assert offers == {"P-1": (d("2025-02-15"), Answer.ACCEPTED), "P-2": (d("2025-02-15"), Answer.ACCEPTED),
                          "P-3": (d("2025-02-15"), Answer.ACCEPTED), "P-4": (None, None)}
        assert marks(app) == ["", "", "", ""], "saved: the marks are done with"
        assert any("3 personer" in n.message for n in app._notifications)


async def test_without_marks_the_form_is_for_the_member_under_the_cursor(tmp_path):
    app = app_on(tmp_path, four_members())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_family(pilot, app)
        await pilot.press("end", "f")
        assert app.screen.subtitle == "Amina Omar"
        app.screen.query_one("#field-left_reason").value = "Fraflyttet"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [p.left_date for p in stored(app).members] == [None, None, None, TODAY]


async def test_a_field_the_marked_differ_in_is_kept_when_left_empty(tmp_path):
    fam = four_members()
    offered = [replace(p, plan_offer=replace(p.plan_offer, offered_date=d(day)))
               for p, day in zip(fam.members, ("2025-01-05", "2025-01-07"))]
    app = app_on(tmp_path, replace(fam, members=(*offered, *fam.members[2:])), rules="2015")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_family(pilot, app)
        await pilot.press("space", "down", "space", "u")
        form = app.screen
        assert form.query_one("#field-offered_date").value == ""
        assert "forskellige" in form.query_one("#field-offered_date").placeholder
        form.query_one("#field-answer").value = Answer.DECLINED
        await pilot.press("ctrl+s")
        await settle(pilot)
        offers = [(p.plan_offer.offered_date, p.plan_offer.answer) for p in stored(app).members[:2]]
        assert offers == [(d("2025-01-05"), Answer.DECLINED), (d("2025-01-07"), Answer.DECLINED)]

        await pilot.press("home", "space", "end", "space", "u")  # Ifrah and Amina, who has no date
        form = app.screen
        form.query_one("#field-answer").value = Answer.ACCEPTED
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert static_text(form.query_one("#error-offered_date")).strip() == "Amina Omar: Et svar kræver en tilbudsdato"


async def test_if_one_marked_member_was_changed_meanwhile_nothing_is_saved(tmp_path):
    app = app_on(tmp_path, four_members())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_family(pilot, app)
        await pilot.press("space", "down", "space", "down", "space", "f")
        form = app.screen
        form.query_one("#field-left_reason").value = "Selvforsørgende"

        other = Caseload(app.caseload.path, TODAY)  # another window saves Nimco first
        nimco = other.family("F-1").members[1]
        other.save_person("F-1", replace(nimco, nationality="Somalia"), based_on=nimco)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith("Ikke gemt: Personen P-2 er ændret af en anden, mens du redigerede.")
        saved = stored(app).members
        assert [p.left_date for p in saved] == [None] * 4, "all or nothing"
        assert saved[1].nationality == "Somalia", "the other window's save survives"


async def test_the_checklist_and_the_overview_scroll_with_one_scrollbar_at_80_by_24(tmp_path):
    yearly = replace(four_members(), plan=family(made="2015-04-01", months=12, followups=tuple(
        f"{year}-04-01" for year in range(2016, 2025))).plan, checklist=default_checklist())
    app = app_on(tmp_path, yearly, rules="2015")  # Ifrah: ten follow-ups and six deadlines on Oversigt
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_family(pilot, app)
        for key in ("1", "8"):
            await pilot.press(key)
            await settle(pilot)
            pane = app.screen.query_one(TabbedContent).active_pane
            scrolling = [w for w in pane.walk_children(with_self=True) if w.show_vertical_scrollbar]
            assert len(scrolling) == 1, (key, scrolling)
            table = pane.query_one(DataTable)
            assert table.max_scroll_y == 0, "the table grows with its rows; the pane scrolls"

        table = app.screen.query_one("#checklist", DataTable)  # the cursor still shows when it goes down
        table.focus()
        await pilot.press(*["down"] * 17)
        await pilot.pause()
        pane = app.screen.query_one(TabbedContent).active_pane.query_one("#tjekliste-pane")
        row_y = table.region.y + table.header_height + table.cursor_row - int(table.scroll_y)
        assert pane.scroll_y > 0 and pane.region.y <= row_y < pane.region.bottom
