"""The app under the law as it stands: the ruleset in force, the legal basis on screen, § 20's conversations,
the need assessment and the referral, planned facts, and the config's policy and checklist."""

from __future__ import annotations

from contextlib import closing
from datetime import date

from textual.widgets import DataTable, Input, Static

from kasse.config import Config
from kasse.data import reader
from kasse.domain import (
    Category,
    ChecklistItem,
    Contract,
    ContractFollowUp,
    ConversationForm,
    Health,
    Phase,
    Programme,
)
from kasse.law import RulesChoice
from kasse.policy import Policy
from kasse.tui.app import header_title
from kasse.tui.forms.form import FormScreen
from kasse.tui.screens.deadlines import DeadlinesScreen
from kasse.tui.screens.family import FamilyScreen
from tests.factories import d, family, person
from tests.tui_support import TODAY, app_on, column, screen_text, settle, static_text


def stored(app, ref: str):
    with closing(reader.connect(app.caseload.path)) as connection:
        return reader.read_families(connection, refs=[ref])[0]


def fill(form: FormScreen, **values) -> None:
    for key, value in values.items():
        form.query_one(f"#field-{key}").value = value


def deadline_row(app, title: str) -> dict[str, str]:
    """The row of the person's deadline table (Oversigt) whose title is `title`, by column."""
    table = app.screen.query_one("#person-deadlines", DataTable)
    labels = [str(c.label) for c in table.ordered_columns]
    rows = [dict(zip(labels, values)) for values in zip(*(column(table, label) for label in labels))]
    return next(row for row in rows if row["Frist"] == title)


def signed_with_talks(*talks: str) -> object:
    """A refugee taken over 10-01-2025 (the 2016 rules) whose contract was signed 20-01-2025."""
    return person("P-1", name="Amina Hassan", takeover="2025-01-10", contract=Contract(
        signed_date=d("2025-01-20"), followups=tuple(ContractFollowUp(d(day), ConversationForm.PHONE) for day in talks)))


