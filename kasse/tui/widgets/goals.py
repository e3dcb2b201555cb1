"""The plan's action part for one person: goals, sub-goals and interventions under the four areas.

A table that knows which goal or intervention each row is. Its editing
actions open the forms and post `GoalsTable.Changed` with the person's new
goals; the screen saves them (attributes down, messages up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable

from kasse import words
from kasse.domain import Area, Goal, Person
from kasse.tui import editing
from kasse.tui.fields import Section, Values
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.forms.form import FormScreen
from kasse.tui.keymap import key_of
from kasse.tui.widgets.row_table import RowTable
from kasse.tui.widgets.status import date_cell, plain


@dataclass(frozen=True, slots=True)
class GoalRow:
    area: Area
    goal: int | None = None  # index in person.goals; None for an area heading
    intervention: int | None = None  # index in the goal's interventions


class GoalsTable(RowTable):
    class Changed(Message):
        def __init__(self, person: Person, goals: tuple[Goal, ...], message: str) -> None:
            super().__init__()
            self.person = person  # as shown when the edit began: the save is checked against its version
            self.goals = goals
            self.message = message

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.person: Person | None = None
        self.entries: list[GoalRow] = []

    def on_mount(self) -> None:
        self.add_columns("Område, mål og indsatser", "Forvaltning", "Start", "Slut", "Status")

    def show(self, person: Person | None) -> None:
        # After a save the cursor stays on its row; another person starts at the top.
        same = person is not None and self.person is not None and self.person.ref == person.ref
        row = self.cursor_row if same else 0
        self.person = person
        self.clear()
        self.entries = []
        if person is None:
            return
        blank = ("", "", "", "")
        for area in Area:
            self.add_row(Text(words.AREA[area], style="bold"), *blank)
            self.entries.append(GoalRow(area))
            goals = [(index, goal) for index, goal in enumerate(person.goals) if goal.area is area]
            if not goals:
                self.add_row(Text("  ingen mål", style="dim"), *blank)
                self.entries.append(GoalRow(area))
            for index, goal in goals:
                self.add_row(Text("  Mål: ").append_text(plain(goal.goal)), *blank)
                self.entries.append(GoalRow(area, index))
                for subgoal in goal.subgoals:
                    self.add_row(Text("    Delmål: ", style="dim").append_text(plain(subgoal)), *blank)
                    self.entries.append(GoalRow(area, index))
                for number, item in enumerate(goal.interventions):
                    self.add_row(Text("    ▸ ").append_text(plain(item.title)), plain(item.department),
                                 date_cell(item.start), date_cell(item.end),
                                 Text(words.INTERVENTION_STATUS[item.status]))
                    self.entries.append(GoalRow(area, index, number))
        self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    @property
    def selected(self) -> GoalRow | None:
        return self.entries[self.cursor_row] if 0 <= self.cursor_row < len(self.entries) else None

    def changed(self, person: Person, goals: list[Goal], message: str) -> None:
        self.post_message(self.Changed(person, tuple(goals), message))

    def form(self, section: Section, values: Values, done: Callable[[Values], None],
             focus: str | None = None) -> None:
        subtitle = self.person.name if self.person else ""
        self.app.push_screen(FormScreen(section, values, subtitle=subtitle, focus=focus),
                             lambda result: done(result) if result is not None else None)

    # -- editing

    def new_goal(self) -> None:
        person = self.person
        if person is None:
            return
        # The area of the selected row when the table has focus; otherwise the user chooses.
        area = self.selected.area if self.has_focus and self.selected else None
        self.form(editing.GOAL, editing.read_goal(None) | {"area": area},
                  lambda v: self.changed(person, [*person.goals, editing.write_goal(None, v)], "Målet er tilføjet."),
                  focus="goal" if area else "area")

    def new_intervention(self) -> None:
        person, row = self.person, self.selected
        if person is None or row is None or row.goal is None:
            self.notify(f"Vælg et mål i indsatsdelen først ({key_of(self, 'plan.new_goal')} opretter et).",
                        severity="warning")
            return
        goal_index = row.goal
        goal = person.goals[goal_index]

        def done(values: Values) -> None:
            goals = list(person.goals)
            goals[goal_index] = replace(goal, interventions=(*goal.interventions, editing.write_intervention(values)))
            self.changed(person, goals, "Indsatsen er tilføjet.")

        self.form(editing.intervention_section(), editing.read_intervention(None), done)

    @on(DataTable.RowSelected)
    def edit(self, event: DataTable.RowSelected | None = None) -> None:
        if event is not None:
            event.stop()
        person, row = self.person, self.selected
        if person is None or row is None or row.goal is None:
            return
        goals = list(person.goals)
        goal = goals[row.goal]
        if row.intervention is None:
            def done_goal(values: Values) -> None:
                goals[row.goal] = editing.write_goal(goal, values)
                self.changed(person, goals, "Målet er gemt.")

            self.form(editing.GOAL, editing.read_goal(goal), done_goal)
            return
        item = goal.interventions[row.intervention]

        def done_item(values: Values) -> None:
            items = list(goal.interventions)
            items[row.intervention] = editing.write_intervention(values)
            goals[row.goal] = replace(goal, interventions=tuple(items))
            self.changed(person, goals, "Indsatsen er gemt.")

        self.form(editing.intervention_section(item.department), editing.read_intervention(item), done_item)

    def remove(self) -> None:
        person, row = self.person, self.selected
        if person is None or row is None or row.goal is None:
            return
        goals = list(person.goals)
        goal = goals[row.goal]
        if row.intervention is None:
            what = f"målet '{goal.goal}' med delmål og indsatser"
            goals.pop(row.goal)
        else:
            what = f"indsatsen '{goal.interventions[row.intervention].title}'"
            items = list(goal.interventions)
            items.pop(row.intervention)
            goals[row.goal] = replace(goal, interventions=tuple(items))
        self.app.push_screen(ConfirmScreen(f"Fjern {what}?", "Fjern", "Behold"),
                             lambda yes: self.changed(person, goals, "Fjernet.") if yes else None)
