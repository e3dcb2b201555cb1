"""One line of the Historik tab in full: a note's whole text, which the table cuts to one line."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kasse.history import KIND_WORDS, Entry
from kasse.safe_text import terminal_safe
from kasse.tui.keymap import hint_line


def full_text(words: str) -> Text:
    """User text shown literally, line breaks kept and every other control character visible (safe_text)."""
    return Text("\n".join(terminal_safe(line) for line in words.splitlines()))


class EntryScreen(ModalScreen[None]):
    """The highlighted history entry: when, what, about whom, by whom, and all its words."""

    DEFAULT_CSS = """
    EntryScreen { align: center middle; }
    EntryScreen > Vertical {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    EntryScreen VerticalScroll { height: auto; max-height: 1fr; margin: 1 0; }
    EntryScreen .entry-full { margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape,enter", "dismiss", "Luk", id="entry.close", tooltip="Luk den fulde visning"),
    ]

    def __init__(self, entry: Entry, person_name: str | None) -> None:
        super().__init__()
        self.entry = entry
        self.person_name = person_name

    def compose(self) -> ComposeResult:
        entry = self.entry
        heading = Text(f"{entry.when_shown} · {KIND_WORDS[entry.kind]}", style="bold")
        about = [f"Om: {terminal_safe(self.person_name)}"] if self.person_name else []
        by = [f"Af: {terminal_safe(entry.who)}"] if entry.who else []
        with Vertical():
            yield Static(heading)
            yield Static(Text("  ·  ".join(about + by), style="dim"))
            with VerticalScroll():
                yield Static(full_text(entry.words), classes="entry-words")
                if entry.full:
                    yield Static(full_text(entry.full), classes="entry-full")
            yield Static(hint_line(self, ["entry.close"]))
