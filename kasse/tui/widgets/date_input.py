"""A date field: typed as DD-MM-YYYY (DD.MM.YYYY and ISO accepted), checked as you type, ctrl+t for today."""

from __future__ import annotations

from datetime import date

from textual.binding import Binding
from textual.validation import ValidationResult, Validator
from textual.widgets import Input

from kasse.dates import format_date, parse_date
from kasse.errors import KasseError


class DanishDate(Validator):
    """Valid when empty or a date kasse can read; the failure says why in Danish."""

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()
        try:
            parse_date(value)
        except KasseError as error:
            return self.failure(error.message)
        return self.success()


class DateInput(Input):
    BINDINGS = [Binding("ctrl+t", "today", "I dag", id="form.today", tooltip="Indsæt dagens dato i et datofelt")]

    def __init__(self, value: date | None = None, **kwargs) -> None:
        kwargs.setdefault("placeholder", "DD-MM-ÅÅÅÅ")
        super().__init__(
            format_date(value),
            restrict=r"[0-9.\-]*",
            max_length=10,
            validators=[DanishDate()],
            validate_on=["changed", "blur", "submitted"],
            **kwargs,
        )

    @property
    def date(self) -> date | None:
        """The typed date, or None when empty or not (yet) a date."""
        try:
            return parse_date(self.value) if self.value.strip() else None
        except KasseError:
            return None

    def action_today(self) -> None:
        self.value = format_date(self.app.today)  # the app's "today" (--today), never the wall clock here
        self.cursor_position = len(self.value)
