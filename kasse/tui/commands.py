"""The command palette's commands, as data: "område: handling", the action it runs, a line of help.

Each key of the app and of the screen the palette was opened from is a
command: its binding (declared once, with an id) gives the words - the area
from the id, the name from its description, the help line from its tooltip -
and the key in force. A few
commands have no key (KEYLESS). A screen that has `run_command` decides how
to reach an action (the family screen first opens the tab that does it). The
palette is one Provider over these, shown by Textual's palette with its one
English line in Danish (KassePalette).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from kasse.tui.keymap import declared, keys_label

NO_MATCHES = "Ingen kommandoer passer til søgningen"
# The Danish area a binding id's first part names.
AREAS = {"app": "app", "queue": "kø", "deadlines": "frister", "family": "familie", "person": "person",
         "contract": "kontrakt", "plan": "plan", "checklist": "tjekliste", "tab": "faneblad", "help": "hjælp",
         "form": "formular", "confirm": "spørgsmål", "table": "tabel", "print": "udskriv", "stats": "statistik"}


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    action: str
    help: str
    on_app: bool = False  # run on the app, not on the screen the palette was opened from


KEYLESS: dict[str, tuple[Command, ...]] = {
    "app": (
        Command("kø: Vis køen", "queue", "Alle borgere, de mest presserende først", on_app=True),
        Command("app: Genindlæs data", "reload", "Læs sagsstammen igen fra databasen", on_app=True),
    ),
    "family": (
        Command("person: Ret persondata", "route('edit_person')", "Navn, CPR, kategori, rolle, overtagelse"),
        Command("person: Slet person", "route('delete_person')", "Fjern den valgte person fra databasen"),
        Command("familie: Slet familie", "route('delete_family')", "Fjern familien og alle dens medlemmer"),
        Command("udskriv: Kontrakt som PDF", "print('contract')",
                "Kontrakten for den valgte person, skrevet til din dokumentmappe"),
        Command("udskriv: Plan som PDF", "print('plan')", "Familiens plan, skrevet til din dokumentmappe"),
        Command("udskriv: Fristoversigt som PDF", "print('deadlines')",
                "Familiens frister med status og hjemmel, skrevet til din dokumentmappe"),
    ),
}


def from_binding(binding: Binding, keymap: dict[str, str], on_app: bool) -> Command:
    area = AREAS.get((binding.id or "").split(".")[0], "app")
    keys = keys_label(keymap, binding, " eller ")
    return Command(f"{area}: {binding.description}", binding.action,
                   f"{binding.tooltip} ({keys})" if binding.tooltip else keys, on_app)


def commands_for(app, screen) -> list[Command]:
    """The screen's keys and its keyless commands, then the app's: what the palette offers on `screen`."""
    keymap = getattr(app, "keymap", {})
    found = [from_binding(binding, keymap, on_app=False) for binding in declared(type(screen))]
    found += KEYLESS.get(getattr(screen, "area", ""), ())
    found += [from_binding(binding, keymap, on_app=True) for binding in declared(type(app))
              if binding.action != "command_palette"]
    return found + list(KEYLESS["app"])


class KasseCommands(Provider):
    """Offers the commands that fit the screen the palette was opened from."""

    async def _run(self, command: Command) -> None:
        if command.on_app:
            await self.app.run_action(command.action)
            return
        run = getattr(self.screen, "run_command", self.screen.run_action)
        await run(command.action)

    async def discover(self) -> Hits:
        for command in commands_for(self.app, self.screen):
            yield DiscoveryHit(command.name, partial(self._run, command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in commands_for(self.app, self.screen):
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
