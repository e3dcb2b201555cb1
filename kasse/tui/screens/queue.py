"""The start screen: every person, most urgent first, with a live filter, saved views and a window of rows.

The rows are kasse.tui.queue's; this screen only filters them (filter_queue) and
hands the table one page at a time - a DataTable measures every row it gets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, Static

from kasse import words
from kasse.dates import format_date
from kasse.tui.keymap import key_of
from kasse.tui.queue import QueueRow, View, filter_queue, in_view
from kasse.tui.widgets.footer import KasseFooter
from kasse.tui.widgets.row_table import RowTable
from kasse.tui.widgets.status import days_cell, one_line, plain, status_cell

PAGE_SIZE = 200
# Who, how urgent, what and when come first, so an 80-column terminal shows them; the title
# column takes what the width leaves (20-34 cells), and a cut cell ends in "…". Fixed widths
# also spare the table measuring every cell. When the family's newest journal note was written
# comes next: caseworkers ask when a family was last seen.
TITLE = "Næste frist"
LATEST_NOTE = "Seneste notat"
COLUMNS = (("Navn", 20), ("Status", 11), (TITLE, 34), ("Frist", 10), ("Dage", 5), (LATEST_NOTE, 13),
           ("Overskr.", 8), ("Familie", 12), ("Kategori", 20))
TITLE_WIDTHS = (20, 34)
VIEWS = Binding.Group("Visning", compact=True)
PAGES = Binding.Group("Side", compact=True)


def thousands(number: int) -> str:
    """9.731 - the Danish way."""
    return f"{number:,}".replace(",", ".")


def queue_cells(row: QueueRow, latest_notes: Mapping[str, datetime]) -> tuple[Text, ...]:
    """A row's cells; `latest_notes` maps a family's ref to when its newest note was written."""
    deadline = row.next_deadline
    latest = latest_notes.get(row.family_ref)
    return one_line(
        plain(row.name),
        status_cell(deadline.status if deadline else None),
        Text(deadline.title if deadline else ("Fraflyttet" if row.left else "Ingen åbne frister"),
             style="" if deadline else "dim"),
        Text(format_date(deadline.due) if deadline else ""),
        days_cell(deadline.days if deadline else None),
        Text(format_date(latest.date()) if latest else ""),
        Text(str(row.overdue_count) if row.overdue_count else "", style="bold red", justify="right"),
        plain(row.family_ref),
        Text(words.CATEGORY[row.category]),
    )


def title_width(screen_width: int) -> int:
    """What the title column gets once the columns up to the latest note have theirs: a wider terminal shows
    the latest note before it widens the title."""
    first = COLUMNS[: [label for label, _ in COLUMNS].index(LATEST_NOTE) + 1]
    others = sum(width + 2 for label, width in first if label != TITLE) + 2 + 2  # + its padding, scrollbar
    return max(TITLE_WIDTHS[0], min(TITLE_WIDTHS[1], screen_width - others))


def previous_rows_cover(previous: str, text: str) -> bool:
    """Whether every row matching `text` also matched `previous` (each old word is part of a new one)."""
    new_words = text.casefold().split()
    return all(any(old in new for new in new_words) for old in previous.casefold().split())


class QueueScreen(Screen):
    area = "queue"
    AUTO_FOCUS = "#queue"
    DEFAULT_CSS = """
    QueueScreen #views { height: auto; padding: 0 1; }
    QueueScreen DataTable { height: 1fr; }
    QueueScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("slash", "focus_filter", "Søg", id="queue.filter",
                tooltip="Søg på navn, ref, CPR-nummer og nationalitet (alle ord skal passe)"),
        Binding("escape", "clear_filter", "Ryd søgning", id="queue.clear_filter", tooltip="Ryd søgningen"),
        Binding("down", "to_rows", show=False),  # from the filter; the table's own Down moves its cursor
        Binding("1", "view('overdue')", "Overskredne", id="queue.overdue", group=VIEWS,
                tooltip="Vis borgere med overskredne frister"),
        Binding("2", "view('due_soon')", "Snart", id="queue.due_soon", group=VIEWS,
                tooltip="Vis frister der snart forfalder (inden for vinduet) og de overskredne"),
        Binding("3", "view('everyone')", "Alle", id="queue.everyone", group=VIEWS, tooltip="Vis hele sagsstammen"),
        Binding("4", "view('left')", "Fraflyttede", id="queue.left", group=VIEWS, tooltip="Vis fraflyttede borgere"),
        Binding("n", "app.new_family", "Ny familie", id="queue.new_family",
                tooltip="Opret en ny familie med dens første medlem"),
        Binding("less_than_sign,ctrl+pageup", "page(-1)", "Forrige side", id="queue.previous_page", group=PAGES,
                tooltip="Vis forrige side (køen viser 200 rækker ad gangen)"),
        Binding("greater_than_sign,ctrl+pagedown", "page(1)", "Næste side", id="queue.next_page", group=PAGES,
                tooltip="Vis næste side"),
    ]

    view: reactive[View] = reactive(View.EVERYONE, init=False)
    text: reactive[str] = reactive("", init=False)
    page: reactive[int] = reactive(0, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.matching: list[QueueRow] = []
        self.shown: list[QueueRow] = []
        self.paged = False
        self.title_width = TITLE_WIDTHS[1]
        self.text_matches: list[QueueRow] = []
        # The last filter text, the snapshot's rows it was applied to, and what matched.
        self.text_cache: tuple[str, list[QueueRow] | None, list[QueueRow]] = ("", None, [])
        self.view_masks: dict[str, int] = {}
        self.views_of_rows: list[QueueRow] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="views")
        with Horizontal(id="filter-row"):
            yield Label("Søg:")
            keys = f"{key_of(self, 'queue.filter')} for at søge, {key_of(self, 'queue.clear_filter')} rydder"
            yield Input(placeholder=f"navn, ref, CPR eller nationalitet  ({keys})", id="filter", compact=True)
        table = RowTable(id="queue", zebra_stripes=True)
        self.add_columns(table, title_width(self.app.size.width))
        yield table
        yield Static("Indlæser sagsstammen…", id="status")
        yield KasseFooter()

    def add_columns(self, table: DataTable, title: int) -> None:
        self.title_width = title
        for label, width in COLUMNS:
            table.add_column(label, width=title if label == TITLE else width, key=label)

    def on_resize(self) -> None:
        wanted = title_width(self.size.width)
        if wanted != self.title_width:
            table = self.query_one(DataTable)
            table.clear(columns=True)
            self.add_columns(table, wanted)
            self.refresh_rows()

    def on_mount(self) -> None:
        self.watch(self.app, "revision", lambda: self.refresh_rows(), init=False)
        if self.app.loaded or self.app.load_error:  # the first load may end before this screen mounts
            self.refresh_rows()
        self.query_one(DataTable).focus()

    # -- filtering and paging

    def refresh_rows(self, keep: str | None = None) -> None:
        """Filter the snapshot's rows and show the current page, keeping the cursor on the same person."""
        table = self.query_one(DataTable)
        current = keep if keep is not None else self.current_person_ref()
        self.text_matches = self.rows_matching_text()
        self.matching = filter_queue(self.text_matches, "", self.view)
        pages = max(1, -(-len(self.matching) // PAGE_SIZE))
        if self.page >= pages:
            self.set_reactive(QueueScreen.page, pages - 1)
        start = self.page * PAGE_SIZE
        self.shown = self.matching[start:start + PAGE_SIZE]
        table.clear()
        latest_notes = self.app.snapshot.record.latest_notes
        table.add_rows(queue_cells(row, latest_notes) for row in self.shown)
        index = next((i for i, row in enumerate(self.shown) if row.person_ref == current), 0)
        if self.shown:
            table.move_cursor(row=index, animate=False, scroll=True)
        self.show_views()
        self.show_status()
        if (len(self.matching) > PAGE_SIZE) != self.paged:
            self.paged = not self.paged
            self.refresh_bindings()  # the footer offers < > only when there is more than one page

    def rows_matching_text(self) -> list[QueueRow]:
        """Every view's rows matching the filter text; typing on narrows the previous matches only."""
        source = self.app.snapshot.rows
        previous_text, previous_source, previous = self.text_cache
        narrowing = previous_source is source and previous_rows_cover(previous_text, self.text)
        matches = filter_queue(previous if narrowing else source, self.text, View.EVERYONE)
        self.text_cache = (self.text, source, matches)
        return matches

    def show_views(self) -> None:
        counts = self.view_counts(self.text_matches)
        window = self.app.config.policy.window_days
        line = Text()
        for number, view in enumerate(View, start=1):
            if number > 1:
                line.append("  ")
            label = f"{key_of(self, f'queue.{view.value}')} {view.label(window)} ({thousands(counts[view])})"
            line.append(label, style="reverse bold" if view is self.view else "")
        self.query_one("#views", Static).update(line)

    def view_counts(self, rows: list[QueueRow]) -> dict[View, int]:
        """How many of `rows` each saved view holds; each row's views are worked out once per snapshot."""
        snapshot_rows = self.app.snapshot.rows
        if self.views_of_rows is not snapshot_rows:
            self.view_masks = {row.person_ref: sum(1 << bit for bit, view in enumerate(View) if in_view(row, view))
                               for row in snapshot_rows}
            self.views_of_rows = snapshot_rows
        per_mask = Counter(self.view_masks[row.person_ref] for row in rows)
        return {view: sum(n for mask, n in per_mask.items() if mask >> bit & 1) for bit, view in enumerate(View)}

    def show_status(self) -> None:
        total = len(self.matching)
        if self.app.load_error:
            message = f"Sagsstammen kunne ikke åbnes: {self.app.load_error}"
        elif not total:
            message = "Ingen borgere matcher." if self.app.snapshot.rows else \
                f"Sagsstammen er tom - tryk {key_of(self, 'queue.new_family')} for at oprette en familie."
        else:
            start = self.page * PAGE_SIZE
            message = f"viser {thousands(start + 1)}-{thousands(start + len(self.shown))} af {thousands(total)}"
            if total > PAGE_SIZE:
                message += "  ·  < og > skifter side"
        self.query_one("#status", Static).update(Text(message))

    def current_person_ref(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row].person_ref

    # A new filter or view starts on its first row: a cursor kept on an old row (or its index) made
    # Down+Enter open someone else than the user saw at the top.
    def watch_view(self) -> None:
        self.set_reactive(QueueScreen.page, 0)
        self.refresh_rows(keep="")

    def watch_text(self) -> None:
        self.set_reactive(QueueScreen.page, 0)
        self.refresh_rows(keep="")

    def watch_page(self) -> None:
        self.refresh_rows(keep="")

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        had_text = bool(self.text)
        self.text = event.value
        if had_text != bool(self.text):
            self.refresh_bindings()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        """Enter in the search field opens the first match (the row under the cursor)."""
        table = self.query_one(DataTable)
        table.focus()
        if self.shown:
            table.action_select_cursor()

    @on(DataTable.RowSelected, "#queue")
    def _open(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            row = self.shown[event.cursor_row]
            self.app.open_family(row.family_ref, row.person_ref)

    def action_clear_filter(self) -> None:
        """Escape, in the filter or in the table: clear the filter and go back to the rows."""
        self.query_one("#filter", Input).value = ""
        self.query_one(DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":  # only offered when there is more than one page
            return self.paged
        if action == "clear_filter":  # only offered while there is something to clear
            return bool(self.text) or self.focused is self.query_one("#filter", Input)
        return True

    # -- actions

    def action_to_rows(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_view(self, name: str) -> None:
        self.view = View(name)

    def action_page(self, step: int) -> None:
        pages = max(1, -(-len(self.matching) // PAGE_SIZE))
        page = min(max(self.page + step, 0), pages - 1)
        if page != self.page:
            self.page = page
