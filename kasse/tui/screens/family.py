"""The family screen: header, members, and for the selected member the tabs where the law's facts are kept.

It lays out and routes, nothing more. Each tab is a widget of its own
(widgets/family/), shown what the screen reads; the members table knows who
is selected and marked. Every key of the screen is declared once below, with
an id a user can rebind in kasse.toml ([keys]); a key whose action is
`route(...)` goes to the open tab if it does that, else to the part that does
it from any tab (the members table, the Kontrakt and Familie tabs).
"""

from __future__ import annotations

from textual import actions, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static, TabbedContent, TabPane, Tabs

from kasse.domain import Family, Person
from kasse.tui.undo import undo_last
from kasse.tui.widgets import person_view as view
from kasse.tui.widgets.family.checklist_pane import ChecklistPane
from kasse.tui.widgets.family.contract import ContractPane
from kasse.tui.widgets.family.facts import DanishPane, HealthPane, ProgrammePane
from kasse.tui.widgets.family.family_plan import FamilyPlanPane
from kasse.tui.widgets.family.history import HistoryPane
from kasse.tui.widgets.family.members import MemberTable
from kasse.tui.widgets.family.overview import OverviewPane
from kasse.tui.widgets.family.pane import FamilyPane, Shown, TabRequested
from kasse.tui.widgets.family.plan import PlanPane
from kasse.tui.widgets.family.tabs import Tab
from kasse.tui.widgets.footer import KasseFooter

PANES: tuple[type[FamilyPane], ...] = (OverviewPane, ContractPane, PlanPane, HealthPane, DanishPane, ProgrammePane,
                                       FamilyPlanPane, ChecklistPane, HistoryPane)
TABS = Binding.Group("Faner", compact=True)


