"""The Plan tab: the offer of an integration plan with its history, the assessment, and the goals (GoalsTable)."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from kasse.tui import editing
from kasse.tui.caseload import Change
from kasse.tui.keymap import Hint
from kasse.tui.widgets import person_view as view
from kasse.tui.widgets.family.pane import PersonPane, PersonPart, Shown
from kasse.tui.widgets.family.tabs import Tab
from kasse.tui.widgets.goals import GoalsTable


class PlanPane(PersonPane):
    TAB = Tab.PLAN
    PART = PersonPart(editing.plan_section, editing.read_plan, editing.write_plan)
    HINTS = ("family.edit", "person.plan_offer", "plan.new_goal", "plan.new_intervention", Hint("Enter", "ret"),
             "family.remove")

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[Change] | None] = {}  # person ref -> the offer's audited changes

    def compose_body(self) -> ComposeResult:
        yield Static(id=f"{self.TAB}-body")
        yield GoalsTable(id="goals", classes="pane-table")

    def show(self, shown: Shown) -> None:
        if self.shown is None or shown.family is not self.shown.family:
            self.history.clear()  # read again: a save may have added to the audit trail
        super().show(shown)

    def update(self, shown: Shown) -> None:
        person = shown.person
        self.show_offer()
        self.query_one(GoalsTable).show(person)
        if person is not None and person.ref not in self.history:
            self.load_history(person.ref)

    def show_offer(self) -> None:
        shown, person = self.shown, self.person
        body = Text("") if person is None else view.plan_offer(person, shown.mine, self.history.get(person.ref),
                                                                 shown.today)
        self.query_one(f"#{self.TAB}-body", Static).update(body)

    def load_history(self, person_ref: str) -> None:
        self.history[person_ref] = None  # asked for; shown as "indlæses" until it arrives

        def arrived(changes: list[Change]) -> None:
            # A creation without an offer on record says nothing about the offer's history.
            self.history[person_ref] = [c for c in changes if c.field != "*" or any(view.created_offer(c).values())]
            if self.is_mounted and self.person is not None and self.person.ref == person_ref:
                self.show_offer()

        self.app.run_db(lambda: self.app.caseload.history(person_ref, view.PLAN_HISTORY_FIELDS), arrived)

    @on(GoalsTable.Changed)
    def _goals_changed(self, event: GoalsTable.Changed) -> None:
        # On the person as the table showed them when the edit began: a change made since is not overwritten.
        self.save_person(replace(event.person, goals=event.goals), event.message, event.person)

    def action_new_goal(self) -> None:
        refusal = editing.goal_refusal(self.person) if self.person is not None else None
        if refusal is not None:
            self.notify(refusal, title="Ikke muligt", severity="error")
            return
        self.query_one(GoalsTable).new_goal()

    def action_new_intervention(self) -> None:
        self.query_one(GoalsTable).new_intervention()

    def action_remove(self) -> None:
        self.query_one(GoalsTable).remove()
