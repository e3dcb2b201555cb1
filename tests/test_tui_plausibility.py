"""Plausibility in the app's forms: what cannot be right is refused under its field, what is unusual asks first."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from textual.widgets import Button, DataTable, Input, Select, Static

from kasse.data import reader
from kasse.domain import Category, Role
from kasse.tui.forms.form import FormScreen
from kasse.tui.screens.family import FamilyScreen
from tests.factories import d, family, person
from tests.tui_support import app_on, column, screen_text, settle, static_text


def stored(app, ref: str):
    with closing(reader.connect(app.caseload.path)) as connection:
        return reader.read_families(connection, refs=[ref])[0]


def audit_count(app) -> int:
    with closing(sqlite3.connect(app.caseload.path)) as connection:
        return connection.execute("SELECT count(*) FROM audit").fetchone()[0]


def fill(form: FormScreen, **values) -> None:
    for key, value in values.items():
        form.query_one(f"#field-{key}").value = value


def under(form: FormScreen, key: str) -> str:
    """What the form says under a field."""
    return static_text(form.query_one(f"#error-{key}", Static)).strip()


async def open_form(pilot, app, tab: str, key: str = "e") -> FormScreen:
    app.open_family("F-1", "P-1", tab)
    await settle(pilot)
    await pilot.press(key)
    assert isinstance(app.screen, FormScreen)
    return app.screen


async def test_a_refused_value_shows_the_danish_reason_and_saves_nothing(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        written = audit_count(app)
        form = await open_form(pilot, app, "dansk")
        fill(form, start_date="01-02-2025", passed_date="15-01-2025", hours_per_week="200")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "nothing impossible is saved"
        assert (under(form, "hours_per_week")) == "En uge har kun 168 timer"
        assert (under(form, "passed_date")) == "Prøven er bestået før danskuddannelsen startede"
        await pilot.press("ctrl+s")  # a second try does not force it through
        await settle(pilot)
        assert app.screen is form
        assert audit_count(app) == written and stored(app, "F-1").members[0].danish.hours_per_week is None

        fill(form, passed_date="", hours_per_week="18")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert stored(app, "F-1").members[0].danish.hours_per_week == 18.0


async def test_leaving_before_the_takeover_is_refused(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, app, "oversigt", "f")
        fill(form, left_date="09-01-2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "før overtagelsen" in (under(form, "left_date"))
        assert stored(app, "F-1").members[0].left_date is None


async def test_an_unusual_value_is_saved_only_once_the_warning_has_been_seen(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, app, "dansk")
        fill(form, hours_per_week="45")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "the first ctrl+s shows the warning and does not save"
        assert under(form, "hours_per_week").startswith("Bemærk: Mere end 37 timer om ugen")
        assert form.query_one("#error-hours_per_week", Static).has_class("-warning")
        assert str(form.query_one("#save", Button).label) == "Gem alligevel"
        shown = screen_text(app)  # on an 80x24 terminal: the warning and the way on
        assert "Bemærk: Mere end 37 timer" in shown and "Gem alligevel" in shown and "ctrl+s igen" in shown
        assert stored(app, "F-1").members[0].danish.hours_per_week is None

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert stored(app, "F-1").members[0].danish.hours_per_week == 45.0


async def test_correcting_a_warned_value_drops_the_warning_and_the_button_says_gem_again(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, app, "dansk")
        fill(form, hours_per_week="45")
        await pilot.press("ctrl+s")
        await settle(pilot)
        fill(form, hours_per_week="50")  # another unusual value: the same question stands, already answered
        await pilot.pause()
        assert str(form.query_one("#save", Button).label) == "Gem alligevel"
        fill(form, hours_per_week="20")
        await pilot.pause()
        assert (under(form, "hours_per_week")) == ""
        assert str(form.query_one("#save", Button).label) == "Gem"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored(app, "F-1").members[0].danish.hours_per_week == 20.0


async def test_a_takeover_months_ahead_asks_and_one_years_ahead_is_refused_in_the_new_family_form(tmp_path):
    app = app_on(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        fill(form, member_name="Amina Hassan", member_birth_date="01-01-1990", member_takeover_date="01-03-2099")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "mere end 12 måneder ude i fremtiden" in (under(form, "member_takeover_date"))
        fill(form, member_takeover_date="01-08-2025")  # five months ahead of 01-03-2025
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "mere end 3 måneder ude i fremtiden" in (under(form, "member_takeover_date"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert stored(app, app.screen.family_ref).members[0].takeover_date == d("2025-08-01")


async def test_a_new_adult_member_defaults_to_a_sensible_role_not_child(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, app, "oversigt", "p")
        role = form.query_one("#field-role", Select)
        assert role.value is Select.NULL and "(efter alder)" in screen_text(app)
        fill(form, name="Omar Hassan", birth_date="01-01-1988")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("p")
        fill(app.screen, name="Yusuf Hassan", birth_date="01-06-2015")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("p")
        fill(app.screen, name="Layla Hassan", birth_date="01-06-1960")
        await pilot.press("ctrl+s")
        await settle(pilot)
        members = stored(app, "F-1").members
        assert [(p.name, p.role) for p in members] == [
            ("Amina Hassan", Role.APPLICANT), ("Omar Hassan", Role.SPOUSE), ("Yusuf Hassan", Role.CHILD),
            ("Layla Hassan", Role.OTHER)]  # fmt: skip
        assert column(app.screen.query_one("#members", DataTable), "Rolle") == ["Ansøger", "Ægtefælle", "Barn",
                                                                                "Andet"]  # fmt: skip


async def test_an_adult_given_the_role_child_is_asked_about(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, app, "oversigt", "p")
        fill(form, name="Omar Hassan", birth_date="01-01-1988", role=Role.CHILD)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and "er rollen Barn rigtig?" in (under(form, "role"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored(app, "F-1").members[1].role is Role.CHILD


async def test_a_cpr_held_by_another_person_in_the_caseload_is_refused(tmp_path):
    app = app_on(tmp_path, family(person("P-1", cpr="010190-1234", takeover="2025-01-10"), ref="F-1"),
                 family(person("P-2", takeover="2025-01-10"), ref="F-2"))  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-2", "P-2")
        await settle(pilot)
        await pilot.press("e")
        form = app.screen
        fill(form, cpr="010190-1234", birth_date="")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert (under(form, "cpr")) == "CPR-nummeret bruges også af person P-1"
        assert stored(app, "F-2").members[0].cpr is None

        await pilot.press("escape", "j")
        await settle(pilot)
        app.open_family("F-1", "P-1")
        await settle(pilot)
        await pilot.press("e")
        fill(app.screen, name="Amina H.")  # the person keeps their own CPR number: not a duplicate
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored(app, "F-1").members[0].name == "Amina H."


async def test_a_resident_spouse_gets_no_goals(tmp_path):
    spouse = person("P-1", category=Category.RESIDENT_SPOUSE, takeover=None, role=Role.SPOUSE)
    app = app_on(tmp_path, family(spouse, ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "plan")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen), "no goal form opens"
        assert any("herboende ægtefælle har ingen mål" in str(n.message) for n in app._notifications)
        assert stored(app, "F-1").members[0].goals == ()


async def test_an_old_fault_elsewhere_does_not_block_an_unrelated_edit(tmp_path):
    from kasse.domain import Danish

    legacy = person("P-1", takeover="2025-01-10", danish=Danish(hours_per_week=200.0))  # from before the rules
    app = app_on(tmp_path, family(legacy, ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, app, "oversigt")
        fill(form, name="Amina H.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert stored(app, "F-1").members[0].name == "Amina H."
        await pilot.press("5", "e")
        form = app.screen
        assert isinstance(form.query_one("#field-hours_per_week"), Input)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "where the fault is shown, it must be fixed"
        assert (under(form, "hours_per_week")) == "En uge har kun 168 timer"


async def test_a_minors_decision_on_a_41_year_old_is_refused_on_the_programme_tab(tmp_path):
    app = app_on(tmp_path, family(person("P-1", born="1984-01-01", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, app, "program")
        fill(form, decision_date="01-02-2025", decision_offered=True)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "under 18 år ved overtagelsen - personen var voksen" in under(form, "decision_date")
        assert stored(app, "F-1").members[0].um_decision is None