class FamilyScreen(Screen):
    area = "family"
    AUTO_FOCUS = "#members"
    DEFAULT_CSS = """
    FamilyScreen #family-header { height: auto; padding: 0 1; }
    FamilyScreen #members { height: auto; max-height: 25%; }
    FamilyScreen TabbedContent { height: 1fr; }
    FamilyScreen TabPane { padding: 0; }
    """
    BINDINGS = [
        Binding("escape", "back", "Tilbage", id="family.back", tooltip="Tilbage til det forrige billede"),
        Binding("e", "route('edit')", "Rediger", id="family.edit", tooltip="Ret oplysningerne på fanebladet"),
        Binding("o", "route('followup')", "Opfølgning", id="family.followup",
                tooltip="Ny opfølgning på familiens plan: dagens dato er udfyldt, skriv en note og tryk Enter"),
        # Shown in the tabs' hint lines, the help and the palette; an 80-column footer has no room.
        Binding("p", "route('new_person')", "Ny person", id="family.new_person", show=False,
                tooltip="Tilføj et medlem til familien"),
        Binding("r", "route('edit_family')", "Ret familie", id="family.edit_family", show=False,
                tooltip="Ret familien: forvaltning, bolig, planens dato og opfølgningsinterval"),
        Binding("f", "route('leave')", "Fraflyt", id="person.leave", show=False,
                tooltip="Registrér fraflytning (dato og årsag) for de markerede medlemmer, ellers det valgte"),
        Binding("u", "route('plan_offer')", "Plantilbud", id="person.plan_offer", show=False,
                tooltip="Tilbud om integrationsplan og svaret for de markerede medlemmer, ellers det valgte"),
        Binding("k", "route('conversation')", "Samtale", id="contract.conversation", show=False,
                tooltip="Ny opfølgningssamtale om kontrakten: i dag, som møde - Enter gemmer"),
        Binding("g", "route('new_goal')", "Nyt mål", id="plan.new_goal", tooltip="Tilføj et mål i planens indsatsdel"),
        Binding("i", "route('new_intervention')", "Ny indsats", id="plan.new_intervention",
                tooltip="Tilføj en indsats til det valgte mål"),
        Binding("a", "route('add_item')", "Nyt punkt", id="checklist.add", tooltip="Tilføj et punkt til tjeklisten"),
        Binding("space", "route('tick')", "Afkryds", id="checklist.tick",
                tooltip="Afkryds det valgte punkt på tjeklisten, eller fjern afkrydsningen"),
        Binding("s", "route('default_checklist')", "Standardliste", id="checklist.default",
                tooltip="Indsæt standardtjeklisten - kommunens egen, hvis den står i kasse.toml"),
        Binding("w", "print", "Udskriv", id="family.print", show=False,
                tooltip="Udskriv kontrakt, plan eller fristoversigt som PDF til din dokumentmappe"),
        Binding("j", "route('note')", "Notat", id="family.note",
                tooltip="Skriv et journalnotat om familien eller den valgte person (ctrl+s gemmer)"),
        Binding("J", "route('correct_note')", "Ret et notat", id="family.correct_note", show=False,
                tooltip="Ret et af familiens journalnotater: et nyt notat, der retter det gamle"),
        Binding("t", "route('task')", "Ny opgave", id="family.task", show=False,
                tooltip="Opret en egen opgave med en frist til familien eller den valgte person"),
        Binding("ctrl+z", "undo", "Fortryd seneste ændring", id="family.undo", show=False,
                tooltip="Fortryd den seneste ændring, du har gemt i en formular, siden kasse blev åbnet"),
        Binding("v", "route('history_whom')", "Person/familie", id="family.history_whom", show=False,
                tooltip="Historik: vis kun den valgte person, eller hele familien igen"),
        Binding("x,delete", "route('remove')", "Fjern", id="family.remove",
                tooltip="Fjern det valgte på fanebladet: en samtale, et mål, et punkt på tjeklisten eller en opfølgning"),
        *(Binding(str(tab.number), f"show_tab('{tab}')", tab.label, id=f"tab.{tab}", show=False, group=TABS,
                  tooltip=f"Fanebladet {tab.label}") for tab in Tab),
    ]

    def __init__(self, family_ref: str, person_ref: str | None = None, tab: str | None = None) -> None:
        super().__init__()
        self.family_ref = family_ref
        self.person_ref = person_ref
        self.initial_tab = Tab(tab or Tab.OVERVIEW)
        self._family: Family | None = None
        # Looked up on every key and footer refresh: kept, not queried.
        self.members = MemberTable(id="members")  # its columns fit the members shown
        self.panes: dict[Tab, FamilyPane] = {pane.TAB: pane() for pane in PANES}
        self.shown_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="family-header")
        yield self.members
        with TabbedContent(initial=self.initial_tab, id="tabs"):
            for tab, pane in self.panes.items():
                with TabPane(tab.label, id=tab):
                    # The other tabs mount just after the first frame: the family shows sooner (FamilyPane.show).
                    yield pane if tab is self.initial_tab else Lazy(pane)
        yield KasseFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self.data_changed, init=False)
        # The selection follows the cursor at once, not when the highlight message arrives: a person key
        # typed right after a move (End, then f) must act on the member moved to.
        self.watch(self.members, "cursor_coordinate", self._member_moved, init=False)
        self.show()
        self.members.focus()

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
        return next((p for p in family.members if p.ref == self.person_ref), None) if family else None

    @property
    def tab(self) -> Tab:
        return Tab(self.query_one(TabbedContent).active or Tab.OVERVIEW)

    @property
    def active_pane(self) -> FamilyPane:
        return self.panes[self.tab]

    def data_changed(self) -> None:
        self._family = None  # read again: a save here or another program may have changed it
        self.show()

    def on_resize(self) -> None:
        if self.family is not None and self.app.size.width != self.shown_width:
            self.show()  # the tables' columns fit the width

    def show(self) -> None:
        family = self.family
        if family is None:
            if self.is_current:
                self.notify(f"Familien {self.family_ref} findes ikke længere.", severity="warning")
                self.dismiss()
            return
        if self.person is None and family.members:
            self.person_ref = family.members[0].ref
        self.shown_width = self.app.size.width
        self.query_one("#family-header", Static).update(view.family_header(family, self.app.today))
        self.members.show(family, self.app.today, self.person_ref)
        self.show_panes(family)
        self.refresh_bindings()

    def show_panes(self, family: Family) -> None:
        person = self.person
        # The header names whom the tabs are about (the members table's cursor alone is a colour).
        self.sub_title = f"{person.name} · {family.ref}" if person else family.ref
        shown = Shown(family, person, tuple(self.app.snapshot.family_deadlines(family)), self.app.today)
        for pane in self.panes.values():
            pane.show(shown)

    def show_person(self, person_ref: str) -> None:
        """Select a member and show their tabs (a new member, once saved)."""
        self.person_ref = person_ref
        if self.is_mounted:
            self.show()

    def _member_moved(self) -> None:
        member = self.members.highlighted
        if self.members.filling or member is None or member.ref == self.person_ref:
            return
        self.person_ref = member.ref
        if self.family is not None:
            self.show_panes(self.family)

    @on(MemberTable.Chosen)
    def _member_chosen(self, event: MemberTable.Chosen) -> None:
        self.show_person(event.person_ref)

    @on(TabRequested)
    def _tab_requested(self, event: TabRequested) -> None:
        self.action_show_tab(event.tab)
        self.query_one(TabbedContent).query_one(Tabs).focus()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    # -- routing the keys

    def target(self, action: str) -> Widget | None:
        """Who does `action` now: the open tab, else a part that does it from any tab."""
        if self.active_pane.offers(action):
            return self.active_pane
        everywhere = [self.members, *self.panes.values()]
        return next((part for part in everywhere if action in part.EVERYWHERE and part.offers(action)), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "route" or not self.is_mounted:
            return True
        try:
            return self.target(str(parameters[0])) is not None
        except Exception:  # noqa: BLE001 - before the tabs exist
            return True

    async def action_route(self, action: str) -> None:
        target = self.target(action)
        if target is not None:
            await target.run_action(action)

    async def run_command(self, action: str) -> None:
        """A palette command: one the open tab does not do goes to the tab that does it first."""
        _, name, parameters = actions.parse(action)
        if name == "route" and self.target(str(parameters[0])) is None:
            pane = next((pane for pane in self.panes.values() if pane.offers(str(parameters[0]))), None)
            if pane is not None:
                self.action_show_tab(pane.TAB)
        await self.run_action(action)

    def action_back(self) -> None:
        self.dismiss()

    def action_undo(self) -> None:
        undo_last(self.app)

    def action_print(self, kind: str | None = None) -> None:
        """Offer the documents (or write `kind`, from the palette) for the family and the selected member."""
        from kasse.tui.forms.print_form import offer_documents

        if self.family is not None:
            offer_documents(self.app, self.family, self.person, kind)

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.refresh_bindings()
