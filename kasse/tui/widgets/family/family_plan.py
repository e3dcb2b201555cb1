"""The Familie tab: the family's plan, housing and follow-ups; it also edits, follows up and deletes the family
from any tab."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from kasse.dates import format_date
from kasse.domain import FollowUp
from kasse.tui import editing
from kasse.tui.fields import Values
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.keymap import Hint
from kasse.tui.widgets import person_view as view
from kasse.tui.widgets.family.pane import FamilyPane, Shown
from kasse.tui.widgets.family.tabs import Tab
from kasse.tui.widgets.row_table import RowTable
from kasse.tui.widgets.status import date_cell, plain


class FamilyPlanPane(FamilyPane):
    TAB = Tab.FAMILY
    HINTS = ("family.followup", Hint("Enter", "på en opfølgning: ret den"), "family.remove", "family.edit_family")
    EVERYWHERE = frozenset({"followup", "edit_family", "delete_family"})

    def compose_body(self) -> ComposeResult:
        yield Static(id=f"{self.TAB}-body")
        table = RowTable(id="followups", classes="pane-table")
        table.add_columns("Opfølgning", "Note")
        yield table

    def update(self, shown: Shown) -> None:
        # The family's own deadlines, and the person's (the follow-up after a health result): `mine` holds
        # the family's follow-up too, which must not show twice.
        found = [d for d in shown.found if d.person is None] + [d for d in shown.mine if d.person is not None]
        self.query_one(f"#{self.TAB}-body", Static).update(view.family_plan(shown.family, found, shown.today))
        table = self.query_one("#followups", DataTable)
        table.clear()
        for followup in shown.family.plan.followups:
            table.add_row(date_cell(followup.date, shown.today), plain(followup.note))
        if not shown.family.plan.followups:
            table.add_row(Text("ingen endnu", style="dim"), "")

    def action_edit(self) -> None:
        self.action_edit_family()

    def action_edit_family(self) -> None:
        family = self.family
        if family is None:
            return
        self.form(editing.judged(editing.FAMILY, family, editing.write_family), editing.read_family(family),
                  lambda v: self.save_family(editing.write_family(family, v), "Familien er gemt.", family),
                  subtitle=family.ref)

    def action_followup(self) -> None:
        family = self.family
        if family is None:
            return
        ref = family.ref

        def done(values: Values) -> None:
            followup = FollowUp(values["date"], values["note"])
            self.app.save(lambda c: c.add_followup(ref, followup), ref,
                          f"Opfølgning {format_date(followup.date)} er registreret.")

        self.form(editing.followup_section(family), {"date": self.shown.today, "note": None}, done, focus="note",
                  subtitle=ref)

    @on(DataTable.RowSelected, "#followups")
    def _followup_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        family = self.family
        if family is None or not 0 <= event.cursor_row < len(family.plan.followups):
            return
        index = event.cursor_row
        followup = family.plan.followups[index]

        def done(values: Values) -> None:
            followups = list(family.plan.followups)
            followups[index] = FollowUp(values["date"], values["note"])
            followups.sort(key=lambda item: item.date)
            self.save_family(replace(family, plan=replace(family.plan, followups=tuple(followups))),
                             "Opfølgningen er gemt.", family)

        self.form(editing.followup_section(family, index), {"date": followup.date, "note": followup.note}, done,
                  subtitle=family.ref)

    def action_remove(self) -> None:
        family = self.family
        table = self.query_one("#followups", DataTable)
        if family is None or not 0 <= table.cursor_row < len(family.plan.followups):
            return
        followups = list(family.plan.followups)
        removed = followups.pop(table.cursor_row)
        plan = replace(family.plan, followups=tuple(followups))
        self.confirm(f"Fjern opfølgningen {format_date(removed.date)}?",
                     lambda: self.save_family(replace(family, plan=plan), "Opfølgningen er fjernet.", family))

    def action_delete_family(self) -> None:
        family = self.family
        if family is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.screen.dismiss()  # first: staying would report the family as gone once it is
                self.app.save(lambda c: c.delete_family(family.ref), family.ref, f"Familien {family.ref} er slettet.")

        self.app.push_screen(ConfirmScreen(
            f"Slet familien {family.ref} og alle {len(family.members)} medlemmer? "
            "Sletningen gemmes i revisionssporet.", "Slet", "Behold"), answered)
