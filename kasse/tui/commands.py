"""The command palette's commands, as data: "område: handling", the action it runs, a line of help.

An action without "app." runs on the screen the palette was opened from, and
is offered only there (`screens` names the screens' `area`); the palette is
one Provider over this table, shown by Textual's palette with its one English
line in Danish (KassePalette).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

NO_MATCHES = "Ingen kommandoer passer til søgningen"


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    action: str
    help: str
    screens: tuple[str, ...] = ()  # the screen areas it is offered on; () = everywhere


COMMANDS: tuple[Command, ...] = (
    Command("kø: Vis køen", "app.queue", "Alle borgere, de mest presserende først"),
    Command("frister: Vis fristoversigten", "app.deadlines", "Overskredne, snart og kommende frister (d)"),
    Command("familie: Ny familie", "app.new_family", "Opret en familie med dens første medlem (n i køen)"),
    Command("kø: Søg", "focus_filter", "Filtrér på navn, ref, CPR og nationalitet (/)", ("queue",)),
    Command("kø: Vis overskredne", "view('overdue')", "Borgere med overskredne frister (1)", ("queue",)),
    Command("kø: Vis frister der snart forfalder", "view('due_soon')",
            "Overskredet eller inden for vinduet, 14 dage medmindre andet er valgt (2)", ("queue",)),
    Command("kø: Vis alle", "view('everyone')", "Hele sagsstammen (3)", ("queue",)),
    Command("kø: Vis fraflyttede", "view('left')", "Borgere der er fraflyttet (4)", ("queue",)),
    Command("person: Rediger fanebladet", "edit", "Ret oplysningerne på det viste faneblad (e)", ("family",)),
    Command("person: Ret persondata", "edit_person", "Navn, CPR, kategori, rolle, overtagelse", ("family",)),
    Command("person: Registrér fraflytning", "open('oversigt', 'leave')", "Dato og årsag (f)", ("family",)),
    Command("person: Slet person", "delete_person", "Fjern den valgte person fra databasen", ("family",)),
    Command("familie: Ny person i familien", "new_person", "Tilføj et familiemedlem (p)", ("family",)),
    Command("familie: Ret familie", "edit_family", "Forvaltning, bolig, plan og opfølgningsinterval (r)",
            ("family",)),
    Command("familie: Ny opfølgning", "followup", "Registrér en opfølgning med note (o)", ("family",)),
    Command("kontrakt: Ny opfølgningssamtale", "open('kontrakt', 'conversation')",
            "Samtale om kontrakten i dag, som møde - Enter gemmer (k)", ("family",)),
    Command("familie: Slet familie", "delete_family", "Fjern familien og alle dens medlemmer", ("family",)),
    Command("plan: Nyt mål", "open('plan', 'new_goal')", "Tilføj et mål i indsatsdelen (g)", ("family",)),
    Command("tjekliste: Indsæt standardtjekliste", "open('tjekliste', 'default_checklist')",
            "Modtagelsens opgaver i fire faser (s på fanen Tjekliste)", ("family",)),
    Command("frister: Længere vindue", "window(1)", "Flere dage tæller som snart (+)", ("deadlines",)),
    Command("frister: Kortere vindue", "window(-1)", "Færre dage tæller som snart (-)", ("deadlines",)),
    Command("app: Genindlæs data", "app.reload", "Læs sagsstammen igen fra databasen"),
    Command("app: Hjælp", "app.help", "Taster og arbejdsgange (? eller F1)"),
    Command("app: Afslut", "app.quit", "Luk kasse (ctrl+q)"),
)


class KasseCommands(Provider):
    """Offers the commands of COMMANDS that fit the screen the palette was opened from."""

    def _offered(self) -> list[Command]:
        area = getattr(self.screen, "area", "")
        return [command for command in COMMANDS if not command.screens or area in command.screens]

    async def _run(self, command: Command) -> None:
        target = self.app if command.action.startswith("app.") else self.screen
        await target.run_action(command.action.removeprefix("app."))

    async def discover(self) -> Hits:
        for command in self._offered():
            yield DiscoveryHit(command.name, partial(self._run, command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._offered():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), partial(self._run, command), help=command.help)


class KassePalette(CommandPalette):
    """Textual's command palette, saying in Danish that nothing matches.

    Textual (8.2) writes "No matches found" in the method below with no setting for the text, so the
    method is Textual's own with the line translated; tests/test_tui_keyboard.py notices an upgrade
    that changes it."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:  # while discovering (nothing typed), an empty list needs no words
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES))
            self._list_visible = bool(search_value)

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
