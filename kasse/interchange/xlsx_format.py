"""Excel (.xlsx) files in and out with openpyxl: the CSV format's columns on one sheet.

The rows mean exactly what they mean in CSV (`csv_format.py` turns them into
kasse/v1); only the cells differ: dates are real Excel dates, numbers and
booleans real numbers and booleans, so the sheet sorts and filters in Excel.
Every text is a text cell, never a formula: `=HYPERLINK(...)` in a name is
written, shown and read back as those characters (openpyxl would otherwise
store a text beginning with `=` as a live formula, and `#N/A` as an error).
"""

from __future__ import annotations

import io
import re
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
from kasse.safe_text import FORMULA_START, terminal_safe

SHEET_TITLE = "kasse"
MAX_CELL_TEXT = 32_767  # Excel's limit for a cell; openpyxl would cut a longer text without a word
# What XML 1.0 - and so an .xlsx file - cannot hold at all (tab, line feed and carriage return it can).
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


def _check_texts(rows: list[dict[str, object]]) -> None:
    """Refuse a text an Excel cell cannot hold whole, rather than write it changed - before the workbook is begun."""
    for number, row in enumerate(rows, start=2):  # as Excel numbers the rows: the header is row 1
        for column, value in row.items():
            if isinstance(value, str) and (len(value) > MAX_CELL_TEXT or _NOT_IN_XLSX.search(value)):
                raise _refusal(value, f"række {number} ({_who(row)}), kolonne {column}")


def _who(row: dict[str, object]) -> str:
    ref = row.get("ref") or row.get("family.ref")
    return f"{'person' if row.get('ref') else 'familie'} {terminal_safe(str(ref))}"


def _refusal(text: str, where: str) -> KasseError:
    if len(text) > MAX_CELL_TEXT:
        return KasseError(f"{where}: teksten har {len(text)} tegn, men en celle i Excel kan højst rumme "
                          f"{MAX_CELL_TEXT}; eksportér som JSON eller CSV i stedet")
    control = ord(_NOT_IN_XLSX.search(text).group())
    return KasseError(f"{where}: teksten indeholder styretegnet U+{control:04X}, som et Excel-regneark ikke kan "
                      "rumme; ret feltet, eller eksportér som JSON eller CSV i stedet")


def write_xlsx(doc: dict, target: Path | str) -> int:
    """The document as one Excel sheet, header in row 1; returns the number of data rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if str(target) == "-":
        raise KasseError("Et Excel-regneark kan ikke skrives til standardoutput; angiv et filnavn")
    rows = list(document_rows(doc))
    _check_texts(rows)
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
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = row.get(column)
            if column in DATE_COLUMNS:
                cell = WriteOnlyCell(sheet, value=_cell(column, value))
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # openpyxl takes a text beginning with '=' for a formula, '#N/A' for an error
                cell.number_format = "@"  # text stays text: a CPR number or '0123' is not a number
                if value.startswith(FORMULA_START):
                    cell.quotePrefix = True  # and Excel's quote prefix keeps it text when it is edited
            else:
                cell = WriteOnlyCell(sheet, value=value)
            cells.append(cell)
        sheet.append(cells)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    replace_file(Path(target), buffer.getvalue())
    return count
