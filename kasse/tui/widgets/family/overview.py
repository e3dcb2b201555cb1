"""The Oversigt tab: the selected member's deadlines and own tasks (first: what a small terminal must show), then
their data; the keys for the journal and own tasks, which work from every tab."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from kasse import words
from kasse.journal import TaskDeadline
from kasse.rules import Deadline
from kasse.tui import editing
from kasse.tui.forms.note_form import write_note
from kasse.tui.forms.record import mark_done
from kasse.tui.forms.task_form import add_task
from kasse.tui.keymap import Hint, key_of
from kasse.tui.widgets import person_view as view
from kasse.tui.widgets.deadline_table import DeadlineTable
from kasse.tui.widgets.family.pane import PersonPane, PersonPart, Shown, TabRequested
from kasse.tui.widgets.family.tabs import Tab
from kasse.tui.widgets.status import column_widths, date_cell, one_line, status_cell
from kasse.tui.widgets.tasks import basis_words, is_task, row_basis_cell, row_title_cell, task_rows, with_tasks

# The title takes what the other columns leave (at least 10 cells, so all columns fit 80), then the legal
# basis gets its full width; the others are as wide as what they show.
TITLE_LEAST, TITLE_MOST, BASIS_SHORT = 10, 41, 13


def deadline_columns(found: list[Deadline | TaskDeadline]) -> tuple[tuple[str, int, int], ...]:
    """(label, least, most) for the person's deadline table, from the deadlines it will show."""

    def widest(label: str, cells: list[str]) -> int:
        return max([len(label), *(len(cell) for cell in cells)])

    days = widest("Dage", [f"{d.days:+d}" for d in found])
    status = widest("Status", [words.STATUS[d.status] for d in found])
    basis = widest("Hjemmel", [basis_words(d) for d in found])
    title = max(widest("Frist", [d.title for d in found]), TITLE_LEAST)
    return (("Frist", TITLE_LEAST, min(title, TITLE_MOST)), ("Dato", 10, 10), ("Dage", days, days),
            ("Status", status, status), ("Opfyldt", 10, 10), ("Hjemmel", min(basis, BASIS_SHORT), basis))


class OverviewPane(PersonPane):
    TAB = Tab.OVERVIEW
    PART = PersonPart(lambda p: editing.PERSON, editing.read_person, editing.write_person)
    HINTS = ("family.edit", "person.leave", "person.plan_offer", "family.new_person", "person.mark",
             "family.edit_family", "contract.conversation", "family.note", "family.task", "deadlines.task_done",
             Hint("Enter", "på en frist: dens faneblad"), "tab.*")
    # The journal and own tasks belong to the family, whichever tab is open.
    EVERYWHERE = frozenset({"note", "correct_note", "task"})

    def __init__(self) -> None:
        super().__init__()
        self.widths: dict[str, int] = {}
        self.rows: list[Deadline | TaskDeadline] = []  # the deadline table, row by row

    def compose_body(self) -> ComposeResult:
        yield DeadlineTable(id="person-deadlines", classes="pane-table")
        yield Static(id=f"{self.TAB}-body")

    def update(self, shown: Shown) -> None:
        if shown.person is None:
            body = Text(f"Familien har ingen medlemmer - tryk {key_of(self, 'family.new_person')} for at tilføje "
                        "en person.", style="dim")
        else:
            body = view.overview(shown.person, shown.today)
        self.query_one(f"#{self.TAB}-body", Static).update(body)
        self.show_deadlines(with_tasks(shown.mine, self.own_tasks(shown)))

    def own_tasks(self, shown: Shown) -> list[TaskDeadline]:
        """The open tasks of the selected person, and the family's own."""
        rows = task_rows(self.app.snapshot, self.app.config.policy.window_days, shown.family.ref)
        person_ref = shown.person.ref if shown.person else None
        return [row for row in rows if row.person in (None, person_ref)]

    def show_deadlines(self, found: list[Deadline | TaskDeadline]) -> None:
        table = self.query_one("#person-deadlines", DataTable)
        # The pane's padding, the focus bar and the pane's scrollbar are not the table's.
        widths = column_widths(self.app.size.width - 4, deadline_columns(found), ("Frist", "Hjemmel"))
        if widths != self.widths:
            self.widths = widths
            table.clear(columns=True)
            for label, width in widths.items():
                table.add_column(label, width=width, key=label)
        table.clear()
        self.rows = list(found)
        basis_width = widths.get("Hjemmel")
        for deadline in found:
            table.add_row(*one_line(row_title_cell(deadline), date_cell(deadline.due), Text(f"{deadline.days:+d}"),
                                    status_cell(deadline.status), date_cell(deadline.met_date),
                                    row_basis_cell(deadline, basis_width)))
        table.mark_tasks({index: row for index, row in enumerate(found) if is_task(row)})

    @on(DataTable.RowSelected, "#person-deadlines")
    def _deadline_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on one of the person's deadlines: to the tab where it is met (as the deadline panel does)."""
        event.stop()
        if 0 <= event.cursor_row < len(self.rows) and not is_task(self.rows[event.cursor_row]):
            self.post_message(TabRequested(view.deadline_tab(self.rows[event.cursor_row])))

    @on(DeadlineTable.TaskDone)
    def _task_done(self, event: DeadlineTable.TaskDone) -> None:
        event.stop()
        mark_done(self.app, event.task)

    def action_edit_person(self) -> None:
        self.action_edit()

    # -- the journal and own tasks

    def action_note(self) -> None:
        if self.family is not None:
            write_note(self.app, self.family, self.person)

    def action_correct_note(self) -> None:
        family, person = self.family, self.person
        if family is None:
            return

        def read(notes: list) -> None:
            if notes:
                write_note(self.app, family, person, correcting=notes)
            else:
                self.notify(f"Familien har ingen notater at rette - tryk {key_of(self, 'family.note')} for at "
                            "skrive et.", severity="warning")

        self.app.run_db(lambda: self.app.caseload.journal(family.ref), read)

    def action_task(self) -> None:
        if self.family is not None:
            add_task(self.app, self.family, self.person)
