"""The deadline panel: every open deadline of the caseload, grouped (overdue, due soon, upcoming, paused) and counted.

The window that makes a deadline "due soon" is adjustable with + and -.
Each group shows its first rows (a DataTable measures every row it gets);
m shows more. Enter opens the person on the tab where the deadline is met.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from kasse import words
from kasse.rules import DEFAULT_WINDOW_DAYS, Deadline, Status
from kasse.screens.queue import thousands
from kasse.widgets.person_view import RULE_TAB
from kasse.widgets.status import date_cell, days_cell, one_line, plain, status_cell

GROUPS = (Status.OVERDUE, Status.DUE_SOON, Status.UPCOMING, Status.PAUSED)
WINDOWS = (7, 14, 30, 60, 90, 180, 365)
GROUP_ROWS = 100
# The title first (group headings stand in its column), then who and when; the title takes what an
# 80-column terminal leaves, up to its longest (34).
COLUMNS = (("Frist", 34), ("Navn", 20), ("Dato", 10), ("Dage", 5), ("Status", 11), ("Familie", 12))
HEADING, MORE = "heading", "more"


class DeadlinesScreen(Screen):
    area = "deadlines"
    AUTO_FOCUS = "#deadlines"
    DEFAULT_CSS = """
    DeadlinesScreen #summary { height: auto; padding: 0 1; }
    DeadlinesScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Tilbage", id="deadlines.back"),
        Binding("slash", "focus_filter", "Søg", id="deadlines.filter"),
        Binding("plus", "window(1)", "Vindue", key_display="+/-", id="deadlines.window"),
        Binding("minus", "window(-1)", show=False),
        Binding("m", "more", "Vis flere", id="deadlines.more"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.window = DEFAULT_WINDOW_DAYS
        self.limit = GROUP_ROWS
        self.title_width = 34
        self.text = ""
        self.found: list[Deadline] = []
        self.rows: list[Deadline | str] = []  # per table row: a deadline, HEADING or MORE

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        with Horizontal(id="filter-row"):
            yield Label("Søg:")
            yield Input(placeholder="navn, ref eller frist  (/ for at søge, Esc rydder)", id="filter", compact=True)
        table = DataTable(id="deadlines", cursor_type="row")
        self.add_columns(table, title_width(self.app.size.width))
        yield table
        yield Footer(compact=True)

    def add_columns(self, table: DataTable, title: int) -> None:
        self.title_width = title
        for label, width in COLUMNS:
            table.add_column(label, width=title if label == "Frist" else width, key=label)

    def on_resize(self) -> None:
        wanted = title_width(self.size.width)
        if wanted != self.title_width:
            table = self.query_one(DataTable)
            table.clear(columns=True)
            self.add_columns(table, wanted)
            self.show()

    def on_mount(self) -> None:
        self.sub_title = "Frister"
        self.watch(self.app, "revision", lambda: self.recompute(), init=False)
        self.recompute()
        self.query_one(DataTable).focus()

    def recompute(self) -> None:
        self.found = [d for d in self.app.snapshot.deadlines(self.window) if d.status in GROUPS]
        self.show()

    def show(self) -> None:
        words_filter = self.text.casefold().split()
        table = self.query_one(DataTable)
        keep = self.current()
        table.clear()
        self.rows = []
        groups: dict[Status, list[Deadline]] = {status: [] for status in GROUPS}
        for deadline in self.found:
            if words_filter:
                haystack = f"{deadline.name} {deadline.family} {deadline.person or ''} {deadline.title}".casefold()
                if not all(word in haystack for word in words_filter):
                    continue
            groups[deadline.status].append(deadline)
        if self.app.loaded:
            self.show_summary(groups)
        for status, members in groups.items():
            if status is Status.PAUSED and not members:
                continue
            title = f"Snart ≤ {self.window} dage" if status is Status.DUE_SOON else words.STATUS[status]
            table.add_row(Text(f"{title} ({thousands(len(members))})", style="bold reverse"), "", "", "", "", "")
            self.rows.append(HEADING)
            for deadline in members[: self.limit]:
                table.add_row(*one_line(Text(deadline.title), plain(deadline.name), date_cell(deadline.due),
                                   days_cell(deadline.days), status_cell(deadline.status), plain(deadline.family)))
                self.rows.append(deadline)
            if len(members) > self.limit:
                more = len(members) - self.limit
                table.add_row(Text(f"… og {thousands(more)} flere (m)", style="dim"), "", "", "", "", "")
                self.rows.append(MORE)
        index = next((i for i, d in enumerate(self.rows) if d == keep), None)
        if index is None:
            index = next((i for i, d in enumerate(self.rows) if isinstance(d, Deadline)), 0)
        if self.rows:
            table.move_cursor(row=index, animate=False)

    def show_summary(self, groups: dict[Status, list[Deadline]]) -> None:
        line = Text()
        for status in GROUPS:
            count = len(groups[status])
            line.append(f"{group_title(status, self.window)}: ")
            line.append(thousands(count), style=("bold red" if status is Status.OVERDUE and count else "bold"))
            line.append("  ")
        line.append(f"Vindue: {self.window} dage (+/-)", style="dim")
        self.query_one("#summary", Static).update(line)

    def current(self) -> Deadline | None:
        table = self.query_one(DataTable)
        if 0 <= table.cursor_row < len(self.rows) and isinstance(self.rows[table.cursor_row], Deadline):
            return self.rows[table.cursor_row]
        return None

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        row = self.rows[event.cursor_row] if 0 <= event.cursor_row < len(self.rows) else HEADING
        if isinstance(row, Deadline):
            self.app.open_family(row.family, row.person, RULE_TAB[row.rule])
        elif row == MORE:
            self.action_more()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.text = event.value
        self.show()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    def on_key(self, event) -> None:
        filter_input = self.query_one("#filter", Input)
        if event.key == "escape" and self.focused is filter_input:
            filter_input.value = ""
            self.query_one(DataTable).focus()
            event.stop()

    def action_back(self) -> None:
        self.dismiss()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_window(self, step: int) -> None:
        position = min(range(len(WINDOWS)), key=lambda i: abs(WINDOWS[i] - self.window))
        self.window = WINDOWS[min(max(position + step, 0), len(WINDOWS) - 1)]
        self.recompute()

    def action_more(self) -> None:
        self.limit += GROUP_ROWS
        self.show()


def group_title(status: Status, window: int) -> str:
    if status is Status.DUE_SOON:
        return f"Snart (inden for {window} dage)"
    return words.STATUS[status]


def title_width(screen_width: int) -> int:
    others = sum(width + 2 for label, width in COLUMNS[1:5]) + 2 + 2
    return max(20, min(34, screen_width - others))
