"""The Oversigt tab: the selected member's deadlines (first: what a small terminal must show), then their data."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from kasse import words
from kasse.rules import Deadline
from kasse.tui import editing
from kasse.tui.keymap import Hint, key_of
from kasse.tui.widgets import person_view as view
from kasse.tui.widgets.family.pane import PersonPane, PersonPart, Shown, TabRequested
from kasse.tui.widgets.family.tabs import Tab
from kasse.tui.widgets.row_table import RowTable
from kasse.tui.widgets.status import basis_cell, column_widths, date_cell, one_line, status_cell

# The title takes what the other columns leave (at least 10 cells, so all columns fit 80), then the legal
# basis gets its full width; the others are as wide as what they show.
TITLE_LEAST, TITLE_MOST, BASIS_SHORT = 10, 41, 13


def deadline_columns(found: list[Deadline]) -> tuple[tuple[str, int, int], ...]:
    """(label, least, most) for the person's deadline table, from the deadlines it will show."""

    def widest(label: str, cells: list[str]) -> int:
        return max([len(label), *(len(cell) for cell in cells)])

    days = widest("Dage", [f"{d.days:+d}" for d in found])
    status = widest("Status", [words.STATUS[d.status] for d in found])
    basis = widest("Hjemmel", [words.legal_basis(d.basis, d.ruleset) for d in found])
    title = max(widest("Frist", [d.title for d in found]), TITLE_LEAST)
    return (("Frist", TITLE_LEAST, min(title, TITLE_MOST)), ("Dato", 10, 10), ("Dage", days, days),
            ("Status", status, status), ("Opfyldt", 10, 10), ("Hjemmel", min(basis, BASIS_SHORT), basis))


class OverviewPane(PersonPane):
    TAB = Tab.OVERVIEW
    PART = PersonPart(lambda p: editing.PERSON, editing.read_person, editing.write_person)
    HINTS = ("family.edit", "person.leave", "person.plan_offer", "family.new_person", "person.mark",
             "family.edit_family", "contract.conversation", Hint("Enter", "på en frist: dens faneblad"), "tab.*")

    def __init__(self) -> None:
        super().__init__()
        self.widths: dict[str, int] = {}
        self.rows: list[Deadline] = []  # the deadline table, row by row

    def compose_body(self) -> ComposeResult:
        yield RowTable(id="person-deadlines", classes="pane-table")
        yield Static(id=f"{self.TAB}-body")

    def update(self, shown: Shown) -> None:
        if shown.person is None:
            body = Text(f"Familien har ingen medlemmer - tryk {key_of(self, 'family.new_person')} for at tilføje "
                        "en person.", style="dim")
        else:
            body = view.overview(shown.person, shown.today)
        self.query_one(f"#{self.TAB}-body", Static).update(body)
        self.show_deadlines(shown.mine)

    def show_deadlines(self, found: list[Deadline]) -> None:
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
            table.add_row(*one_line(Text(deadline.title), date_cell(deadline.due), Text(f"{deadline.days:+d}"),
                                    status_cell(deadline.status), date_cell(deadline.met_date),
                                    basis_cell(deadline.basis, deadline.ruleset, basis_width)))

    @on(DataTable.RowSelected, "#person-deadlines")
    def _deadline_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on one of the person's deadlines: to the tab where it is met (as the deadline panel does)."""
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            self.post_message(TabRequested(view.deadline_tab(self.rows[event.cursor_row])))

    def action_edit_person(self) -> None:
        self.action_edit()
