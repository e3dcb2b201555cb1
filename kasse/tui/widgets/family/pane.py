"""What every tab of the family screen has in common: what it is shown, its key hints, one scrollbar, saving.

A pane is shown a `Shown` by the screen on every change (attributes down). The
actions it defines (`action_edit`, `action_remove`, ...) are what the screen's
keys do while its tab is open; those in `EVERYWHERE` it also does from any tab.
Every save goes through the app (one store transaction each), naming the
record as the pane showed it when the edit began, so a change made by someone
else since is refused instead of overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.widgets import DataTable, Static

from kasse.domain import Family, Person
from kasse.rules import Deadline
from kasse.tui import editing
from kasse.tui.fields import Section, Values
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.forms.form import FormScreen
from kasse.tui.keymap import Hint, hint_line, key_of
from kasse.tui.widgets.family.tabs import Tab
from kasse.tui.widgets.person_view import person_deadlines


@dataclass(frozen=True, slots=True)
class Shown:
    """What the family screen shows: the family as read, the selected member, and the family's deadlines."""

    family: Family
    person: Person | None
    found: tuple[Deadline, ...]
    today: date

    @property
    def mine(self) -> list[Deadline]:
        """The person's deadlines, and the family's follow-up while the person is covered."""
        return person_deadlines(self.family, self.person, self.found) if self.person else []


class TabRequested(Message):
    """A pane asks for another tab (Enter on a deadline: the tab where it is met)."""

    def __init__(self, tab: Tab) -> None:
        super().__init__()
        self.tab = tab


@dataclass(frozen=True, slots=True)
class PersonPart:
    """What `e` edits on a person's tab: the form's section and how values go in and out of the person."""

    section: Callable[[Person], Section]
    read: Callable[[Person], Values]
    write: Callable[[Person, Values], Person]


class FamilyPane(VerticalScroll):
    """One tab's content, in one scrolling pane: its tables grow with their rows, so only the pane scrolls."""

    TAB: ClassVar[Tab]
    HINTS: ClassVar[tuple[str | Hint, ...]] = ()  # binding ids (or fixed keys) for the hint line at its foot
    EVERYWHERE: ClassVar[frozenset[str]] = frozenset()

    DEFAULT_CSS = """
    FamilyPane { height: 1fr; padding-left: 1; }  /* the focus bar sits over the padding */
    FamilyPane .pane-table { height: auto; max-height: initial; margin-top: 1; }
    FamilyPane .pane-table:first-child { margin: 0 0 1 0; }
    FamilyPane .hints { margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__(id=f"{self.TAB}-pane")
        self.shown: Shown | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_body()
        yield Static(classes="hints")

    def compose_body(self) -> ComposeResult:
        yield Static(id=f"{self.TAB}-body")

    def on_mount(self) -> None:
        self.query_one(".hints", Static).update(hint_line(self, self.HINTS))  # the keys are set at start
        if self.shown is not None:
            self.update(self.shown)

    def show(self, shown: Shown) -> None:
        """Show `shown` now, or when mounted: a tab not opened first mounts after the screen's first frame."""
        self.shown = shown
        if self.is_mounted:
            self.update(shown)

    def update(self, shown: Shown) -> None:
        """Show `shown` in the pane's widgets."""
        raise NotImplementedError

    @property
    def family(self) -> Family | None:
        return self.shown.family if self.shown else None

    @property
    def person(self) -> Person | None:
        return self.shown.person if self.shown else None

    def offers(self, action: str) -> bool:
        return callable(getattr(self, f"action_{action}", None))

    @on(DataTable.RowHighlighted)
    def _row_into_view(self, event: DataTable.RowHighlighted) -> None:
        """The cursor of a table moved: scroll the pane so its row shows (the table itself does not scroll)."""
        table = event.data_table
        if not table.has_focus:
            return  # a table refilled, not a user moving: the pane stays where it is
        top = table.virtual_region.y
        row = top + (table.header_height if table.show_header else 0) + event.cursor_row
        first = top if event.cursor_row == 0 else row  # on the first row, its column labels show too
        self.scroll_to_region(Region(0, first, 1, row - first + 1), animate=False, force=True)

    # -- forms and saving

    def form(self, section: Section, values: Values, done: Callable[[Values], Any], focus: str | None = None,
             subtitle: str | None = None) -> None:
        def closed(result: Values | None) -> None:
            if result is not None:
                done(result)

        person, family = self.person, self.family
        shown = subtitle if subtitle is not None else (person.name if person else family.ref if family else "")
        self.app.push_screen(FormScreen(section, values, subtitle=shown, focus=focus), closed)

    def save_person(self, person: Person, message: str, based_on: Person) -> None:
        ref = self.family.ref
        self.app.save(lambda c: c.save_person(ref, person, based_on), ref, message)

    def save_family(self, family: Family, message: str, based_on: Family) -> None:
        # Without members: saving never deletes them, and only the family's own fields are compared.
        bare = replace(family, members=())
        self.app.save(lambda c: c.save_family(bare, based_on), family.ref, message)

    def confirm(self, question: str, then: Callable[[], Any], yes: str = "Fjern") -> None:
        self.app.push_screen(ConfirmScreen(question, yes, "Behold"), lambda answer: then() if answer else None)


class PersonPane(FamilyPane):
    """A tab about the selected member: `e` edits its `PART` of the person."""

    PART: ClassVar[PersonPart]

    def action_edit(self) -> None:
        person, part = self.person, self.PART
        if person is None:
            self.notify(f"Vælg eller tilføj en person først ({key_of(self, 'family.new_person')}).", severity="warning")
            return
        self.form(editing.judged(part.section(person), person, part.write), part.read(person),
                  lambda values: self.save_person(part.write(person, values), "Ændringerne er gemt.", person))
