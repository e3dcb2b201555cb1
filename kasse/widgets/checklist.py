"""The family's reception checklist by phase: tick off, add, edit, remove, or start from the template
(the municipality's own from the config file, else kasse's default).

Posts `ChecklistTable.Changed` with the new list; the screen saves it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable

from kasse import editing, words
from kasse.domain import ChecklistItem, Family, Phase
from kasse.fields import Values
from kasse.screens.confirm import ConfirmScreen
from kasse.screens.form import FormScreen
from kasse.widgets.status import date_cell, plain


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    phase: Phase
    item: int | None = None  # index in family.checklist; None for a phase heading


class ChecklistTable(DataTable):
    class Changed(Message):
        def __init__(self, family: Family, checklist: tuple[ChecklistItem, ...], message: str) -> None:
            super().__init__()
            self.family = family  # as shown when the edit began: the save is checked against its version
            self.checklist = checklist
            self.message = message

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.family: Family | None = None
        self.entries: list[ChecklistRow] = []

    def on_mount(self) -> None:
        self.add_columns("Fase / opgave", "Udført")

    def show(self, family: Family, today: date | None = None) -> None:
        # After a save the cursor stays on its row, so space, down, space ticks the next task.
        row = self.cursor_row if self.family is not None and self.family.ref == family.ref else 0
        self.family = family
        self.clear()
        self.entries = []
        for phase in Phase:
            items = [(index, item) for index, item in enumerate(family.checklist) if item.phase is phase]
            done = sum(1 for _, item in items if item.done_date)
            self.add_row(Text(f"{words.PHASE[phase]} ({done}/{len(items)})", style="bold"), "")
            self.entries.append(ChecklistRow(phase))
            for index, item in items:
                mark = "[x] " if item.done_date else "[ ] "
                self.add_row(Text("  " + mark).append_text(plain(item.task)), date_cell(item.done_date, today))
                self.entries.append(ChecklistRow(phase, index))
        if not family.checklist:
            self.add_row(Text("Ingen tjekliste endnu - tryk s for standardtjeklisten.", style="dim"), "")
            self.entries.append(ChecklistRow(Phase.PREPARATION))
        self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    @property
    def selected(self) -> ChecklistRow | None:
        return self.entries[self.cursor_row] if 0 <= self.cursor_row < len(self.entries) else None

    def changed(self, family: Family, checklist: list[ChecklistItem] | tuple[ChecklistItem, ...], message: str) -> None:
        self.post_message(self.Changed(family, tuple(checklist), message))

    def form(self, values: Values, done: Callable[[Values], None], focus: str | None = None) -> None:
        subtitle = self.family.ref if self.family else ""
        self.app.push_screen(FormScreen(editing.CHECKLIST_ITEM, values, subtitle=subtitle, focus=focus),
                             lambda result: done(result) if result is not None else None)

    # -- editing

    def tick(self, today: date) -> None:
        family, row = self.family, self.selected
        if family is None or row is None or row.item is None:
            return
        message = "Opgaven er markeret som udført." if family.checklist[row.item].done_date is None \
            else "Opgaven er åbnet igen."
        self.changed(family, editing.tick(family, row.item, today).checklist, message)

    def add(self) -> None:
        family = self.family
        if family is None:
            return
        phase = self.selected.phase if self.selected else Phase.PREPARATION
        self.form(editing.read_checklist_item(None) | {"phase": phase},
                  lambda v: self.changed(family, [*family.checklist, editing.write_checklist_item(v)],
                                         "Opgaven er tilføjet."),
                  focus="task")

    @on(DataTable.RowSelected)
    def edit(self, event: DataTable.RowSelected | None = None) -> None:
        if event is not None:
            event.stop()
        family, row = self.family, self.selected
        if family is None or row is None or row.item is None:
            return
        index = row.item

        def done(values: Values) -> None:
            items = list(family.checklist)
            items[index] = editing.write_checklist_item(values)
            self.changed(family, items, "Opgaven er gemt.")

        self.form(editing.read_checklist_item(family.checklist[index]), done)

    def remove(self) -> None:
        family, row = self.family, self.selected
        if family is None or row is None or row.item is None:
            return
        items = list(family.checklist)
        task = items.pop(row.item).task
        self.app.push_screen(ConfirmScreen(f"Fjern opgaven '{task}'?", "Fjern", "Behold"),
                             lambda yes: self.changed(family, items, "Opgaven er fjernet.") if yes else None)

    def insert_default(self, template: tuple[ChecklistItem, ...] | None = None) -> None:
        """Add the template's tasks the family does not have yet (`template` None: kasse's default)."""
        family = self.family
        if family is None:
            return
        have = {(item.phase, item.task) for item in family.checklist}
        missing = tuple(item for item in editing.default_checklist(template) if (item.phase, item.task) not in have)
        if not missing:
            self.notify("Standardtjeklistens opgaver er der allerede.")
            return
        self.changed(family, (*family.checklist, *missing), f"{len(missing)} opgaver fra standardtjeklisten er indsat.")
