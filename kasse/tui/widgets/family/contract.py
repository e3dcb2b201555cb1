"""The Kontrakt tab: the integration contract, its deadlines, and the follow-up conversations on it (§ 20)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from kasse import words
from kasse.dates import format_date
from kasse.domain import Person
from kasse.tui import editing
from kasse.tui.fields import Values
from kasse.tui.keymap import Hint, key_of
from kasse.tui.widgets import person_view as view
from kasse.tui.widgets.family.pane import PersonPane, PersonPart, Shown
from kasse.tui.widgets.family.tabs import Tab
from kasse.tui.widgets.row_table import RowTable
from kasse.tui.widgets.status import date_cell, plain


class ContractPane(PersonPane):
    TAB = Tab.CONTRACT
    PART = PersonPart(lambda p: editing.CONTRACT, editing.read_contract, editing.write_contract)
    HINTS = ("family.edit", "contract.conversation", Hint("Enter", "på en samtale: ret den"), "family.remove")
    EVERYWHERE = frozenset({"conversation"})  # a conversation is recorded from any of the person's tabs

    def compose_body(self) -> ComposeResult:
        yield Static(id=f"{self.TAB}-body")
        table = RowTable(id="conversations", classes="pane-table")
        table.add_columns("Dato", "Form", "Note")
        yield table

    def update(self, shown: Shown) -> None:
        person = shown.person
        body = Text("") if person is None else view.contract(person, shown.mine, shown.today,
                                                               self.app.config.policy.rules)
        self.query_one(f"#{self.TAB}-body", Static).update(body)
        self.show_conversations(person)

    def show_conversations(self, person: Person | None) -> None:
        """The follow-up conversations on the contract, oldest first (a planned one reads "planlagt")."""
        table = self.query_one("#conversations", DataTable)
        row = table.cursor_row
        table.clear()
        talks = person.contract.followups if person is not None else ()
        for talk in talks:
            table.add_row(date_cell(talk.date, self.shown.today),
                          Text(words.CONVERSATION_FORM[talk.form]) if talk.form else Text("–", style="dim"),
                          plain(talk.note))
        if not talks:
            table.add_row(Text("ingen endnu", style="dim"), "", "")
        table.move_cursor(row=min(max(row, 0), table.row_count - 1), animate=False)

    def action_conversation(self) -> None:
        """A follow-up conversation on the contract (§ 20): today, at a meeting - Enter saves."""
        person = self.person
        if person is None:
            return
        if person.contract.signed_date is None:
            self.notify(f"{person.name} har ingen underskrevet kontrakt - registrér først underskriften "
                        f"({key_of(self, 'family.edit')} på fanen Kontrakt).", title="Ingen kontrakt",
                        severity="warning")
            return

        def done(values: Values) -> None:
            changed = editing.with_conversation(person, values)
            self.save_person(changed, f"Samtale {format_date(values['date'])} er registreret.", person)

        self.form(editing.conversation_form(person), editing.new_conversation(self.shown.today), done, focus="note")

    @on(DataTable.RowSelected, "#conversations")
    def _conversation_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        person = self.person
        if person is None or not 0 <= event.cursor_row < len(person.contract.followups):
            return
        index = event.cursor_row
        self.form(editing.conversation_form(person, index),
                  editing.read_conversation(person.contract.followups[index]),
                  lambda values: self.save_person(editing.with_conversation(person, values, index),
                                                  "Samtalen er gemt.", person))

    def action_remove(self) -> None:
        person = self.person
        table = self.query_one("#conversations", DataTable)
        if person is None or not 0 <= table.cursor_row < len(person.contract.followups):
            return
        removed = person.contract.followups[table.cursor_row]
        changed = editing.without_conversation(person, table.cursor_row)
        self.confirm(f"Fjern samtalen {format_date(removed.date)}?",
                     lambda: self.save_person(changed, "Samtalen er fjernet.", person))
