"""The journal's notes and the tasks as spreadsheets: a sheet each (Excel) or a file each beside the caseload's
(CSV), one row per note or task, the columns their kasse/v1 keys.

A row is read as the kasse/v1 object it stands for and checked by the JSON
reader (`v1_journal.JournalReader`), so a sheet follows the JSON rules; its
problems name the sheet, row, column and value. Cells are read leniently,
as the caseload's are (columns.py): DD-MM-ÅÅÅÅ dates, `DD-MM-ÅÅÅÅ TT:MM`
times, a kind as its Danish word ("telefon"). The free texts - a note's
text, a title, an author - are kept exactly, spaces and line breaks
included: a note is a record that is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from kasse.errors import KasseError
from kasse.interchange import v1_keys as keys
from kasse.interchange.columns import lenient_date, shown
from kasse.interchange.fields import Problem
from kasse.interchange.sheet import CellProblem, InvalidSheet, Sheet
from kasse.interchange.v1_journal import JournalReader
from kasse.journal import JournalNote, Task, note_kind
from kasse.safe_text import unquote_formula

JOURNAL, TASKS = "journal", "tasks"  # the sheets' titles, the CSV files' middle names, the kasse/v1 keys
COLUMNS = {JOURNAL: keys.NOTE, TASKS: keys.TASK}
REQUIRED = {
    JOURNAL: ("uid", "family", "written_at", "author", "kind", "text"),
    TASKS: ("uid", "family", "title", "due", "created_at", "author"),
}
MOMENT_COLUMNS = frozenset({"written_at", "created_at"})
DATE_COLUMNS = frozenset({"due", "done"})
# Typed freely, so quoted against formulas in CSV (quote_formula); codes, dates and times never are.
TEXT_COLUMNS = frozenset({"uid", "family", "person", "author", "text", "corrects", "title"})
# Kept exactly as written; the other cells lose the spaces around them.
EXACT_COLUMNS = frozenset({"text", "title", "author"})

_DANISH_MOMENT = re.compile(r"(\d{1,2})[-.](\d{1,2})[-.](\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def companion_path(target: Path, part: str) -> Path:
    """Where the journal's or tasks' CSV file lies beside the caseload's: sager.csv -> sager.journal.csv."""
    stem = target.stem if target.suffix.lower() == ".csv" else target.name
    return target.with_name(f"{stem}.{part}.csv")


def is_companion(path: Path) -> bool:
    return path.name.lower().endswith(tuple(f".{part}.csv" for part in COLUMNS))


# --------------------------------------------------------------------------- sheets -> notes and tasks


@dataclass
class JournalSheets:
    """The journal's and tasks' sheets read beside the caseload's (absent: None), and what to call each in a
    problem (a sheet's title, or a CSV file's name)."""

    journal: Sheet | None = None
    tasks: Sheet | None = None
    names: dict[str, str] = field(default_factory=lambda: {JOURNAL: JOURNAL, TASKS: TASKS})


