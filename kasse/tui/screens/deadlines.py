"""The deadline panel: every open deadline of the caseload, grouped (overdue, due soon, upcoming, paused) and counted.

The window that makes a deadline "due soon" starts at the local policy's
(window_days) and is adjustable with + and -. Each row names the legal basis
and the ruleset it was judged by.
The caseworker's own tasks stand among them, marked "Egen opgave".
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
from textual.widgets import DataTable, Header, Input, Label, Static

from kasse import words
from kasse.journal import TaskDeadline
from kasse.rules import Deadline, Status
from kasse.tui.forms.record import mark_done
from kasse.tui.keymap import key_of
from kasse.tui.screens.queue import thousands
from kasse.tui.widgets.deadline_table import DeadlineTable
from kasse.tui.widgets.family.tabs import Tab
from kasse.tui.widgets.footer import KasseFooter
from kasse.tui.widgets.person_view import deadline_tab
from kasse.tui.widgets.status import column_widths, date_cell, days_cell, one_line, plain, status_cell
from kasse.tui.widgets.tasks import basis_words, is_task, row_basis_cell, row_title_cell, task_rows, with_tasks

GROUPS = (Status.OVERDUE, Status.DUE_SOON, Status.UPCOMING, Status.PAUSED)
WINDOWS = (7, 14, 30, 60, 90, 180, 365)
GROUP_ROWS = 100
# The title first (group headings stand in its column), then who, when and by what law: (label, least,
# most). An 80-column terminal shows all but the family (Enter opens it) and cuts title and name; a
# wider one gives the title, the name and the legal basis their full width, in that order.
COLUMNS = (("Frist", 17, 41), ("Navn", 9, 20), ("Dato", 10, 10), ("Dage", 5, 5), ("Status", 11, 11),
           ("Hjemmel", 13, 20), ("Familie", 12, 12))
GROW = ("Frist", "Navn", "Hjemmel")
HEADING, MORE = "heading", "more"
WINDOW = Binding.Group("Vindue", compact=True)


class DeadlinesScreen(Screen):
    area = "deadlines"
    AUTO_FOCUS = "#deadlines"
    DEFAULT_CSS = """
    DeadlinesScreen #summary { height: auto; padding: 0 1; }
    DeadlinesScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Tilbage", id="deadlines.back", tooltip="Tilbage til det forrige billede"),
        Binding("slash", "focus_filter", "Søg", id="deadlines.filter",
                tooltip="Søg på navn, ref, frist og hjemmel, fx \"§ 20\" eller \"2015\""),
        Binding("plus", "window(1)", "Længere", id="deadlines.longer", group=WINDOW,
                tooltip="Længere vindue: flere dage tæller som snart"),
        Binding("minus", "window(-1)", "Kortere", id="deadlines.shorter", group=WINDOW,
                tooltip="Kortere vindue: færre dage tæller som snart"),
        Binding("m", "more", "Vis flere", id="deadlines.more", tooltip="Vis flere rækker i hver gruppe"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.window = 14  # the policy's, once mounted
        self.limit = GROUP_ROWS
        self.widths: dict[str, int] = {}
        self.text = ""
        self.found: list[Deadline | TaskDeadline] = []
        self.rows: list[Deadline | TaskDeadline | str] = []  # per table row: a deadline or task, HEADING or MORE

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        with Horizontal(id="filter-row"):
            yield Label("Søg:")
            yield Input(placeholder=f"navn, ref, frist eller hjemmel  ({key_of(self, 'deadlines.filter')} for at søge, "
                                    "Esc rydder)", id="filter", compact=True)
        table = DeadlineTable(id="deadlines")
        self.add_columns(table, column_widths_for(self.app.size.width))
        yield table
        yield KasseFooter()

    def add_columns(self, table: DataTable, widths: dict[str, int]) -> None:
        self.widths = widths
        for label, width in widths.items():
            table.add_column(label, width=width, key=label)

    def on_resize(self) -> None:
        wanted = column_widths_for(self.size.width)
        if wanted != self.widths:
            table = self.query_one(DataTable)
            table.clear(columns=True)
            self.add_columns(table, wanted)
            self.show()

    def on_mount(self) -> None:
        self.sub_title = "Frister"
        self.window = self.app.config.policy.window_days
        self.watch(self.app, "revision", lambda: self.recompute(), init=False)
        self.recompute()
        self.query_one(DataTable).focus()

    def recompute(self) -> None:
        snapshot = self.app.snapshot
        found = with_tasks(snapshot.deadlines(self.window), task_rows(snapshot, self.window))
        self.found = [d for d in found if d.status in GROUPS]
        self.show()

    def show(self, keep_cursor: bool = True) -> None:
        """Show the deadlines matching the filter; the cursor stays on its deadline, else (or after a new
        filter, `keep_cursor` False) goes to the first one."""
        words_filter = self.text.casefold().split()
        table = self.query_one(DataTable)
        keep = self.current() if keep_cursor else None
        table.clear()
        self.rows = []
        groups: dict[Status, list[Deadline | TaskDeadline]] = {status: [] for status in GROUPS}
        blank = [""] * (len(COLUMNS) - 1)
        basis_width = self.widths.get("Hjemmel")
        for deadline in self.found:
            if words_filter:
                haystack = (f"{deadline.name} {deadline.family} {deadline.person or ''} {deadline.title} "
                            f"{basis_words(deadline)}").casefold()
                if not all(word in haystack for word in words_filter):
                    continue
            groups[deadline.status].append(deadline)
        if self.app.loaded:
            self.show_summary(groups)
        for status, members in groups.items():
            if status is Status.PAUSED and not members:
                continue
            title = f"Snart ≤ {self.window} dage" if status is Status.DUE_SOON else words.STATUS[status]
            table.add_row(Text(f"{title} ({thousands(len(members))})", style="bold reverse"), *blank)
            self.rows.append(HEADING)
            for deadline in members[: self.limit]:
                table.add_row(*one_line(row_title_cell(deadline), plain(deadline.name), date_cell(deadline.due),
                                        days_cell(deadline.days), status_cell(deadline.status),
                                        row_basis_cell(deadline, basis_width), plain(deadline.family)))
                self.rows.append(deadline)
            if len(members) > self.limit:
                more = len(members) - self.limit
                table.add_row(Text(f"… og {thousands(more)} flere ({key_of(self, 'deadlines.more')})", style="dim"),
                              *blank)
                self.rows.append(MORE)
        index = next((i for i, d in enumerate(self.rows) if d == keep), None)
        if index is None:
            index = next((i for i, d in enumerate(self.rows) if not isinstance(d, str)), 0)
        if self.rows:
            table.move_cursor(row=index, animate=False)
        table.mark_tasks({i: row for i, row in enumerate(self.rows) if is_task(row)})

    def show_summary(self, groups: dict[Status, list[Deadline | TaskDeadline]]) -> None:
        line = Text()
        for status in GROUPS:
            count = len(groups[status])
            line.append(f"{group_title(status, self.window)}: ")
            line.append(thousands(count), style=("bold red" if status is Status.OVERDUE and count else "bold"))
            line.append("  ")
        keys = f"{key_of(self, 'deadlines.longer')}/{key_of(self, 'deadlines.shorter')}"
        line.append(f"Vindue: {self.window} dage ({keys})", style="dim")
        if any(is_task(row) for members in groups.values() for row in members):
            line.append(f"  ·  {key_of(self, 'deadlines.task_done')}: egen opgave udført", style="dim")
        self.query_one("#summary", Static).update(line)

    def current(self) -> Deadline | TaskDeadline | None:
        table = self.query_one(DataTable)
        if 0 <= table.cursor_row < len(self.rows) and not isinstance(self.rows[table.cursor_row], str):
            return self.rows[table.cursor_row]
        return None

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        row = self.rows[event.cursor_row] if 0 <= event.cursor_row < len(self.rows) else HEADING
        if is_task(row):
            self.app.open_family(row.family, row.person, Tab.OVERVIEW)
        elif isinstance(row, Deadline):
            self.app.open_family(row.family, row.person, deadline_tab(row))
        elif row == MORE:
            self.action_more()

    @on(DeadlineTable.TaskDone)
    def _task_done(self, event: DeadlineTable.TaskDone) -> None:
        mark_done(self.app, event.task)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.text = event.value
        self.show(keep_cursor=False)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        """Enter in the search field opens the first match, as in the queue."""
        table = self.query_one(DataTable)
        table.focus()
        if self.current() is not None:
            table.action_select_cursor()

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


def column_widths_for(screen_width: int) -> dict[str, int]:
    """The columns' widths on a terminal this wide (less the table's scrollbar)."""
    return column_widths(screen_width - 2, COLUMNS, GROW)
