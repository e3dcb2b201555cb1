"""The family screen and its forms: create, edit, sign, follow up, leave - each save through the store, seen at once."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TextArea

from kasse.data import reader
from kasse.domain import Area, Category, FamilyPlan, FollowUp, Role
from kasse.rules import Rule
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.forms.form import FormScreen
from kasse.tui.queue import View
from kasse.tui.screens.family import FamilyScreen
from kasse.tui.screens.queue import QueueScreen
from tests.factories import d, family, person
from tests.tui_support import app_on, column, settle, static_text, type_text


def stored(app, ref: str):
    with closing(reader.connect(app.caseload.path)) as connection:
        return reader.read_families(connection, refs=[ref])[0]


def audit_rows(app) -> list[tuple]:
    with closing(sqlite3.connect(app.caseload.path)) as connection:
        return connection.execute("SELECT actor, record, field, old_value, new_value FROM audit ORDER BY id").fetchall()


def fill(form: FormScreen, **values) -> None:
    for key, value in values.items():
        widget = form.query_one(f"#field-{key}")
        if isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.text = value
        else:
            widget.value = value


async def test_add_a_family_with_its_first_member_then_a_second_member(tmp_path):
    app = app_on(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert app.focused is form.query_one("#field-member_name")
        await type_text(pilot, "Amina Hassan")
        fill(form, ref="F-2025-001", member_ref="P-0001", member_cpr="010190-1234",
             member_takeover_date="10-01-2025", member_nationality="Syrien")
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, FamilyScreen)
        saved = stored(app, "F-2025-001")
        amina = saved.members[0]
        assert (amina.name, amina.cpr, amina.birth_date) == ("Amina Hassan", "010190-1234", d("1990-01-01"))
        assert amina.takeover_date == d("2025-01-10") and amina.role is Role.APPLICANT
        assert len(saved.checklist) > 0, "a new family starts with the default reception checklist"
        from kasse.data.store import current_actor

        assert (current_actor(), "F-2025-001", "*") in [row[:3] for row in audit_rows(app)]

        await pilot.press("p")
        form = app.screen
        assert form.query_one("#field-ref", Input).value == "P-0002"
        fill(form, name="Yusuf Hassan", birth_date="2015-06-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [p.name for p in stored(app, "F-2025-001").members] == ["Amina Hassan", "Yusuf Hassan"]
        assert column(app.screen.query_one("#members", DataTable), "Rolle") == ["Ansøger", "Barn"]

        await pilot.press("escape")
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        assert sorted(column(queue.query_one("#queue", DataTable), "Navn")) == ["Amina Hassan", "Yusuf Hassan"]


async def test_signing_the_contract_takes_the_person_out_of_the_overdue_view(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan", takeover="2024-12-01"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        queue = app.screen
        table = queue.query_one("#queue", DataTable)
        assert column(table, "Næste frist") == ["Kontrakt indgået"]  # taken over in 2024: the 2016 rules

        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2", "e")
        form = app.screen
        assert form.section.key == "contract"
        await type_text(pilot, "15-02-2025")
        fill(form, goal_kind=form.fields["goal_kind"].options[0][1], goal="Job i detailhandlen",
             activities="Virksomhedspraktik\nMentor")
        await pilot.press("ctrl+s")
        await settle(pilot)

        contract = stored(app, "F-1").members[0].contract
        assert contract.signed_date == d("2025-02-15")
        assert contract.activities == ("Virksomhedspraktik", "Mentor")
        assert "Opfyldt for sent" in static_text(app.screen.query_one("#kontrakt-body", Static))

        await pilot.press("escape")
        assert app.screen is queue and queue.view is View.OVERDUE
        assert "Kontrakt indgået" not in column(table, "Næste frist")
        assert column(table, "Overskr.") == ["2"]  # programme and Danish still overdue


async def test_a_follow_up_in_two_keystrokes_makes_the_next_one_due(tmp_path):
    plan = FamilyPlan(made_date=d("2024-06-01"), followup_months=6)
    caseload = family(person("P-1", name="Amina Hassan", takeover="2024-05-01"), ref="F-1")
    from dataclasses import replace

    app = app_on(tmp_path, replace(caseload, plan=plan), rules="2015")  # the plan's deadlines: 2015
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        followups_due = [d for d in app.snapshot.deadlines() if d.rule is Rule.PLAN_FOLLOWUP and d.status.is_open]
        assert [x.due for x in followups_due] == [d("2024-12-01")]

        app.open_family("F-1", "P-1")
        await settle(pilot)
        await pilot.press("o")
        assert app.focused is app.screen.query_one("#field-note")
        await type_text(pilot, "Alle mål gennemgået")
        await pilot.press("enter")
        await settle(pilot)

        plan = stored(app, "F-1").plan
        assert plan.followups == (FollowUp(d("2025-03-01"), "Alle mål gennemgået"),)
        open_ones = [x for x in app.snapshot.deadlines() if x.rule is Rule.PLAN_FOLLOWUP and x.status.is_open]
        assert [x.due for x in open_ones] == [d("2025-09-01")]
        await pilot.press("7")
        assert app.screen.query_one(TabbedContent).active == "familie"
        assert "01-09-2025" in static_text(app.screen.query_one("#familie-body", Static))
        assert column(app.screen.query_one("#followups", DataTable), "Note") == ["Alle mål gennemgået"]


async def test_forms_check_dates_as_you_type_and_explain_in_danish(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1")
        await settle(pilot)
        await pilot.press("5", "e")  # Dansk
        form = app.screen
        await type_text(pilot, "12-0")  # the first field: Henvist
        hint = form.query_one("#error-referral_date", Static)
        assert "DD-MM-ÅÅÅÅ" in static_text(hint) and hint.has_class("-hint")
        fill(form, referral_date="")
        error = form.query_one("#error-start_date", Static)
        form.query_one("#field-start_date", Input).value = "31-02-2025"
        await pilot.pause()
        assert "findes ikke" in static_text(error) and not error.has_class("-hint")
        form.query_one("#field-start_date", Input).value = "2025-02-03"  # ISO accepted
        fill(form, paused_from="01-03-2025", paused_to="01-02-2025", hours_per_week="7,5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "a form with errors is not saved"
        assert "før pausens start" in static_text(form.query_one("#error-paused_to", Static))
        fill(form, paused_to="")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        danish = stored(app, "F-1").members[0].danish
        assert (danish.start_date, danish.paused_from, danish.hours_per_week) == (d("2025-02-03"), d("2025-03-01"), 7.5)
        assert "03-02-2025" in static_text(app.screen.query_one("#dansk-body", Static))


async def test_leaving_a_changed_form_asks_first(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1")
        await settle(pilot)
        await pilot.press("4", "e")  # Helbred
        form = app.screen
        await pilot.press("escape")
        assert isinstance(app.screen, FamilyScreen), "an untouched form closes at once"

        await pilot.press("e")
        await type_text(pilot, "01-02-2025")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape", "j")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert stored(app, "F-1").members[0].health.offered_date is None
        del form


async def test_recording_that_a_person_left_moves_them_to_the_left_view(tmp_path):
    app = app_on(tmp_path, family(person("P-1", name="Farah Ali", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1")
        await settle(pilot)
        await pilot.press("f")
        form = app.screen
        assert form.query_one("#field-left_date", Input).value == "01-03-2025"
        fill(form, left_reason="Selvforsørgende")
        await pilot.press("ctrl+s")
        await settle(pilot)
        farah = stored(app, "F-1").members[0]
        assert (farah.left_date, farah.left_reason) == (d("2025-03-01"), "Selvforsørgende")
        await pilot.press("escape", "4")
        assert column(app.screen.query_one("#queue", DataTable), "Navn") == ["Farah Ali"]


async def test_a_later_acceptance_keeps_the_refusal_in_the_history(tmp_path):
    from kasse.domain import Answer, PlanOffer

    first = person("P-1", name="Amina", takeover="2025-01-10",
                   plan_offer=PlanOffer(d("2025-02-01"), Answer.DECLINED))
    app = app_on(tmp_path, family(first, ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "plan")
        await settle(pilot)
        await pilot.press("e")
        fill(app.screen, answer=Answer.ACCEPTED)
        await pilot.press("ctrl+s")
        await settle(pilot)
        body = static_text(app.screen.query_one("#plan-body", Static))
        assert "Svar: Afslået → Accepteret" in body
        assert "svar Afslået" in body  # as first recorded


async def test_health_summary_needs_consent(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "plan")
        await settle(pilot)
        await pilot.press("e")
        form = app.screen
        fill(form, health_summary="Diabetes")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "samtykke" in static_text(form.query_one("#error-health_summary", Static))


async def test_checklist_default_template_and_ticking(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "tjekliste")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        checklist = stored(app, "F-1").checklist
        assert len(checklist) == 15 and all(item.done_date is None for item in checklist)
        table = app.screen.query_one("#checklist", DataTable)
        table.focus()
        await pilot.press("down", "space")
        await settle(pilot)
        assert stored(app, "F-1").checklist[0].done_date == d("2025-03-01")
        assert "Forberedelse (1/3)" in column(table, "Fase / opgave")
        await pilot.press("down", "space")  # the cursor stayed on the ticked task: this is the next one
        await settle(pilot)
        assert [item.done_date for item in stored(app, "F-1").checklist[:3]] == [d("2025-03-01")] * 2 + [None]


async def test_goals_and_interventions_by_area(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "plan")
        await settle(pilot)
        await pilot.press("g")
        assert app.focused is app.screen.query_one("#field-area"), "no area selected: the user chooses first"
        fill(app.screen, area=Area.DANISH_EMPLOYMENT, goal="Bestå Prøve i Dansk 2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one("#goals", DataTable)
        table.focus()
        row = column(table, "Område, mål og indsatser").index("  Mål: Bestå Prøve i Dansk 2")
        table.move_cursor(row=row)
        await pilot.press("i")
        fill(app.screen, title="Danskuddannelse 18 t/uge", department="Jobcenter", start="03-02-2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        goal = stored(app, "F-1").members[0].goals[0]
        assert goal.goal == "Bestå Prøve i Dansk 2" and goal.area.value == "danish_employment"
        assert [(i.title, i.department, i.start) for i in goal.interventions] == [
            ("Danskuddannelse 18 t/uge", "Jobcenter", d("2025-02-03"))]
        assert "Planlagt" in column(app.screen.query_one("#goals", DataTable), "Status")


async def test_unaccompanied_minor_decision_and_exemption_on_programme_tab(tmp_path):
    minor = person("P-1", born="2010-05-01", category=Category.UNACCOMPANIED_MINOR, takeover="2025-01-10")
    app = app_on(tmp_path, family(minor, ref="F-1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "program")
        await settle(pilot)
        await pilot.press("e")
        fill(app.screen, decision_date="01-02-2025")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "både dato og udfald" in static_text(app.screen.query_one("#error-decision_offered", Static))
        fill(app.screen, decision_offered=False)
        await pilot.press("ctrl+s")
        await settle(pilot)
        decision = stored(app, "F-1").members[0].um_decision
        assert (decision.date, decision.offered) == (d("2025-02-01"), False)


async def test_an_untouched_form_closes_without_asking_even_with_required_fields_empty(tmp_path):
    app = app_on(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)


async def test_a_ref_in_use_is_refused_in_the_form_which_keeps_what_was_typed(tmp_path):
    app = app_on(tmp_path, family(person("P-1", takeover="2025-01-10"), ref="F-1"),
                 family(person("P-2", takeover="2025-01-10"), ref="F-2"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1")
        await settle(pilot)
        await pilot.press("p")
        form = app.screen
        fill(form, ref="P-2", name="Yusuf Hassan", birth_date="01-06-2015")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "P-2 belongs to F-2: saving would move that person here"
        assert "i brug" in static_text(form.query_one("#error-ref", Static))
        assert form.query_one("#field-name", Input).value == "Yusuf Hassan"
        fill(form, ref="P-3")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [p.ref for p in stored(app, "F-1").members] == ["P-1", "P-3"]
        assert app.screen.person_ref == "P-3", "the new member is selected once saved"
        assert [p.ref for p in stored(app, "F-2").members] == ["P-2"]
