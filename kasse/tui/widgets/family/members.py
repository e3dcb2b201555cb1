"""The family's members: who they are, which is selected (the cursor), and which are marked for one form.

Space marks and unmarks the member under the cursor (✓). The move-away and
the plan offer are one form for every marked member - or, with none marked,
the one under the cursor - saved in one transaction. Adding and deleting a
member start here too, from any tab.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from kasse import words
from kasse.domain import Family, Person
from kasse.tui import editing
from kasse.tui.caseload import Caseload
from kasse.tui.fields import Values
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.forms.form import FormScreen
from kasse.tui.forms.free_refs import require_free_refs, with_free_refs
from kasse.tui.widgets import person_view as view
from kasse.tui.widgets.family import group_edit
from kasse.tui.widgets.family.group_edit import GroupEdit, GroupForm
from kasse.tui.widgets.row_table import RowTable
from kasse.tui.widgets.status import column_widths, date_cell, one_line, plain

# Every column as wide as what it shows, but the name, which is cut ("…") to what the others leave (at least
# NAME_LEAST cells), so a long name never pushes a column off the screen. The first column holds the mark.
LABELS = ("", "Navn", "Ref", "Rolle", "Kategori", "Alder", "Fraflyttet")
NAME_LEAST = 12
MARK = Text("✓", style="bold")


def member_cells(person: Person, today: date, marked: bool) -> tuple[Text, ...]:
    return one_line(MARK if marked else Text(""), plain(person.name), plain(person.ref),
                    Text(words.ROLE.get(person.role, "")), Text(words.CATEGORY[person.category]),
                    Text(view.member_age(person, today)), date_cell(person.left_date, today))


def member_columns(rows: list[tuple[Text, ...]]) -> tuple[tuple[str, int, int], ...]:
    """(label, least, most) for the members table, from the rows it will show."""
    cells = list(zip(*rows)) or [()] * len(LABELS)
    widest = [max([len(label), *(cell.cell_len for cell in column)]) for label, column in zip(LABELS, cells)]
    widest[0] = 1
    name = widest[1]
    return (("", 1, 1), ("Navn", min(name, NAME_LEAST), name),
            *((label, width, width) for label, width in zip(LABELS[2:], widest[2:])))


class MemberTable(RowTable):
    BINDINGS = [
        Binding("space", "mark", "Markér", id="person.mark", show=False,
                tooltip="Markér eller afmarkér medlemmet under markøren i medlemslisten (til fraflytning og "
                        "tilbud om plan for flere på én gang)"),
    ]
    EVERYWHERE: ClassVar[frozenset[str]] = frozenset({"new_person", "delete_person", "leave", "plan_offer"})

    class Chosen(Message):
        """A member to select: one just added."""

        def __init__(self, person_ref: str) -> None:
            super().__init__()
            self.person_ref = person_ref

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.family: Family | None = None
        self.today: date | None = None
        self.marked: set[str] = set()
        self.widths: dict[str, int] = {}
        self.filling = False  # while the rows are refilled, the cursor selects no one

    def show(self, family: Family, today: date, person_ref: str | None) -> None:
        self.family, self.today = family, today
        self.marked &= {person.ref for person in family.members}
        rows = [member_cells(person, today, person.ref in self.marked) for person in family.members]
        # Less the vertical scrollbar a long family gets.
        widths = column_widths(self.app.size.width - 2, member_columns(rows), ("Navn",))
        self.filling = True  # clearing moves the cursor to row 0: not a choice of member
        try:
            if widths != self.widths:
                self.widths = widths
                self.clear(columns=True)
                for index, (label, width) in enumerate(widths.items()):
                    self.add_column(label, width=width, key="mark" if index == 0 else label)
            self.clear()
            for person, cells in zip(family.members, rows):
                self.add_row(*cells, key=person.ref)
            if person_ref is not None and family.members:
                self.move_cursor(row=self.get_row_index(person_ref), animate=False)
        finally:
            self.filling = False

    @property
    def highlighted(self) -> Person | None:
        if self.family is None or not 0 <= self.cursor_row < len(self.family.members):
            return None
        return self.family.members[self.cursor_row]

    @property
    def chosen(self) -> list[Person]:
        """Whom a form for several acts on: the marked members, else the one under the cursor."""
        if self.family is None:
            return []
        marked = [person for person in self.family.members if person.ref in self.marked]
        return marked or ([self.highlighted] if self.highlighted else [])

    def offers(self, action: str) -> bool:
        return callable(getattr(self, f"action_{action}", None))

    def action_mark(self) -> None:
        person = self.highlighted
        if person is None:
            return
        self.marked ^= {person.ref}
        self.update_cell(person.ref, "mark", MARK if person.ref in self.marked else Text(""))

    def unmark_all(self) -> None:
        for ref in self.marked:
            if ref in self.rows:
                self.update_cell(ref, "mark", Text(""))
        self.marked.clear()

    # -- one form for the chosen members

    def action_leave(self) -> None:
        self.edit_chosen(group_edit.LEAVE)

    def action_plan_offer(self) -> None:
        self.edit_chosen(group_edit.OFFER)

    def edit_chosen(self, edit: GroupEdit) -> None:
        persons, family = self.chosen, self.family
        if not persons or family is None:
            return
        form = GroupForm.build(edit, persons, self.today)

        def done(values: Values) -> None:
            changes = form.changes(values)
            self.app.save(lambda c: c.save_persons(family.ref, changes), family.ref, form.saved_message(values),
                          then=lambda saved: self.unmark_all())

        self.app.push_screen(FormScreen(form.section(), form.start, subtitle=form.subtitle),
                             lambda result: done(result) if result is not None else None)

    # -- adding and deleting a member

    def action_new_person(self) -> None:
        family = self.family
        if family is None:
            return
        values = editing.new_member_values(family, editing.next_ref(self.app.snapshot.refs_in_use(), "P-", 4))

        def done(values: Values) -> None:
            person = editing.write_member(family, values, self.today)

            def job(caseload: Caseload) -> Family:
                require_free_refs(caseload, [person.ref])
                return caseload.save_person(family.ref, person)

            # Selected once saved: a failed save (a ref just taken elsewhere) leaves the selection alone.
            self.app.save(job, family.ref, f"{person.name} er tilføjet familien.",
                          then=lambda saved: self.post_message(self.Chosen(person.ref)))

        section = with_free_refs(editing.new_member_section(family, self.today), self.app, "ref")
        self.app.push_screen(FormScreen(section, values, subtitle=family.ref, focus="name"),
                             lambda result: done(result) if result is not None else None)

    def action_delete_person(self) -> None:
        person, family = self.highlighted, self.family
        if person is None or family is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:  # the screen then selects the first member left
                self.app.save(lambda c: c.delete_person(family.ref, person.ref), family.ref,
                              f"{person.name} er slettet.")

        self.app.push_screen(ConfirmScreen(
            f"Slet {person.name} ({person.ref}) fra databasen? Sletningen gemmes i revisionssporet.",
            "Slet", "Behold"), answered)
