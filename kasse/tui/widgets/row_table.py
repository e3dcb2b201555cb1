"""A table whose cursor is a whole row: Home and End go to the first and last row.

Textual's DataTable scrolls sideways on Home and End unless its cursor moves
between cells; on a row table that hid columns and left the highlighted row
where it was, so a person action acted on whoever was highlighted before.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable):
    BINDINGS = [
        Binding("home", "scroll_top", "Første række", show=False, id="table.first",
                tooltip="Gå til første række i en tabel"),
        Binding("end", "scroll_bottom", "Sidste række", show=False, id="table.last",
                tooltip="Gå til sidste række i en tabel"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", **kwargs)
