"""CSV files of kasse/v1: a Sheet read from CSV, a document written as CSV, and the problem report.

What the rows mean is sheet.py's (shared with Excel, xlsx_format.py); the
columns and cells are columns.py's. Free text in a CSV file is quoted
against formulas the OWASP way (`=SUM(A1)` is written `'=SUM(A1)`, see
`safe_text.quote_formula`) and unquoted on import, in the columns of
TEXT_COLUMNS only: dates, numbers, booleans, codes and the CPR number are
never free text. The journal and the tasks are files of their own beside
the caseload's (journal_sheet.py: `sager.journal.csv`, `sager.tasks.csv`).
The sheet's names are gathered here too, so a CSV caller needs one import.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable
from pathlib import Path

from kasse.errors import KasseError
from kasse.interchange import journal_sheet
from kasse.interchange.columns import (
    BOOLEAN_COLUMNS,
    COLUMNS,
    DATE_COLUMNS,
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
    cell_value,
)
from kasse.interchange.fields import Problem
from kasse.interchange.journal_sheet import JOURNAL, TASKS, JournalSheets, companion_path
from kasse.interchange.sheet import CellProblem, InvalidSheet, Sheet, document_rows, parse_sheet
from kasse.interchange.textfile import read_utf8, replace_file
from kasse.safe_text import quote_formula

__all__ = [
    "BOOLEAN_COLUMNS", "COLUMNS", "DATE_COLUMNS", "NUMBER_COLUMNS", "TEXT_COLUMNS",
    "CellProblem", "InvalidSheet", "Sheet",
    "cell_value", "csv_text", "document_rows", "parse_sheet", "read_csv", "read_journal_csv", "write_csv",
    "write_report",
]  # fmt: skip


def read_csv(path: Path | str) -> Sheet:
    """A CSV file as a Sheet: `,` or `;` (whichever the header uses), UTF-8 with or without BOM."""
    name = str(path)
    text = read_utf8(path, save_as="'CSV UTF-8' i Excel")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, rows, number = None, [], 1
    try:
        header = next(records, None)
        if header is None:
            raise KasseError(f"Filen {name} er tom")
        # Numbered by record, as a spreadsheet shows them: a quoted cell may span lines, an empty row still counts.
        for number, cells in enumerate(records, start=2):
            if any(cell.strip() for cell in cells):
                rows.append((number, list(cells)))
    except csv.Error:  # with this dialect, only a cell over the csv module's limit (131,072 characters)
        failing = 1 if header is None else number + 1
        raise KasseError(
            f"Filen {name} kan ikke læses som CSV: række {failing} har en celle på over {csv.field_size_limit()} tegn"
        ) from None
    return Sheet(list(header), rows, formulas_quoted=True)


def read_journal_csv(source: Path | str) -> JournalSheets:
    """The journal's and tasks' CSV files beside a caseload's (`companion_path`), those there are."""
    sheets = JournalSheets()
    if str(source) == "-":
        return sheets
    for part in (JOURNAL, TASKS):
        path = companion_path(Path(source), part)
        sheets.names[part] = path.name
        if path.exists():
            setattr(sheets, part, read_csv(path))
    return sheets


def write_csv(doc: dict, target: str | Path) -> int:
    """The document as CSV for Danish Excel (`;`, UTF-8 with BOM, CRLF); returns the number of rows.

    To a file, the journal and the tasks go in files of their own beside it (`companion_path`), written even
    when empty: an older journal file left there would otherwise be read with the new export. Standard
    output gets the caseload's rows alone."""
    rows: list[list[object]] = [list(COLUMNS)]
    rows += [[_csv_cell(column, row.get(column)) for column in COLUMNS] for row in document_rows(doc)]
    data = _csv_bytes(rows)
    if str(target) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return len(rows) - 1
    replace_file(Path(target), data)
    for part in (JOURNAL, TASKS):
        columns = journal_sheet.COLUMNS[part]
        records: list[list[object]] = [list(columns)]
        records += [[_record_cell(column, item.get(column)) for column in columns] for item in doc.get(part) or []]
        replace_file(companion_path(Path(target), part), _csv_bytes(records))
    return len(rows) - 1


def _record_cell(column: str, value: object) -> str:
    text = csv_text(journal_sheet.csv_value(column, value))
    return quote_formula(text) if column in journal_sheet.TEXT_COLUMNS else text


def _csv_cell(column: str, value: object) -> str:
    text = csv_text(value)
    return quote_formula(text) if column in TEXT_COLUMNS else text


def _csv_bytes(rows: list[list[object]], *, unencodable: str = "strict") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig", errors=unencodable)


def write_report(problems: Iterable[CellProblem | Problem], target: Path) -> None:
    """The problems as a `;`-separated UTF-8 CSV with BOM (række, kolonne, værdi, årsag) that Excel opens.

    Every text is quoted against formulas: the values come from the file that failed, which may be hostile."""
    rows: list[list[object]] = [["række", "kolonne", "værdi", "årsag"]]
    for problem in problems:
        if isinstance(problem, CellProblem):
            number = problem.row if problem.row is not None else ""
            number = f"{number} ({problem.sheet})" if problem.sheet else number  # the journal's or tasks' sheet
            row = [number, problem.column, problem.value, problem.reason]
        else:  # a JSON problem: the record stands where the row would
            row = [problem.record, problem.field, "", problem.reason]
        rows.append([quote_formula(cell) if isinstance(cell, str) else cell for cell in row])
    replace_file(target, _csv_bytes(rows, unencodable="replace"))  # a lone surrogate from the file becomes '?'


def csv_text(value: object) -> str:
    """A kasse/v1 value as a CSV cell: empty for null, true/false, a decimal comma for Danish Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)).replace(".", ",")
    return str(value)