async def test_a_conversation_in_two_keystrokes_counts_towards_the_four_of_section_20(tmp_path):
    app = app_on(tmp_path, family(signed_with_talks("2025-01-27", "2025-02-03", "2025-02-17"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "kontrakt")
        await settle(pilot)
        assert "Opfølgningssamtaler: 3 af 4" in static_text(app.screen.query_one("#kontrakt-body", Static))
        assert deadline_row(app, "Opfølgning på kontrakten (4 samtaler)")["Status"] == "Kommende"

        await pilot.press("k", "enter")
        await settle(pilot)

        assert isinstance(app.screen, FamilyScreen)
        talks = stored(app, "F-1").members[0].contract.followups
        assert talks[-1] == ContractFollowUp(TODAY, ConversationForm.MEETING, None)
        assert "Opfølgningssamtaler: 4 af 4" in static_text(app.screen.query_one("#kontrakt-body", Static))
        conversations = app.screen.query_one("#conversations", DataTable)
        assert column(conversations, "Form") == ["Telefon", "Telefon", "Telefon", "Møde"]
        row = deadline_row(app, "Opfølgning på kontrakten (4 samtaler)")
        assert (row["Status"], row["Opfyldt"], row["Hjemmel"]) == ("Opfyldt", "01-03-2025", "§ 20, stk. 1 (2016)")


async def test_a_conversation_before_the_signing_or_without_a_contract_is_refused(tmp_path):
    unsigned = person("P-2", name="Yonas Tesfay", takeover="2025-01-10")
    app = app_on(tmp_path, family(signed_with_talks(), unsigned, ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "kontrakt")
        await settle(pilot)
        await pilot.press("k")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-date", Input).value == "01-03-2025"
        fill(form, date="15-01-2025")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "før kontrakten blev underskrevet (20-01-2025)" in static_text(form.query_one("#error-date", Static))
        await pilot.press("escape", "j")
        await settle(pilot)
        assert stored(app, "F-1").members[0].contract.followups == ()

        app.screen.show_person("P-2")
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, FamilyScreen), "no contract signed: no form"
        assert any("ingen underskrevet kontrakt" in n.message for n in app._notifications)


async def test_the_need_assessment_decides_a_reunified_persons_health_offer(tmp_path):
    reunified = person("P-1", name="Layla Omar", category=Category.FAMILY_REUNIFIED, takeover="2025-01-10")
    app = app_on(tmp_path, family(reunified, ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "helbred")
        await settle(pilot)
        body = static_text(app.screen.query_one("#helbred-body", Static))
        assert "ikke vurderet" in body and "Tilbud om helbredsmæssig vurdering" not in body

        await pilot.press("e")
        form = app.screen
        fill(form, need_date="01-02-2025")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "a date without the assessment is refused"
        assert "Vælg Ja eller Nej" in static_text(form.query_one("#error-need", Static))
        fill(form, need=True, need_date="")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "an assessment without its date is refused"
        assert "hvornår" in static_text(form.query_one("#error-need_date", Static))
        fill(form, need_date="01-02-2025")
        await pilot.press("ctrl+s")
        await settle(pilot)

        health = stored(app, "F-1").members[0].health
        assert (health.need, health.need_date) == (True, d("2025-02-01"))
        body = static_text(app.screen.query_one("#helbred-body", Static))
        assert "Tilbud om helbredsmæssig vurdering" in body and "10-07-2025" in body  # takeover + 6 months
        assert "§ 15 d (2016)" in body


async def test_the_referral_meets_the_danish_deadline_since_2016(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1")
        await settle(pilot)
        assert deadline_row(app, "Henvist til danskuddannelse")["Status"] == "Overskredet"
        await pilot.press("5", "e")
        fill(app.screen, referral_date="05-02-2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored(app, "F-1").members[0].danish.referral_date == d("2025-02-05")
        assert "Henvist" in static_text(app.screen.query_one("#dansk-body", Static))
        row = deadline_row(app, "Henvist til danskuddannelse")
        assert (row["Status"], row["Opfyldt"], row["Hjemmel"]) == ("Opfyldt", "05-02-2025", "§ 21 (2016)")


async def test_a_fact_dated_after_today_is_shown_as_planned_and_does_not_meet_its_deadline(tmp_path):
    amina = person("P-1", name="Amina Hassan", takeover="2025-01-10", contract=Contract(signed_date=d("2025-04-01")),
                   programme=Programme(start_date=d("2025-02-01")))
    app = app_on(tmp_path, family(amina, ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "kontrakt")
        await settle(pilot)
        body = static_text(app.screen.query_one("#kontrakt-body", Static))
        assert "planlagt 01-04-2025" in body
        assert "Overskredet" in body and body.count("01-04-2025") == 1, "shown as planned, not as met"
        assert "Opfølgningssamtaler: 0 af 4" in body
        program = static_text(app.screen.query_one("#program-body", Static))
        assert "01-02-2025" in program and "planlagt 01-02-2025" not in program


async def test_every_deadline_names_its_ruleset_and_basis_and_the_table_fits_80_columns(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1")
        await settle(pilot)
        table = app.screen.query_one("#person-deadlines", DataTable)
        assert [str(c.label) for c in table.ordered_columns][-1] == "Hjemmel"
        assert column(table, "Hjemmel")[:3] == ["§ 19 (2016)", "§ 16 (2016)", "§ 21 (2016)"]
        assert table.virtual_size.width <= table.scrollable_content_region.width, "no column past the edge"

        await pilot.press("d")
        shown = screen_text(app)
        assert "Hjemmel" in shown and "§ 19 (2016)" in shown


async def test_pinned_2015_rules_show_plan_offers_for_a_2025_takeover_and_auto_does_not(tmp_path):
    caseload = family(signed_with_talks("2025-02-01"), ref="F-1")
    for rules, pinned in (("2015", True), ("auto", False)):
        folder = tmp_path / rules
        folder.mkdir()
        app = app_on(folder, caseload, rules=rules)
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            header = screen_text(app)
            assert "pr. 01-03-2025" in header, "the header names the day when it is not today"
            assert ("regler 2015" in header) is pinned, "and the rules when they are pinned"
            await pilot.press("d")
            titles = column(app.screen.query_one(DataTable), "Frist")
            assert ("Tilbud om integrationsplan" in titles) is pinned, rules
            app.open_family("F-1", "P-1", "kontrakt")
            await settle(pilot)
            body = static_text(app.screen.query_one("#kontrakt-body", Static))
            # § 20's four conversations are the 2016 rules': counted only there.
            assert ("Opfølgningssamtaler: 1 af 4" in body) is not pinned
            assert "Opfølgningssamtaler" in body


def test_the_header_names_pinned_rules_and_another_day():
    assert header_title(RulesChoice.AUTO, TODAY, TODAY) == "kasse"
    assert header_title(RulesChoice.LAW_2016, TODAY, date(2026, 1, 1)) == "kasse · regler 2016 · pr. 01-03-2025"


async def test_an_adult_is_not_saved_as_an_unaccompanied_minor(tmp_path):
    app = app_on(tmp_path, family(person("P-1", born="2006-05-01", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1")
        await settle(pilot)
        await pilot.press("e")
        form = app.screen
        fill(form, category=Category.UNACCOMPANIED_MINOR)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        error = static_text(form.query_one("#error-category", Static))
        assert "under 18 år ved overtagelsen" in error and "fyldte 18 den 01-05-2024" in error
        fill(form, takeover_date="01-04-2024")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored(app, "F-1").members[0].category is Category.UNACCOMPANIED_MINOR


async def test_the_policy_window_decides_what_is_due_soon(tmp_path):
    # Taken over 20-02-2025: the contract is due 20-03-2025, 19 days after today - soon within 30 days.
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan", takeover="2025-02-20"), ref="F-1"),
                 config=Config(Policy(rules=RulesChoice.AUTO, window_days=30)))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert "2 Inden for 30 dage (1)" in static_text(app.screen.query_one("#views", Static))
        await pilot.press("d")
        assert isinstance(app.screen, DeadlinesScreen)
        assert "Vindue: 30 dage" in static_text(app.screen.query_one("#summary", Static))


async def test_the_checklist_template_comes_from_the_config(tmp_path):
    template = (ChecklistItem(Phase.ARRIVAL, "Nøgler udleveret"), ChecklistItem(Phase.RECEPTION, "Sprogskole"))
    config = Config(checklist=template)
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"), config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "tjekliste")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert [item.task for item in stored(app, "F-1").checklist] == ["Nøgler udleveret", "Sprogskole"]

        await pilot.press("escape", "n")
        form = app.screen
        fill(form, member_name="Yonas Tesfay", member_birth_date="01-01-1990")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [item.task for item in stored(app, app.screen.family_ref).checklist] == ["Nøgler udleveret",
                                                                                        "Sprogskole"]


def test_enter_on_a_deadline_goes_where_it_is_met_under_its_ruleset():
    from kasse.rules import deadlines
    from kasse.tui.widgets.person_view import deadline_tab
    from tests.factories import PINNED

    talks = signed_with_talks()
    result = person("P-1", takeover="2025-01-10", contract=talks.contract,
                    health=Health(offered_date=d("2025-01-20"), consent=True, result_received_date=d("2025-02-01")))
    tabs = {}
    for rules in ("2015", "2016"):
        found = deadlines([family(result, made="2025-01-20")], today=TODAY, policy=PINNED[rules])
        tabs[rules] = {deadline.rule.value: deadline_tab(deadline) for deadline in found}
    assert tabs["2015"]["health_followup"] == "familie" and tabs["2016"]["health_followup"] == "kontrakt"
    assert tabs["2016"]["contract_followup"] == "kontrakt" and tabs["2016"]["programme_start"] == "program"
