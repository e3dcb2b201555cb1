"""A yes/no question before something is lost: unsaved changes, a deleted person."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kasse.tui.keymap import key_of


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 60; max-width: 100%; height: auto;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("j,y", "answer(True)", "Ja", id="confirm.yes", tooltip="Svar ja til et spørgsmål"),
        Binding("n,escape", "answer(False)", "Nej", id="confirm.no", tooltip="Svar nej til et spørgsmål"),
    ]

    def __init__(self, question: str, yes: str = "Ja", no: str = "Nej") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            with Horizontal():
                yield Button(f"{self.yes} ({self.first_key('confirm.yes')})", id="yes", variant="warning",
                             compact=True)
                yield Button(f"{self.no} ({self.first_key('confirm.no')})", id="no", compact=True)

    def first_key(self, binding_id: str) -> str:
        return key_of(self, binding_id).split("/")[0]

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