class RecordLocator:
    """Maps the problems found in a note or task after reading (what it names) back to its sheet and row."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, int, dict[str, object]]] = {}  # record -> (sheet, row, cells)

    def locate(self, problem: Problem) -> CellProblem:
        found = self.rows.get(problem.record)
        if found is None:
            return CellProblem(None, problem.field, "", f"{problem.record}: {problem.reason}")
        sheet, row, cells = found
        return CellProblem(row, problem.field, shown(cells.get(problem.field)), problem.reason, sheet)


def parse_journal_sheets(sheets: JournalSheets) -> tuple[list[JournalNote], list[Task], RecordLocator]:
    """The notes and tasks of the sheets, checked as kasse/v1; raises InvalidSheet with every problem by row."""
    rows = _Rows()
    notes = rows.read(sheets.journal, sheets.names[JOURNAL], JOURNAL)
    tasks = rows.read(sheets.tasks, sheets.names[TASKS], TASKS)
    if rows.problems:
        raise InvalidSheet(rows.problems)
    return notes, tasks, rows.locator


class _Rows:
    """Reads the rows of the journal's and the tasks' sheets; their problems are collected by sheet and row."""

    def __init__(self) -> None:
        self.problems: list[CellProblem] = []
        self.reader = JournalReader([])  # one reader: uids are unique across a sheet's rows
        self.locator = RecordLocator()

    def read(self, sheet: Sheet | None, name: str, part: str) -> list:
        if sheet is None:
            return []
        header = [str(cell).strip() if cell is not None else "" for cell in sheet.header]
        header_problems = _header_problems(header, part, name)
        if header_problems:
            self.problems += header_problems
            return []
        read_one, noun = (self.reader.note, "notat") if part == JOURNAL else (self.reader.task, "opgave")
        found = []
        for number, cells in sheet.rows:
            stray = next((at for at in range(len(cells)) if _unnamed(header, at) and shown(cells[at]).strip()), None)
            if stray is not None:
                value = shown(cells[stray])
                self.problems.append(CellProblem(number, f"nr. {stray + 1}", value, "værdi uden kolonnenavn", name))
            before = len(self.reader.problems)
            record = read_one(_row_item(header, cells, quoted=sheet.formulas_quoted), f"{name}, række {number}")
            # Each problem where the user finds it: the row, the column its field is, the cell as typed.
            raw = dict(zip(header, cells))
            self.problems += [
                CellProblem(number, problem.field, shown(raw.get(problem.field)), problem.reason, name)
                for problem in self.reader.problems[before:]
            ]
            if record is not None:
                self.locator.rows.setdefault(f"{noun} {record.uid}", (name, number, raw))
                found.append(record)
        return found


def _unnamed(header: list[str], position: int) -> bool:
    return position >= len(header) or not header[position]


def _header_problems(header: list[str], part: str, name: str) -> list[CellProblem]:
    """Unknown or repeated columns, and missing required ones; a column without a name is let be (Excel may
    keep an empty but formatted one), but a value under it is a problem of its row."""
    columns, problems, seen = COLUMNS[part], [], set()
    for column in header:
        if column and column not in columns:
            problems.append(CellProblem(1, column, "", "ukendt kolonne", name))
        elif column and column in seen:
            problems.append(CellProblem(1, column, "", "kolonnen står to gange", name))
        seen.add(column)
    problems += [
        CellProblem(1, column, "", "kolonnen mangler", name) for column in REQUIRED[part] if column not in header
    ]
    return problems


def _row_item(header: list[str], cells: list[object], *, quoted: bool) -> dict[str, object]:
    """A row as the kasse/v1 object it stands for: column -> value, an empty cell left out."""
    item: dict[str, object] = {}
    for column, raw in zip(header, cells):
        value = _cell(column, raw)
        if quoted and column in TEXT_COLUMNS and isinstance(value, str):
            value = unquote_formula(value)
        if value is not None and column:
            item[column] = value
    return item


def _cell(column: str, raw: object) -> object:
    if raw is None:
        return None
    if isinstance(raw, datetime):  # an Excel date or time
        if column in DATE_COLUMNS:
            return raw.date().isoformat()
        # Excel keeps a time as a fraction of a day: the nearest second is the one written.
        return (raw + timedelta(microseconds=500_000)).replace(microsecond=0).isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, bool | int | float):
        return str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
    text = str(raw)
    if column in EXACT_COLUMNS:
        return text or None
    text = text.strip()
    if not text:
        return None
    if column in DATE_COLUMNS:
        return lenient_date(text)
    if column in MOMENT_COLUMNS:
        return _lenient_moment(text)
    if column == "kind":
        return _kind_code(text)
    return text


def _kind_code(text: str) -> str:
    """A kind as its code, also when typed as its Danish word ("telefon"); anything else as typed."""
    try:
        return note_kind(text).value
    except KasseError:
        return text


def _lenient_moment(text: str) -> str:
    """DD-MM-ÅÅÅÅ TT:MM[:SS] (as Danish Excel saves a time) as ISO; anything else as typed, for the problem."""
    found = _DANISH_MOMENT.fullmatch(text)
    if found is None:
        return text
    day, month, year, hour, minute, second = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}T{int(hour):02d}:{minute}:{second or '00'}"


# --------------------------------------------------------------------------- notes and tasks -> rows


def excel_value(column: str, value: object) -> object:
    """A kasse/v1 value as an Excel cell holds it: a real date, a real date and time, else as it is."""
    if value is None:
        return None
    if column in DATE_COLUMNS:
        return date.fromisoformat(value)
    if column in MOMENT_COLUMNS:
        return datetime.fromisoformat(value)
    return value


def csv_value(column: str, value: object) -> object:
    """A kasse/v1 value as a CSV cell writes it: a time with a space for the T, which Excel reads as a time."""
    if column in MOMENT_COLUMNS and isinstance(value, str):
        return value.replace("T", " ")
    return value
