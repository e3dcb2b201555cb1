"""The family's reception checklist by phase: tick off, add, edit, remove, or start from the template
(the municipality's own from the config file, else kasse's default).

A task the recorded facts already show done (the contract signed, say) is shown
ticked with the fact's date and the tab it is kept on, without being written:
space saves it so. Posts `ChecklistTable.Changed` with the new list; the screen saves it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable

from kasse import words
from kasse.dates import format_date
from kasse.domain import ChecklistItem, Family, Housing, Phase
from kasse.tui import editing
from kasse.tui.fields import Values
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.forms.form import FormScreen
from kasse.tui.widgets.row_table import RowTable
from kasse.tui.widgets.status import date_cell, plain


@dataclass(frozen=True, slots=True)
class Fact:
    """Where a task's fact is recorded: the tab's title, and the dates it holds (one per member, or the family's)."""

    tab: str
    dates: Callable[[Family], Iterable[date | None]]


# The tasks (by their text in kasse's default checklist; a config's own with the same text match too)
# that a recorded fact shows done.
TASK_FACTS = {
    "integrationskontrakt indgået": Fact("Kontrakt", lambda f: (p.contract.signed_date for p in f.members)),
    "integrationsplan tilbudt": Fact("Plan", lambda f: (p.plan_offer.offered_date for p in f.members)),
    "integrationsplan udarbejdet": Fact("Familie", lambda f: (f.plan.made_date,)),
    "helbredsmæssig vurdering tilbudt": Fact("Helbred", lambda f: (p.health.offered_date for p in f.members)),
    "henvist til sprogskole": Fact("Dansk", lambda f: (day for p in f.members
                                                       for day in (p.danish.referral_date, p.danish.start_date))),
    "bolig klar": Fact("Familie", lambda f: (f.housing_since if f.housing not in (None, Housing.NONE) else None,)),
}


def done_by_fact(family: Family, task: str, today: date | None) -> tuple[date, str] | None:
    """The first day a recorded fact shows `task` done (for any member), and the tab it is kept on; a fact
    dated after `today` is planned, not done."""
    fact = TASK_FACTS.get(task.strip().casefold())
    if fact is None:
        return None
    day = min((day for day in fact.dates(family) if day is not None and (today is None or day <= today)), default=None)
    return (day, fact.tab) if day is not None else None


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    phase: Phase
    item: int | None = None  # index in family.checklist; None for a phase heading


class ChecklistTable(RowTable):
    class Changed(Message):
        def __init__(self, family: Family, checklist: tuple[ChecklistItem, ...], message: str) -> None:
            super().__init__()
            self.family = family  # as shown when the edit began: the save is checked against its version
            self.checklist = checklist
            self.message = message

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.family: Family | None = None
        self.entries: list[ChecklistRow] = []
        self.by_fact: dict[int, date] = {}  # item index -> the day a fact shows it done (not saved)

    def on_mount(self) -> None:
        self.add_columns("Fase / opgave", "Udført")

    def show(self, family: Family, today: date | None = None, default_key: str = "s") -> None:
        """The family's checklist as of `today`; `default_key` is the key that inserts the template."""
        # After a save the cursor stays on its row, so space, down, space ticks the next task.
        row = self.cursor_row if self.family is not None and self.family.ref == family.ref else 0
        self.family = family
        self.clear()
        self.entries = []
        facts: dict[int, tuple[date, str]] = {}
        for index, item in enumerate(family.checklist):
            found = None if item.done_date else done_by_fact(family, item.task, today)
            if found is not None:
                facts[index] = found
        self.by_fact = {index: day for index, (day, _) in facts.items()}
        for phase in Phase:
            items = [(index, item) for index, item in enumerate(family.checklist) if item.phase is phase]
            done = sum(1 for index, item in items if item.done_date or index in facts)
            self.add_row(Text(f"{words.PHASE[phase]} ({done}/{len(items)})", style="bold"), "")
            self.entries.append(ChecklistRow(phase))
            for index, item in items:
                mark = "[x] " if item.done_date or index in facts else "[ ] "
                when = date_cell(item.done_date, today)
                if index in facts:
                    day, tab = facts[index]
                    when = Text(f"{format_date(day)} · {tab}", style="italic")
                self.add_row(Text("  " + mark).append_text(plain(item.task)), when)
                self.entries.append(ChecklistRow(phase, index))
        if not family.checklist:
            self.add_row(Text(f"Ingen tjekliste endnu - tryk {default_key} for standardtjeklisten.", style="dim"), "")
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
        item = family.checklist[row.item]
        if row.item in self.by_fact:  # shown done by a fact: saved so, on the fact's day
            items = list(family.checklist)
            items[row.item] = replace(item, done_date=self.by_fact[row.item])
            self.changed(family, items, "Opgaven er markeret som udført.")
            return
        message = "Opgaven er markeret som udført."
        if item.done_date is not None:
            found = done_by_fact(family, item.task, today)
            message = "Opgaven er åbnet igen." if found is None else \
                f"Afkrydsningen er fjernet; opgaven står stadig som udført, fordi fanen {found[1]} viser det."
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
