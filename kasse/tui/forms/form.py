"""The one modal form every edit uses: fields from a `Section`, checked as you type, saved as a whole.

The form returns the parsed values (or None when the user backs out); the
screen that opened it turns them into domain values and saves them in one
store transaction. Leaving with unsaved changes asks first.

A judged section (editing.JudgedSection) is also checked for plausibility as
of the app's today: what cannot be right is an error like any other; what is
only unusual is shown under its field as "Bemærk: ...", and the first save
stops there - a second ctrl+s, or the button now reading "Gem alligevel",
saves it as it stands.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from kasse.errors import KasseError
from kasse.plausibility import cprs_in
from kasse.tui.editing import JudgedSection
from kasse.tui.fields import Field, Kind, Section, Values, parse_field, show_value
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.keymap import key_of
from kasse.tui.widgets.date_input import DateInput
from kasse.tui.widgets.footer import KasseFooter

BLANK = "(ikke angivet)"
# The keys line under the form, with the keys in force ({save}, {cancel}).
KEYS = "{save} gem · Enter gem (i et felt) · {cancel} fortryd · * skal udfyldes"
KEYS_WARNED = "{save} igen: gem alligevel · ret det markerede, eller {cancel} fortryd"
# A date on its way: "12", "12-0", "12.03.20", "2025-0" - not yet an error.
_DATE_SO_FAR = re.compile(r"\d{1,2}([-.](\d{1,2}([-.]\d{0,3})?)?)?|\d{3,4}(-(\d{1,2}(-\d?)?)?)?")


class FormScreen(ModalScreen[Values | None]):
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FormScreen .title { text-style: bold; padding-bottom: 1; }
    FormScreen VerticalScroll { height: auto; max-height: 1fr; }
    FormScreen .row { height: auto; }
    FormScreen .row Label { width: 30; padding-right: 1; color: $text-muted; }
    FormScreen .row Input, FormScreen .row Select { width: 1fr; }
    FormScreen .row TextArea { width: 1fr; height: 4; }
    FormScreen .error { color: $error; padding-left: 30; height: auto; display: none; }
    FormScreen .error.-shown { display: block; }
    FormScreen .error.-hint { color: $text-muted; }
    FormScreen .error.-warning { color: $warning; }
    FormScreen .keys { color: $text-muted; padding-top: 1; }
    FormScreen #buttons { height: auto; align-horizontal: right; }
    FormScreen #buttons Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Gem", priority=True, id="form.save",
                tooltip="Gem formularen (tryk igen for at gemme trods en bemærkning)"),
        Binding("escape", "cancel", "Fortryd", id="form.cancel",
                tooltip="Fortryd formularen - har du ændret noget, spørger kasse først"),
    ]

    def __init__(self, section: Section, values: Values, *, subtitle: str = "", focus: str | None = None) -> None:
        super().__init__()
        self.section = section
        self.initial = dict(values)
        self.subtitle = subtitle
        self.focus_key = focus
        self.fields = {field.key: field for field in section.fields}
        self.tried = False  # after a first save attempt, checks across fields run as you type too
        # The unusual values the user was shown at a save: saving the same again means "save anyway".
        self.acknowledged: dict[str, str] | None = None
        self._cprs: dict[str, str] | None = None

    # -- layout

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text(self.section.title, style="bold")
            if self.subtitle:
                title.append(" - ").append(self.subtitle)  # user data: Text keeps it literal
            yield Static(title, classes="title")
            fields = VerticalScroll()
            fields.can_focus = False  # Tab goes from field to field; a stop on the scroll area showed nothing
            with fields:
                for field in self.section.fields:
                    with Horizontal(classes="row"):
                        yield Label(field.label + (" *" if field.required else ""))
                        yield self._widget(field, self.initial.get(field.key))
                    yield Static("", id=f"error-{field.key}", classes="error")
            yield Static(self.keys_line(KEYS), id="keys", classes="keys")
            with Horizontal(id="buttons"):
                yield Button("Gem", id="save", variant="primary", compact=True)
                yield Button("Fortryd", id="cancel", compact=True)
        yield KasseFooter()

    def _widget(self, field: Field, value: Any) -> Widget:
        widget_id = f"field-{field.key}"
        match field.kind:
            case Kind.DATE:
                hint = {"placeholder": field.hint} if field.hint else {}
                return DateInput(value, id=widget_id, compact=True, disabled=field.read_only, **hint)
            case Kind.CHOICE | Kind.YES_NO:
                return Select(
                    field.options,
                    value=value if value is not None else Select.NULL,
                    allow_blank=not field.required,
                    prompt=field.blank or BLANK,
                    id=widget_id,
                    compact=True,
                )
            case Kind.LINES:
                return TextArea(
                    show_value(field, value),
                    id=widget_id,
                    compact=True,
                    show_line_numbers=False,
                    placeholder=field.hint,
                )
            case _:
                return Input(
                    show_value(field, value),
                    placeholder=field.hint,
                    id=widget_id,
                    compact=True,
                    disabled=field.read_only,
                )

    def on_mount(self) -> None:
        self.initial_raw = {key: self.raw(key) for key in self.fields}
        wanted = self.focus_key or next((f.key for f in self.section.fields if not f.read_only), None)
        if wanted:
            self.query_one(f"#field-{wanted}").focus()

    # -- values

    def raw(self, key: str) -> Any:
        widget = self.query_one(f"#field-{key}")
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, TextArea):
            return widget.text
        return widget.value

    def parsed(self) -> tuple[Values, dict[str, str]]:
        values, problems = {}, {}
        for key, field in self.fields.items():
            try:
                values[key] = parse_field(field, self.raw(key))
            except KasseError as error:
                problems[key] = error.message
        return values, problems

    @property
    def is_dirty(self) -> bool:
        """Whether anything differs from what the form opened with (as typed, so half a date counts)."""
        return any(self.raw(key) != self.initial_raw[key] for key in self.fields)

    def show_error(self, key: str, message: str | None, *, hint: bool = False, warning: bool = False) -> None:
        error = self.query_one(f"#error-{key}", Static)
        error.update(Text(f"Bemærk: {message}" if warning and message else message or ""))
        error.set_class(bool(message), "-shown")
        error.set_class(hint, "-hint")
        error.set_class(warning and bool(message), "-warning")

    def judgement(self, values: Values) -> tuple[dict[str, str], dict[str, str]]:
        """(refused, warned) by the plausibility rules, as of the app's today and against the caseload."""
        if not isinstance(self.section, JudgedSection):
            return {}, {}
        if self._cprs is None:
            snapshot = getattr(self.app, "snapshot", None)
            self._cprs = cprs_in(snapshot.families.values()) if snapshot is not None else {}
        return self.section.judge(values, self.app.today, self._cprs)

    def warnings(self) -> dict[str, str]:
        """What is unusual about the values as they stand ({} while anything is wrong)."""
        values, problems = self.parsed()
        if problems or self.section.check(values):
            return {}
        refused, warned = self.judgement(values)
        return {} if refused else warned

    def show_warnings(self, warned: dict[str, str]) -> None:
        """The warnings under their fields (where no error stands), and the save button and keys to match."""
        for key in self.fields:
            shown = self.query_one(f"#error-{key}", Static)
            if shown.has_class("-warning") or not shown.has_class("-shown"):
                self.show_error(key, warned.get(key), warning=True)
        asking = bool(warned) and warned == self.acknowledged
        button = self.query_one("#save", Button)
        button.label = "Gem alligevel" if asking else "Gem"
        button.variant = "warning" if asking else "primary"
        self.query_one("#keys", Static).update(self.keys_line(KEYS_WARNED if asking else KEYS))

    def keys_line(self, line: str) -> str:
        return line.format(save=key_of(self, "form.save"), cancel=key_of(self, "form.cancel"))

    def check_field(self, key: str, *, typing: bool = False) -> None:
        """Check one field; while a date is still being typed, say what is expected instead of 'wrong'."""
        field = self.fields[key]
        try:
            parse_field(field, self.raw(key))
        except KasseError as error:
            if typing and field.kind is Kind.DATE and _DATE_SO_FAR.fullmatch(self.raw(key).strip()):
                self.show_error(key, "skriv DD-MM-ÅÅÅÅ", hint=True)
            else:
                self.show_error(key, error.message)
        else:
            self.show_error(key, self.across_fields().get(key) if self.tried else None)

    def across_fields(self) -> dict[str, str]:
        values, problems = self.parsed()
        if problems:
            return {}
        return self.section.check(values) or self.judgement(values)[0]

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Input.Changed | Select.Changed | TextArea.Changed) -> None:
        widget_id = event.control.id or ""
        if widget_id.startswith("field-"):
            self.check_field(widget_id.removeprefix("field-"), typing=isinstance(event, Input.Changed))
            if self.acknowledged is not None:
                self.show_warnings(self.warnings())

    @on(Input.Blurred)
    def _left_field(self, event: Input.Blurred) -> None:
        widget_id = event.input.id or ""
        if widget_id.startswith("field-") and self.is_mounted:
            self.check_field(widget_id.removeprefix("field-"))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # -- actions

    def action_save(self) -> None:
        self.tried = True
        values, problems = self.parsed()
        warned: dict[str, str] = {}
        if not problems:
            problems = self.section.check(values)
        if not problems:
            problems, warned = self.judgement(values)
        for key in self.fields:
            self.show_error(key, problems.get(key))
        if problems:
            first = next(key for key in self.fields if key in problems)
            self.query_one(f"#field-{first}").focus()
            self.notify(f"{self.fields[first].label}: {problems[first]}", title="Ikke gemt", severity="error")
            return
        if warned and warned != self.acknowledged:
            self.acknowledged = warned
            self.show_warnings(warned)
            first = next(key for key in self.fields if key in warned)
            self.query_one(f"#field-{first}").focus()
            self.notify(
                f"{self.fields[first].label}: {warned[first]}\nTryk {key_of(self, 'form.save')} igen for at gemme alligevel.",
                title="Usædvanligt - ikke gemt endnu",
                severity="warning",
            )
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        if not self.is_dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Du har ændringer, der ikke er gemt. Kassér dem?", "Kassér", "Bliv"), answered
        )
