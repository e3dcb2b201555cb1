"""The Historik tab: the family's timeline (kasse/history.py) - notes, conversations, deadlines met and every audited
change in words - newest first, for the whole family or the selected member, filtered by kind and words.

The journal and the audit rows are read when the tab is first shown after the
family was read (a save, another program's change); moving between members,
the kind filter and the search only filter what was read.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from kasse.data.stale_edit import FIELD_WORDS
from kasse.domain import Family
from kasse.history import KIND_WORDS, AuditRecord, Entry, EntryKind, select, timeline
from kasse.journal import JournalNote
from kasse.tui.forms.entry_view import EntryScreen
from kasse.tui.keymap import Hint
from kasse.tui.widgets.family.pane import FamilyPane, Shown
from kasse.tui.widgets.family.tabs import Tab
from kasse.tui.widgets.row_table import RowTable
from kasse.tui.widgets.status import column_widths, one_line, plain

ALL_KINDS = "all"
KIND_CHOICES = [("Alt", ALL_KINDS), ("Notater", EntryKind.NOTE.value), ("Samtaler", EntryKind.CONVERSATION.value),
                ("Frister opfyldt", EntryKind.DEADLINE_MET.value), ("Ændringer", EntryKind.CHANGE.value)]
SHOWN_MOST = 1000  # rows in the table; the search finds older ones
# The event gets room first, up to 70 cells; then the person and the author are shown whole.
COLUMNS = (("Tidspunkt", 16, 16), ("Type", 13, 13), ("Person", 8, 24), ("Hændelse", 20, 70), ("Af", 4, 16))


class HistoryPane(FamilyPane):
    TAB = Tab.HISTORY
    HINTS = (Hint("Enter", "læs hele"), "family.history_whom", Hint("Tab", "filter og søgning"), "family.undo", "tab.*")
    DEFAULT_CSS = """
    HistoryPane #history-filters { height: auto; }
    HistoryPane #history-kind { width: 24; }
    HistoryPane #history-search { width: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.read_for: Family | None = None  # the family the entries were built for
        self.entries: list[Entry] | None = None  # None: not read yet
        self.rows: list[Entry] = []  # the table's rows, in its order
        self.whole_family = True
        self.visible = False
        self.loading = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="history-filters"):
            yield Select(KIND_CHOICES, value=ALL_KINDS, allow_blank=False, id="history-kind")
            yield Input(placeholder="Søg i historikken…", id="history-search")
        yield Static(id="history-whom")
        yield RowTable(id="history-table", classes="pane-table")
        yield Static(id=f"{self.TAB}-body")

    def update(self, shown: Shown) -> None:
        if shown.family is not self.read_for:
            self.read_for, self.entries = shown.family, None  # read again: a save may have added to it
        if self.visible:
            self.refresh_entries()

    def on_mount(self) -> None:  # FamilyPane's runs too (Textual calls each class's handler)
        tabs = next(node for node in self.ancestors if isinstance(node, TabbedContent))
        self.watch(tabs, "active", self._tab_opened)

    def _tab_opened(self, active: str) -> None:
        self.visible = active == self.TAB
        if self.visible and self.shown is not None:
            self.refresh_entries()

    def refresh_entries(self) -> None:
        """Show the entries, read first if the family was read anew since (only while the tab is open)."""
        if self.entries is None:
            self.load()
        else:
            self.show_entries()

    def load(self) -> None:
        family = self.read_for
        self.entries, self.loading = [], True
        self.show_entries()

        def arrived(read: tuple[list[JournalNote], list[AuditRecord]]) -> None:
            if family is not self.read_for:
                return  # a newer read is on its way
            notes, changes = read
            self.loading = False
            self.entries = timeline(family, notes=notes, changes=changes, deadlines=self.shown.found,
                                    labels=FIELD_WORDS)
            self.show_entries()

        def failed(error: BaseException) -> None:
            self.loading = False
            self.show_entries()
            self.app.report(error)

        self.app.run_db(lambda: self.app.caseload.family_history(family.ref), arrived, failed=failed)

    # -- filtering

    @on(Select.Changed, "#history-kind")
    @on(Input.Changed, "#history-search")
    def _filter_changed(self) -> None:
        self.show_entries()

    def action_history_whom(self) -> None:
        self.whole_family = not self.whole_family
        self.show_entries()

    def selected(self) -> list[Entry]:
        kind = self.query_one("#history-kind", Select).value
        person = None if self.whole_family or self.person is None else self.person.ref
        return select(self.entries or [], kinds=None if kind == ALL_KINDS else [EntryKind(kind)], person=person,
                      text=self.query_one("#history-search", Input).value)

    def show_entries(self) -> None:
        if self.shown is None:
            return
        found = self.selected()
        whom = "hele familien" if self.whole_family or self.person is None else self.person.name
        self.query_one("#history-whom", Static).update(Text(f"Viser: {whom}", style="dim"))
        table = self.query_one("#history-table", RowTable)
        table.clear(columns=True)
        widths = column_widths(self.app.size.width - 4, COLUMNS, ("Hændelse", "Person", "Af"))
        for label, width in widths.items():
            table.add_column(label, width=width, key=label)
        self.rows = found[:SHOWN_MOST]
        for entry in self.rows:
            table.add_row(*one_line(Text(entry.when_shown), Text(KIND_WORDS[entry.kind]),
                                    plain(self.name_of(entry) or ""),
                                    plain(entry.words), plain(entry.who or "")))
        table.display = bool(found)
        self.query_one(f"#{self.TAB}-body", Static).update(self.empty_state(found))

    @on(DataTable.RowSelected, "#history-table")
    def _read_whole(self, event: DataTable.RowSelected) -> None:
        if self.shown is None or not 0 <= event.cursor_row < len(self.rows):
            return
        entry = self.rows[event.cursor_row]
        self.app.push_screen(EntryScreen(entry, self.name_of(entry)))

    def name_of(self, entry: Entry) -> str | None:
        """Whom `entry` is about, by name (a past member by ref); None for the family's own."""
        if entry.person is None or self.shown is None:
            return None
        return next((p.name for p in self.shown.family.members if p.ref == entry.person), entry.person)

    def empty_state(self, found: list[Entry]) -> Text:
        if self.loading:
            return Text("Historikken indlæses…", style="dim")
        if len(found) > SHOWN_MOST:
            return Text(f"Viser de nyeste {SHOWN_MOST} af {len(found)} - søg for at finde ældre.", style="dim")
        if found:
            return Text("")
        if self.entries:
            return Text("Intet i historikken passer til filteret eller søgningen.", style="dim")
        return Text("Ingen historik endnu: notater, samtaler, opfyldte frister og ændringer vises her.", style="dim")
