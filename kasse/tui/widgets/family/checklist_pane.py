"""The Tjekliste tab: the family's reception checklist (ChecklistTable does the work; this pane saves it)."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult

from kasse.tui.keymap import Hint, key_of
from kasse.tui.widgets.checklist import ChecklistTable
from kasse.tui.widgets.family.pane import FamilyPane, Shown
from kasse.tui.widgets.family.tabs import Tab


class ChecklistPane(FamilyPane):
    TAB = Tab.CHECKLIST
    HINTS = ("checklist.tick", "checklist.add", Hint("Enter", "ret"), "family.remove", "checklist.default")

    def compose_body(self) -> ComposeResult:
        yield ChecklistTable(id="checklist", classes="pane-table")

    def update(self, shown: Shown) -> None:
        self.query_one(ChecklistTable).show(shown.family, shown.today, key_of(self, "checklist.default"))

    @on(ChecklistTable.Changed)
    def _checklist_changed(self, event: ChecklistTable.Changed) -> None:
        self.save_family(replace(event.family, checklist=event.checklist), event.message, event.family)

    def action_edit(self) -> None:
        self.query_one(ChecklistTable).edit()

    def action_tick(self) -> None:
        self.query_one(ChecklistTable).tick(self.shown.today)

    def action_add_item(self) -> None:
        self.query_one(ChecklistTable).add()

    def action_default_checklist(self) -> None:
        self.query_one(ChecklistTable).insert_default(self.app.config.checklist)

    def action_remove(self) -> None:
        self.query_one(ChecklistTable).remove()
