"""The Danish help: kasse/tui/help.md shown in a Markdown widget."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown

from kasse.tui.widgets.footer import KasseFooter

HELP_FILE = Path(__file__).resolve().parent.parent / "help.md"


class HelpScreen(Screen):
    area = "help"
    AUTO_FOCUS = "VerticalScroll"
    DEFAULT_CSS = """
    HelpScreen VerticalScroll { padding: 0 2; }
    """
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Luk hjælpen", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Markdown(HELP_FILE.read_text(encoding="utf-8"), open_links=False)
        yield KasseFooter()

    def on_mount(self) -> None:
        self.sub_title = "Hjælp"
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss()
