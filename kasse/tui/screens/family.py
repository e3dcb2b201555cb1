"""The family screen: header, members, and for the selected member the tabs where the law's facts are kept.

Layout and wiring only: what a tab shows comes from widgets/person_view.py,
what a form edits from kasse/tui/editing.py, and every save goes through the
app (one store transaction each) so the queue and the deadline panel follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane, Tabs

from kasse import words
from kasse.dates import format_date
from kasse.domain import Family, FollowUp, Person
from kasse.rules import Deadline
from kasse.tui import editing
from kasse.tui.caseload import Caseload
from kasse.tui.fields import Section, Values
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.forms.form import FormScreen
from kasse.tui.screens.new_family import require_free_refs, with_free_refs
from kasse.tui.widgets import person_view as view
from kasse.tui.widgets.checklist import ChecklistTable
from kasse.tui.widgets.footer import KasseFooter
from kasse.tui.widgets.goals import GoalsTable
from kasse.tui.widgets.row_table import RowTable
from kasse.tui.widgets.status import basis_cell, column_widths, date_cell, one_line, plain, status_cell

TABS = (
    ("oversigt", "Oversigt"), ("kontrakt", "Kontrakt"), ("plan", "Plan"), ("helbred", "Helbred"),
    ("dansk", "Dansk"), ("program", "Program"), ("familie", "Familie"), ("tjekliste", "Tjekliste"),
)  # fmt: skip
PERSON_TABS = ("oversigt", "kontrakt", "plan", "helbred", "dansk", "program")
# The person's deadline table: the title takes what the other columns leave (at least 10 cells, so all
# columns fit 80), then the legal basis gets its full width; the others are as wide as what they show.
TITLE_LEAST, TITLE_MOST, BASIS_SHORT = 10, 41, 13
# The members table: every column as wide as what it shows, but the name, which is cut ("…") to what the
# others leave (at least NAME_LEAST cells), so a long name never pushes a column off the screen.
MEMBER_LABELS = ("Navn", "Ref", "Rolle", "Kategori", "Alder", "Fraflyttet")
NAME_LEAST = 12


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


def member_cells(person: Person, today: date) -> tuple[Text, ...]:
    return one_line(plain(person.name), plain(person.ref), Text(words.ROLE.get(person.role, "")),
                    Text(words.CATEGORY[person.category]), Text(view.member_age(person, today)),
                    date_cell(person.left_date, today))


def member_columns(rows: list[tuple[Text, ...]]) -> tuple[tuple[str, int, int], ...]:
    """(label, least, most) for the members table, from the rows it will show."""
    cells = list(zip(*rows)) or [()] * len(MEMBER_LABELS)
    widest = [max([len(label), *(cell.cell_len for cell in column)]) for label, column in zip(MEMBER_LABELS, cells)]
    name = widest[0]
    return (("Navn", min(name, NAME_LEAST), name),
            *((label, width, width) for label, width in zip(MEMBER_LABELS[1:], widest[1:])))


@dataclass(frozen=True, slots=True)
class PersonPart:
    """What `e` edits on a person tab: the form's section and how values go in and out of the person."""

    section: Callable[[Person], Section]
    read: Callable[[Person], Values]
    write: Callable[[Person, Values], Person]


PARTS = {
    "oversigt": PersonPart(lambda p: editing.PERSON, editing.read_person, editing.write_person),
    "kontrakt": PersonPart(lambda p: editing.CONTRACT, editing.read_contract, editing.write_contract),
    "plan": PersonPart(editing.plan_section, editing.read_plan, editing.write_plan),
    "helbred": PersonPart(lambda p: editing.HEALTH, editing.read_health, editing.write_health),
    "dansk": PersonPart(lambda p: editing.DANISH, editing.read_danish, editing.write_danish),
    "program": PersonPart(lambda p: editing.PROGRAMME, editing.read_programme, editing.write_programme),
}

# Which actions make sense on which tab; the footer shows only these.
ACTION_TABS = {
    "leave": PERSON_TABS,
    "conversation": PERSON_TABS,
    "new_goal": ("plan",),
    "new_intervention": ("plan",),
    "add_item": ("tjekliste",),
    "tick": ("tjekliste",),
    "default_checklist": ("tjekliste",),
    "remove": ("kontrakt", "plan", "tjekliste", "familie"),
}


