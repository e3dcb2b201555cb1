"""Excel (.xlsx) files in and out with openpyxl: the CSV format's columns on one sheet.

The rows mean exactly what they mean in CSV (`csv_format.py` turns them into
kasse/v1); only the cells differ: dates are real Excel dates, numbers and
booleans real numbers and booleans, so the sheet sorts and filters in Excel.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from kasse.errors import KasseError
from kasse.interchange.csv_format import (
    COLUMNS,
    DATE_COLUMNS,
    Sheet,
    document_rows,
)
from kasse.interchange.textfile import replace_file

SHEET_TITLE = "kasse"


def read_xlsx(path: Path | str) -> Sheet:
    """The first sheet of an Excel workbook as a Sheet (row numbers as Excel shows them)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = str(path)
    if not Path(path).is_file():
        raise KasseError(f"Filen {name} findes ikke")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise KasseError(f"Filen {name} kan ikke læses som et Excel-regneark (.xlsx)") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise KasseError(f"Filen {name} er tom")
        data = [
            (number, list(cells))
            for number, cells in enumerate(rows, start=2)
            if any(cell is not None and str(cell).strip() for cell in cells)
        ]
    finally:
        workbook.close()
    while header and header[-1] is None:  # Excel may report formatted but empty columns
        header = header[:-1]
    return Sheet(["" if cell is None else str(cell) for cell in header], data)


def _cell(column: str, value: object) -> object:
    if value is None:
        return None
    if column in DATE_COLUMNS and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def write_xlsx(doc: dict, target: Path | str) -> int:
    """The document as one Excel sheet, header in row 1; returns the number of data rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if str(target) == "-":
        raise KasseError("Et Excel-regneark kan ikke skrives til standardoutput; angiv et filnavn")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in document_rows(doc):
        cells = []
        for column in COLUMNS:
            cell = WriteOnlyCell(sheet, value=_cell(column, row.get(column)))
            if column in DATE_COLUMNS:
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(row.get(column), str):
                cell.number_format = "@"  # text stays text: a CPR number or '0123' is not a number
            cells.append(cell)
        sheet.append(cells)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    replace_file(Path(target), buffer.getvalue())
    return count
