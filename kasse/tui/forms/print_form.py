"""Printing from the family screen: a small choice of document, then the PDF written in a worker.

The family screen's key (and the palette) opens `PrintScreen`; the chosen
document is rendered by `kasse.documents` - the same call `kasse print`
makes - in a thread, so the screen keeps answering keys, and written to the
user's documents folder. The app then says where, or why not, in one Danish line.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kasse.documents.content import Document
from kasse.domain import Family, Person
from kasse.errors import KasseError
from kasse.tui.keymap import hint_line, key_of

WRITING = {Document.CONTRACT: "kontrakten", Document.PLAN: "planen", Document.DEADLINES: "fristoversigten"}
WRITTEN = {Document.CONTRACT: "Kontrakten", Document.PLAN: "Planen", Document.DEADLINES: "Fristoversigten"}
NO_MUNICIPALITY = "Kommunens navn mangler øverst i dokumentet - skriv municipality = \"...\" i kasse.toml."


class PrintScreen(ModalScreen[Document | None]):
    """Which document to write: the selected person's contract, the family's plan or its deadlines."""

    DEFAULT_CSS = """
    PrintScreen { align: center middle; }
    PrintScreen > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    PrintScreen OptionList { height: auto; margin: 1 0; }
    """
    BINDINGS = [
        Binding("k", "choose('contract')", "Kontrakt", id="print.contract",
                tooltip="Udskriv kontrakten for den valgte person som PDF"),
        Binding("p", "choose('plan')", "Plan", id="print.plan", tooltip="Udskriv familiens plan som PDF"),
        Binding("f", "choose('deadlines')", "Fristoversigt", id="print.deadlines",
                tooltip="Udskriv familiens fristoversigt som PDF"),
        Binding("escape", "choose('')", "Fortryd", id="print.cancel", tooltip="Luk uden at udskrive"),
    ]

    def __init__(self, family: Family, person: Person | None) -> None:
        super().__init__()
        self.family = family
        self.person = person

    def compose(self) -> ComposeResult:
        contract = (f"Kontrakt for {self.person.name} ({self.person.ref})" if self.person is not None
                    else "Kontrakt (vælg først en person)")
        choices = {Document.CONTRACT: contract, Document.PLAN: f"Plan for familien {self.family.ref}",
                   Document.DEADLINES: f"Fristoversigt for familien {self.family.ref}"}
        ids = {Document.CONTRACT: "print.contract", Document.PLAN: "print.plan", Document.DEADLINES: "print.deadlines"}
        with Vertical():
            yield Static(Text("Udskriv som PDF til din dokumentmappe", style="bold"))
            yield OptionList(*(Option(Text(f"{key_of(self, ids[kind])}  {words}"), id=kind,
                                      disabled=kind is Document.CONTRACT and self.person is None)
                               for kind, words in choices.items()))
            yield Static(hint_line(self, ["print.cancel"]))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0 if self.person is not None else 1
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose(str(event.option.id))

    def action_choose(self, kind: str) -> None:
        if kind == Document.CONTRACT and self.person is None:
            self.notify("Vælg først en person i medlemslisten.", severity="warning")
            return
        self.dismiss(Document(kind) if kind else None)


def offer_documents(app, family: Family, person: Person | None, kind: str | None = None) -> None:
    """Ask which document (unless `kind` says it), then write it."""
    if kind:
        write_document(app, Document(kind), family, person)
        return
    app.push_screen(PrintScreen(family, person),
                    lambda chosen: write_document(app, chosen, family, person) if chosen else None)


def write_document(app, kind: Document, family: Family, person: Person | None) -> None:
    """Render and write `kind` in a worker (the screen stays live) and say where it went; errors in Danish."""
    from kasse.documents import print_document

    if kind is Document.CONTRACT and person is None:
        app.notify("Vælg først en person i medlemslisten.", severity="warning")
        return
    config, today = app.config, app.today
    whose = person if kind is Document.CONTRACT else None
    try:  # the access log, as `kasse print` writes it: a print that cannot be logged is not made
        app.caseload.looked_at(family.ref, app.clock().astimezone(), person_ref=whose.ref if whose else None,
                               command=f"print {kind.value}")
    except KasseError as error:
        app.notify(error.message, severity="error")
        return
    app.notify(f"Skriver {WRITING[kind]} …", title="Udskriv", timeout=2)

    def written(path) -> None:
        message = f"{WRITTEN[kind]} er skrevet til {path}"
        if config.municipality is None:
            message += f"\n{NO_MUNICIPALITY}"
        app.notify(message, title="Udskrevet", timeout=10)

    app.run_db(lambda: print_document(kind, family, whose, today=today, config=config), written)