class FamilyScreen(Screen):
    area = "family"
    AUTO_FOCUS = "#members"
    DEFAULT_CSS = """
    FamilyScreen #family-header { height: auto; padding: 0 1; }
    FamilyScreen #members { height: auto; max-height: 25%; }
    FamilyScreen TabbedContent { height: 1fr; }
    FamilyScreen TabPane { padding: 0 1 0 0; }
    FamilyScreen TabPane > VerticalScroll { height: 1fr; padding-left: 1; }  /* under the focus bar */
    FamilyScreen .pane-table { height: auto; max-height: 100%; margin-top: 1; }
    FamilyScreen #person-deadlines { margin: 0 0 1 0; }
    """
    BINDINGS = [
        Binding("escape", "back", "Tilbage", id="family.back"),
        Binding("e", "edit", "Rediger", id="family.edit"),
        Binding("o", "followup", "Opfølgning", id="family.followup"),
        # Shown in the tabs' hint lines, the help and the palette; an 80-column footer has no room.
        Binding("p", "new_person", "Ny person", id="family.new_person", show=False),
        Binding("r", "edit_family", "Ret familie", id="family.edit_family", show=False),
        Binding("f", "leave", "Fraflyt", id="family.leave", show=False),
        Binding("k", "conversation", "Samtale", id="family.conversation", show=False),
        Binding("g", "new_goal", "Nyt mål", id="family.new_goal"),
        Binding("i", "new_intervention", "Ny indsats", id="family.new_intervention"),
        Binding("a", "add_item", "Ny opgave", id="family.add_item"),
        Binding("space", "tick", "Afkryds", key_display="mellemrum", id="family.tick"),
        Binding("s", "default_checklist", "Standardliste", id="family.default_checklist"),
        Binding("x,delete", "remove", "Fjern", id="family.remove"),
        Binding("1", "tab('oversigt')", "Faner", key_display="1-8", id="family.tab", show=False),
        *(Binding(str(number), f"tab('{key}')", show=False) for number, (key, _) in enumerate(TABS[1:], start=2)),
    ]

    def __init__(self, family_ref: str, person_ref: str | None = None, tab: str | None = None) -> None:
        super().__init__()
        self.family_ref = family_ref
        self.person_ref = person_ref
        self.initial_tab = tab or "oversigt"
        self.history: dict[str, list] = {}
        self._family: Family | None = None
        self.deadline_widths: dict[str, int] = {}
        self.member_widths: dict[str, int] = {}
        self.showing_members = False  # while the members table is rebuilt, its cursor selects no one
        self.shown_deadlines: list[Deadline] = []  # the person's deadline table, row by row

    # -- layout

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="family-header")
        yield RowTable(id="members")  # its columns fit the members shown (show_members)
        with TabbedContent(initial=self.initial_tab, id="tabs"):
            for key, title in TABS:
                with TabPane(title, id=key), VerticalScroll():
                    if key == "oversigt":  # the deadlines first: what a small terminal must show
                        yield RowTable(id="person-deadlines", classes="pane-table")
                    yield Static(id=f"{key}-body")
                    if key == "kontrakt":
                        yield _table("conversations", "Dato", "Form", "Note")
                    elif key == "plan":
                        yield GoalsTable(id="goals", classes="pane-table")
                    elif key == "familie":
                        yield _table("followups", "Opfølgning", "Note")
                    elif key == "tjekliste":
                        yield ChecklistTable(id="checklist", classes="pane-table")
        yield KasseFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self.data_changed, init=False)
        members = self.query_one("#members", DataTable)
        # The selection follows the cursor at once, not when the highlight message arrives: a person key
        # typed right after a move (End, then f) must act on the member moved to.
        self.watch(members, "cursor_coordinate", self._member_moved, init=False)
        self.show()
        members.focus()

    # -- the data shown

    @property
    def family(self) -> Family | None:
        """The family with everything recorded (notes, goals, checklist): the queue's snapshot holds
        only what the deadlines need, so it is read here - one family by key, a few milliseconds."""
        if self.family_ref not in self.app.snapshot.families:
            return None
        if self._family is None:
            self._family = self.app.caseload.family(self.family_ref)
        return self._family

    @property
    def person(self) -> Person | None:
        family = self.family
        if family is None:
            return None
        return next((p for p in family.members if p.ref == self.person_ref), None)

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active or "oversigt"

    def fit_deadline_columns(self, found: list[Deadline]) -> None:
        """Fit the person's deadline table to the terminal, less the pane's padding and two scrollbars (the
        pane's and the table's own, when either is too long for a small terminal)."""
        widths = column_widths(self.app.size.width - 6, deadline_columns(found), ("Frist", "Hjemmel"))
        if widths == self.deadline_widths:
            return
        self.deadline_widths = widths
        table = self.query_one("#person-deadlines", DataTable)
        table.clear(columns=True)
        for label, width in widths.items():
            table.add_column(label, width=width, key=label)

    def on_resize(self) -> None:
        if self.family is not None:
            self.show_members(self.family)
            self.show_panes(self.family)

    def data_changed(self) -> None:
        self._family = None  # read again: a save here or another program may have changed it
        self.history.clear()  # a save may have added to the audit trail
        self.show()

    def show(self) -> None:
        family = self.family
        if family is None:
            if self.is_current:
                self.notify(f"Familien {self.family_ref} findes ikke længere.", severity="warning")
                self.dismiss()
            return
        if self.person is None and family.members:
            self.person_ref = family.members[0].ref
        self.query_one("#family-header", Static).update(view.family_header(family, self.app.today))
        self.show_members(family)
        self.show_panes(family)
        self.refresh_bindings()

    def show_person(self, person_ref: str) -> None:
        """Select a member and show their tabs (a new member, once saved)."""
        self.person_ref = person_ref
        if self.is_mounted:
            self.show()

    def show_members(self, family: Family) -> None:
        table = self.query_one("#members", DataTable)
        rows = [member_cells(person, self.app.today) for person in family.members]
        # Less the vertical scrollbar a long family gets.
        widths = column_widths(self.app.size.width - 2, member_columns(rows), ("Navn",))
        if widths != self.member_widths:
            self.member_widths = widths
            table.clear(columns=True)
            for label, width in widths.items():
                table.add_column(label, width=width, key=label)
        self.showing_members = True
        try:
            table.clear()
            for person, cells in zip(family.members, rows):
                table.add_row(*cells, key=person.ref)
            if self.person_ref is not None and family.members:
                table.move_cursor(row=table.get_row_index(self.person_ref), animate=False)
        finally:
            self.showing_members = False

    def show_panes(self, family: Family) -> None:
        person = self.person
        today, choice = self.app.today, self.app.config.policy.rules
        # The header names whom the tabs are about (the members table's cursor alone is a colour).
        self.sub_title = f"{person.name} · {family.ref}" if person else family.ref
        found = self.app.snapshot.family_deadlines(family)
        mine = view.person_deadlines(family, person, found) if person else []
        body = {key: Text("Familien har ingen medlemmer - tryk p for at tilføje en person.", style="dim")
                for key in PERSON_TABS}
        if person is not None:
            body = {
                "oversigt": view.overview(person, today),
                "kontrakt": view.contract(person, mine, today, choice),
                "plan": view.plan_offer(person, mine, self.history.get(person.ref), today),
                "helbred": view.health(person, mine, today),
                "dansk": view.danish(person, mine, today),
                "program": view.programme(person, mine, today),
            }
            if person.ref not in self.history:
                self.load_history(person.ref)
        # The family's own deadlines, and the person's (the follow-up after a health result): `mine` holds
        # the family's follow-up too, which must not show twice.
        family_deadlines = [d for d in found if d.person is None] + [d for d in mine if d.person is not None]
        body["familie"] = view.family_plan(family, family_deadlines, today)
        body["tjekliste"] = Text(
            "Mellemrum afkrydser · a ny opgave · Enter ret · x fjern · s indsæt standardtjekliste", style="dim")
        for key, renderable in body.items():
            self.query_one(f"#{key}-body", Static).update(renderable)
        self.show_person_deadlines(mine)
        self.show_conversations(person)
        self.query_one(GoalsTable).show(person)
        self.show_followups(family)
        self.query_one(ChecklistTable).show(family, today)

    def show_person_deadlines(self, found: list[Deadline]) -> None:
        self.fit_deadline_columns(found)
        table = self.query_one("#person-deadlines", DataTable)
        table.clear()
        self.shown_deadlines = list(found)
        basis_width = self.deadline_widths.get("Hjemmel")
        for deadline in found:
            table.add_row(*one_line(Text(deadline.title), date_cell(deadline.due), Text(f"{deadline.days:+d}"),
                                    status_cell(deadline.status), date_cell(deadline.met_date),
                                    basis_cell(deadline.basis, deadline.ruleset, basis_width)))

    def show_conversations(self, person: Person | None) -> None:
        """The follow-up conversations on the contract, oldest first (a planned one reads "planlagt")."""
        table = self.query_one("#conversations", DataTable)
        row = table.cursor_row
        table.clear()
        talks = person.contract.followups if person is not None else ()
        for talk in talks:
            table.add_row(date_cell(talk.date, self.app.today),
                          Text(words.CONVERSATION_FORM[talk.form]) if talk.form else Text("–", style="dim"),
                          plain(talk.note))
        if not talks:
            table.add_row(Text("ingen endnu", style="dim"), "", "")
        table.move_cursor(row=min(max(row, 0), table.row_count - 1), animate=False)

    def show_followups(self, family: Family) -> None:
        table = self.query_one("#followups", DataTable)
        table.clear()
        for followup in family.plan.followups:
            table.add_row(date_cell(followup.date, self.app.today), plain(followup.note))
        if not family.plan.followups:
            table.add_row(Text("ingen endnu", style="dim"), "")

    def load_history(self, person_ref: str) -> None:
        self.history[person_ref] = None  # asked for; shown as "indlæses" until it arrives

        def arrived(changes: list) -> None:
            # A creation without an offer on record says nothing about the offer's history.
            self.history[person_ref] = [c for c in changes if c.field != "*" or any(view.created_offer(c).values())]
            if self.is_mounted and self.person_ref == person_ref and self.family is not None:
                self.query_one("#plan-body", Static).update(view.plan_offer(
                    self.person, view.person_deadlines(self.family, self.person,
                                                       self.app.snapshot.family_deadlines(self.family)),
                    self.history[person_ref], self.app.today))

        self.app.run_db(lambda: self.app.caseload.history(person_ref, view.PLAN_HISTORY_FIELDS), arrived)

    # -- events

    def _member_moved(self) -> None:
        table = self.query_one("#members", DataTable)
        if self.showing_members or not 0 <= table.cursor_row < table.row_count:
            return
        ref = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if ref != self.person_ref:
            self.person_ref = ref
            family = self.family
            if family is not None:
                self.show_panes(family)

    @on(DataTable.RowSelected, "#person-deadlines")
    def _deadline_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on one of the person's deadlines: to the tab where it is met (as the deadline panel does)."""
        if 0 <= event.cursor_row < len(self.shown_deadlines):
            self.action_tab(view.deadline_tab(self.shown_deadlines[event.cursor_row]))
            self.query_one(TabbedContent).query_one(Tabs).focus()

    @on(GoalsTable.Changed)
    def _goals_changed(self, event: GoalsTable.Changed) -> None:
        # On the person as the table showed them when the edit began: a change made since is not overwritten.
        self.save_person(replace(event.person, goals=event.goals), event.message, event.person)

    @on(ChecklistTable.Changed)
    def _checklist_changed(self, event: ChecklistTable.Changed) -> None:
        self.save_family(replace(event.family, checklist=event.checklist), event.message, event.family)

    @on(DataTable.RowSelected, "#followups")
    def _followup_selected(self, event: DataTable.RowSelected) -> None:
        family = self.family
        if family is None or not 0 <= event.cursor_row < len(family.plan.followups):
            return
        index = event.cursor_row
        followup = family.plan.followups[index]

        def done(values: Values) -> None:
            followups = list(family.plan.followups)
            followups[index] = FollowUp(values["date"], values["note"])
            followups.sort(key=lambda item: item.date)
            self.save_family(replace(family, plan=replace(family.plan, followups=tuple(followups))),
                             "Opfølgningen er gemt.", family)

        section = editing.followup_section(family, index)
        self.form(section, {"date": followup.date, "note": followup.note}, done, subtitle=family.ref)

    @on(DataTable.RowSelected, "#conversations")
    def _conversation_selected(self, event: DataTable.RowSelected) -> None:
        person = self.person
        if person is None or not 0 <= event.cursor_row < len(person.contract.followups):
            return
        index = event.cursor_row
        self.form(editing.conversation_form(person, index),
                  editing.read_conversation(person.contract.followups[index]),
                  lambda values: self.save_person(editing.with_conversation(person, values, index),
                                                  "Samtalen er gemt.", person))

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tabs = ACTION_TABS.get(action)
        if tabs is None or not self.is_mounted:
            return True
        try:
            return self.tab in tabs
        except Exception:  # noqa: BLE001 - before the tabs exist
            return True

    # -- saving (through the app: one transaction, then every screen refreshes)

    # Each edit names the record as this screen read it when the edit began (`based_on`): if someone has
    # changed it since, the save is refused (the app then offers to reload) instead of overwriting them.

    def save_person(self, person: Person, message: str, based_on: Person) -> None:
        ref = self.family_ref
        self.app.save(lambda c: c.save_person(ref, person, based_on), ref, message)

    def save_family(self, family: Family, message: str, based_on: Family) -> None:
        # Without members: saving never deletes them, and only the family's own fields are compared.
        bare = replace(family, members=())
        self.app.save(lambda c: c.save_family(bare, based_on), family.ref, message)

    def form(self, section: Section, values: Values, done: Callable[[Values], Any], focus: str | None = None,
             subtitle: str | None = None) -> None:
        def closed(result: Values | None) -> None:
            if result is not None:
                done(result)

        shown = subtitle if subtitle is not None else (self.person.name if self.person else self.family_ref)
        self.app.push_screen(FormScreen(section, values, subtitle=shown, focus=focus), closed)

    # -- actions: the person

    def action_back(self) -> None:
        self.dismiss()

    def action_tab(self, key: str) -> None:
        self.query_one(TabbedContent).active = key

    async def action_open(self, tab: str, action: str) -> None:
        """A palette command for one tab: show the tab, then act (the action is offered there only)."""
        self.action_tab(tab)
        self.refresh_bindings()
        await self.run_action(action)

    def action_edit(self) -> None:
        tab = self.tab
        if tab == "familie":
            self.action_edit_family()
            return
        if tab == "tjekliste":
            self.query_one(ChecklistTable).edit()
            return
        person = self.person
        if person is None:
            self.notify("Vælg eller tilføj en person først (p).", severity="warning")
            return
        part = PARTS[tab]
        self.form(editing.judged(part.section(person), person, part.write), part.read(person),
                  lambda values: self.save_person(part.write(person, values), "Ændringerne er gemt.", person))

    def action_edit_person(self) -> None:
        self.action_tab("oversigt")
        self.action_edit()

    def action_leave(self) -> None:
        person = self.person
        if person is None:
            return
        values = editing.read_left(person)
        if values["left_date"] is None:
            values["left_date"] = self.app.today
        self.form(editing.judged(editing.LEFT, person, editing.write_left), values, lambda v: self.save_person(
            editing.write_left(person, v), "Fraflytningen er registreret." if v["left_date"] else "Gemt.", person))

    def action_new_person(self) -> None:
        family = self.family
        if family is None:
            return
        values = editing.new_member_values(family, editing.next_ref(self.app.snapshot.refs_in_use(), "P-", 4))

        def done(values: Values) -> None:
            person = editing.write_member(family, values, self.app.today)
            ref = family.ref

            def job(caseload: Caseload) -> Family:
                require_free_refs(caseload, [person.ref])
                return caseload.save_person(ref, person)

            # Selected once saved: a failed save (a ref just taken elsewhere) leaves the selection alone.
            self.app.save(job, ref, f"{person.name} er tilføjet familien.",
                          then=lambda saved: self.show_person(person.ref))

        section = with_free_refs(editing.new_member_section(family, self.app.today), self.app, "ref")
        self.form(section, values, done, focus="name", subtitle=family.ref)

    def action_delete_person(self) -> None:
        person, ref = self.person, self.family_ref
        if person is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                # show() then selects the first member left
                self.app.save(lambda c: c.delete_person(ref, person.ref), ref, f"{person.name} er slettet.")

        self.app.push_screen(ConfirmScreen(
            f"Slet {person.name} ({person.ref}) fra databasen? Sletningen gemmes i revisionssporet.",
            "Slet", "Behold"), answered)

    # -- actions: the family

    def action_edit_family(self) -> None:
        family = self.family
        if family is None:
            return
        self.form(editing.judged(editing.FAMILY, family, editing.write_family), editing.read_family(family),
                  lambda v: self.save_family(editing.write_family(family, v), "Familien er gemt.", family),
                  subtitle=family.ref)

    def action_followup(self) -> None:
        ref = self.family_ref

        def done(values: Values) -> None:
            followup = FollowUp(values["date"], values["note"])
            self.app.save(lambda c: c.add_followup(ref, followup), ref,
                          f"Opfølgning {format_date(followup.date)} er registreret.")

        section = editing.followup_section(self.family) if self.family is not None else editing.FOLLOWUP
        self.form(section, {"date": self.app.today, "note": None}, done, focus="note", subtitle=ref)

    def action_conversation(self) -> None:
        """A follow-up conversation on the contract (§ 20): today, at a meeting - Enter saves."""
        person = self.person
        if person is None:
            return
        if person.contract.signed_date is None:
            self.notify(f"{person.name} har ingen underskrevet kontrakt - registrér først underskriften "
                        "(e på fanen Kontrakt).", title="Ingen kontrakt", severity="warning")
            return

        def done(values: Values) -> None:
            changed = editing.with_conversation(person, values)
            self.save_person(changed, f"Samtale {format_date(values['date'])} er registreret.", person)

        self.form(editing.conversation_form(person), editing.new_conversation(self.app.today), done, focus="note")

    def action_delete_family(self) -> None:
        family = self.family
        if family is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss()  # first: staying would report the family as gone (show) once it is
                self.app.save(lambda c: c.delete_family(family.ref), family.ref,
                              f"Familien {family.ref} er slettet.")

        self.app.push_screen(ConfirmScreen(
            f"Slet familien {family.ref} og alle {len(family.members)} medlemmer? "
            "Sletningen gemmes i revisionssporet.", "Slet", "Behold"), answered)

    # -- actions: the plan's action part and the checklist (their tables do the work)

    def action_new_goal(self) -> None:
        refusal = editing.goal_refusal(self.person) if self.person is not None else None
        if refusal is not None:
            self.notify(refusal, title="Ikke muligt", severity="error")
            return
        self.query_one(GoalsTable).new_goal()

    def action_new_intervention(self) -> None:
        self.query_one(GoalsTable).new_intervention()

    def action_tick(self) -> None:
        self.query_one(ChecklistTable).tick(self.app.today)

    def action_add_item(self) -> None:
        self.query_one(ChecklistTable).add()

    def action_default_checklist(self) -> None:
        self.query_one(ChecklistTable).insert_default(self.app.config.checklist)

    # -- removing whatever is selected on the tab

    def action_remove(self) -> None:
        tab = self.tab
        if tab == "kontrakt":
            person = self.person
            table = self.query_one("#conversations", DataTable)
            if person is None or not 0 <= table.cursor_row < len(person.contract.followups):
                return
            removed = person.contract.followups[table.cursor_row]
            changed = editing.without_conversation(person, table.cursor_row)
            self.confirm(f"Fjern samtalen {format_date(removed.date)}?",
                         lambda: self.save_person(changed, "Samtalen er fjernet.", person))
        elif tab == "plan":
            self.query_one(GoalsTable).remove()
        elif tab == "tjekliste":
            self.query_one(ChecklistTable).remove()
        elif tab == "familie":
            family = self.family
            table = self.query_one("#followups", DataTable)
            if family is None or not 0 <= table.cursor_row < len(family.plan.followups):
                return
            followups = list(family.plan.followups)
            removed = followups.pop(table.cursor_row)
            plan = replace(family.plan, followups=tuple(followups))
            self.confirm(f"Fjern opfølgningen {format_date(removed.date)}?", lambda: self.save_family(
                replace(family, plan=plan), "Opfølgningen er fjernet.", family))

    def confirm(self, question: str, then: Callable[[], Any]) -> None:
        self.app.push_screen(ConfirmScreen(question, "Fjern", "Behold"), lambda yes: then() if yes else None)


def _table(table_id: str, *columns: str) -> DataTable:
    table = RowTable(id=table_id, classes="pane-table")
    table.add_columns(*columns)
    return table
