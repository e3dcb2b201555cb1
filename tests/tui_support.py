"""Helpers for the TUI's pilot tests: a real SQLite file written through the store, and waiting for workers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable

from kasse.config import Config
from kasse.domain import Family
from kasse.law import RulesChoice
from kasse.policy import Policy
from kasse.tui.app import KasseApp, make_app
from tests.databases import new_database_file

TODAY = date(2025, 3, 1)


def write_caseload(path: Path, families: Iterable[Family]) -> Path:
    """A database file holding `families`, written as the CLI's import writes them."""
    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families

    database = open_database(path if path.exists() else new_database_file(path))
    try:
        import_families(Store(database, actor="test"), list(families))
    finally:
        database.close()
    return path


def app_on(tmp_path: Path, *families: Family, today: date = TODAY, rules: str = "auto",
           config: Config | None = None) -> KasseApp:
    """The app on a file holding `families`, as of `today`, under `config` (or the defaults with `rules`)."""
    config = config or Config(Policy(rules=RulesChoice(rules)))
    return make_app(write_caseload(tmp_path / "kasse.db", families), today, config)


async def settle(pilot: Pilot) -> None:
    """Let the database workers finish and their results reach the screen."""
    app = pilot.app
    for _ in range(5):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


def cell_text(table: DataTable, row: int, column: int) -> str:
    cell = table.get_row_at(row)[column]
    return cell.plain if isinstance(cell, Text) else str(cell)


def column(table: DataTable, label: str) -> list[str]:
    index = next(i for i, c in enumerate(table.ordered_columns) if str(c.label) == label)
    return [cell_text(table, row, index) for row in range(table.row_count)]


def screen_text(app: KasseApp) -> str:
    """What the terminal shows, as plain text (the SVG screenshot without its markup)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def static_text(widget) -> str:
    """The plain text a Static shows, whatever it was given (str, Text, a Rich table or group)."""
    from io import StringIO

    from rich.console import Console

    content = widget.content
    if isinstance(content, str):
        return content
    console = Console(file=StringIO(), width=200, color_system=None)
    console.print(content)
    return console.file.getvalue()
