"""Excel (.xlsx) files in and out with openpyxl: the CSV format's columns on one sheet, the journal and the tasks
on a sheet each (journal_sheet.py).

The rows mean exactly what they mean in CSV (`sheet.py` turns them into
kasse/v1); only the cells differ: dates are real Excel dates, numbers and
booleans real numbers and booleans, so the sheet sorts and filters in Excel.
Every text is a text cell, never a formula: `=HYPERLINK(...)` in a name is
written, shown and read back as those characters (openpyxl would otherwise
store a text beginning with `=` as a live formula, and `#N/A` as an error).
A workbook read is bounded (file, unpacked and row sizes) and a formula cell
in it refused: its value may be stale, or never computed.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path

from kasse.errors import KasseError, os_reason
from kasse.interchange.columns import COLUMNS, DATE_COLUMNS, shown
from kasse.interchange.journal_sheet import COLUMNS as JOURNAL_COLUMNS
from kasse.interchange.journal_sheet import EXACT_COLUMNS, JOURNAL, TASKS, JournalSheets, excel_value
from kasse.interchange.sheet import CellProblem, InvalidSheet, Sheet, document_rows
from kasse.interchange.textfile import replace_file
from kasse.safe_text import FORMULA_START, terminal_safe

SHEET_TITLE = "kasse"
MAX_CELL_TEXT = 32_767  # Excel's limit for a cell; openpyxl would cut a longer text without a word
# What an import reads at most. A caseload of 10,000 persons is a 2 MB file of 15 MB unpacked, its sheet
# packed 9 to 1; a zip bomb (a small file that unpacks to gigabytes) or a sheet that claims a billion rows
# is refused before it can take the memory or the time.
MAX_FILE_BYTES = 64 * 2**20
MAX_UNPACKED_BYTES = 256 * 2**20
MAX_RATIO = 100  # unpacked to packed size, for a member over 1 MB
MAX_MEMBERS = 1000
MAX_ROWS = 100_001  # the header and 100,000 persons
MAX_CELLS = 10_000_000
# What XML 1.0 - and so an .xlsx file - cannot hold at all (tab, line feed and carriage return it can).
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NOT_KEPT_EXACTLY = re.compile("[\x00-\x08\x0b-\x1f]")  # and carriage return, which XML reads as a line feed


def read_xlsx(path: Path | str) -> Sheet:
    """The first sheet of an Excel workbook (the caseload's) as a Sheet (row numbers as Excel shows them)."""
    return read_workbook(path)[0]


def read_workbook(path: Path | str) -> tuple[Sheet, JournalSheets]:
    """The first sheet of an Excel workbook (the caseload's), and the sheets titled `journal` and `tasks`.

    Read within the bounds above, so a hostile workbook costs little time and memory; formula cells are
    refused, and whatever openpyxl meets in a broken file is one Danish line."""
    name = str(path)
    _check_size(Path(path), name)
    try:
        with warnings.catch_warnings():  # openpyxl warns on stderr about what it skips in a workbook
            warnings.simplefilter("ignore")
            _check_archive(path, name)
            return _read_sheets(path, name)
    except KasseError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl and zipfile raise all kinds (KeyError, XML, zlib, ...) on a broken file
        raise KasseError(
            f"Filen {name} kan ikke læses som et Excel-regneark (.xlsx): den er beskadiget eller ikke et regneark"
        ) from None


def _check_size(path: Path, name: str) -> None:
    """Refuse a path that is no file, or a file larger than an import can need."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise KasseError(f"Filen {name} findes ikke") from None
    except OSError as error:
        raise KasseError(f"Filen {name} kan ikke læses: {os_reason(error)}") from None
    if not path.is_file():
        raise KasseError(f"{name} er en mappe, ikke en fil")
    if size > MAX_FILE_BYTES:
        raise KasseError(
            f"Filen {name} fylder {size // 2**20} MB; et regneark til import må højst fylde "
            f"{MAX_FILE_BYTES // 2**20} MB - del det op"
        )


def _check_archive(path: Path | str, name: str) -> None:
    """Refuse an archive that would unpack to more than an import can need, or that holds a DTD.

    Excel never writes a DTD (the package format forbids one), and a DTD is what entity attacks (billion
    laughs, external entities) need: refused here at once, instead of by the XML parser's own limits later."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        packed_hard = any(
            member.file_size > 2**20 and member.file_size > MAX_RATIO * member.compress_size for member in members
        )
        if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or packed_hard:
            raise KasseError(
                f"Filen {name} udpakkes til mere, end et regneark til import kan indeholde "
                "(måske en såkaldt zip-bombe); den indlæses ikke"
            )
        for member in members:
            with archive.open(member) as stream:
                if b"<!DOCTYPE" in stream.read(4096):
                    raise KasseError(f"Filen {name} indeholder en DTD (<!DOCTYPE>), som et Excel-regneark aldrig har")


def _read_sheets(path: Path | str, name: str) -> tuple[Sheet, JournalSheets]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        budget = _Budget(name)
        caseload = _read_sheet(workbook.worksheets[0], name, budget, "")
        journal = JournalSheets()
        for worksheet in workbook.worksheets[1:]:
            if worksheet.title in (JOURNAL, TASKS) and getattr(journal, worksheet.title) is None:
                setattr(journal, worksheet.title, _read_sheet(worksheet, name, budget, worksheet.title))
    finally:
        workbook.close()
    return caseload, journal


class _Budget:
    """The rows and cells a workbook may hold in all, counted across its sheets as they are read."""

    def __init__(self, name: str) -> None:
        self.name, self.rows, self.cells = name, 0, 0

    def spend(self, cells: int) -> None:
        self.rows, self.cells = self.rows + 1, self.cells + cells
        if self.rows > MAX_ROWS or self.cells > MAX_CELLS:
            raise KasseError(
                f"Filen {self.name} har flere rækker eller celler, end en import kan tage (højst "
                f"{MAX_ROWS - 1} personer og {MAX_CELLS} celler) - del regnearket op"
            )


def _read_sheet(worksheet, name: str, budget: _Budget, title: str) -> Sheet:
    """One worksheet as a Sheet; `title` names it in problems (empty for the caseload's)."""
    worksheet.reset_dimensions()  # a size the file states may be a lie: each row is as wide as its cells
    header: list[object] | None = None
    data: list[tuple[int, list[object]]] = []
    formulas: list[tuple[int, int, str]] = []
    for number, row in enumerate(worksheet.iter_rows(), start=1):
        budget.spend(len(row))
        values = []
        for position, cell in enumerate(row):
            if cell.data_type == "f":  # the text of a formula, or of an array formula
                formulas.append((number, position, shown(getattr(cell.value, "text", cell.value))))
                values.append(None)
            else:
                values.append(cell.value)
        if header is None:
            header = values
        elif any(value is not None and str(value).strip() for value in values):
            data.append((number, values))
    if header is None:
        raise KasseError(f"Filen {name} er tom" if not title else f"Arket {title} i filen {name} er tomt")
    while header and header[-1] is None:  # Excel may report formatted but empty columns
        header = header[:-1]
    names = ["" if cell is None else str(cell) for cell in header]
    if formulas:
        raise InvalidSheet([_formula_problem(names, *formula, title) for formula in formulas])
    return Sheet(names, data)


def _formula_problem(header: list[str], row: int, position: int, formula: str, sheet: str) -> CellProblem:
    column = header[position] if position < len(header) and header[position] else f"nr. {position + 1}"
    return CellProblem(
        row,
        column,
        formula,
        "cellen er en formel; kasse læser kun værdier - indsæt værdien i stedet (Kopiér, Indsæt speciel, Værdier)",
        sheet,
    )


def _cell(column: str, value: object) -> object:
    if value is None:
        return None
    if column in DATE_COLUMNS and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _check_texts(rows: list[dict[str, object]], title: str = "") -> None:
    """Refuse a text an Excel cell cannot hold whole, rather than write it changed - before the workbook is begun.

    A note's text, a title or an author (`journal_sheet.EXACT_COLUMNS`) is read back exactly, so a carriage
    return, which the sheet's XML would give back as a line feed, is refused in them too."""
    sheet = f"arket {title}, " if title else ""
    for number, row in enumerate(rows, start=2):  # as Excel numbers the rows: the header is row 1
        for column, value in row.items():
            if not isinstance(value, str):
                continue
            exact = bool(title) and column in EXACT_COLUMNS
            if len(value) > MAX_CELL_TEXT or (_NOT_KEPT_EXACTLY if exact else _NOT_IN_XLSX).search(value):
                raise _refusal(value, f"{sheet}række {number} ({_who(row, title)}), kolonne {column}")


def _who(row: dict[str, object], title: str) -> str:
    if title:
        return f"{'notat' if title == JOURNAL else 'opgave'} {terminal_safe(str(row.get('uid')))}"
    ref = row.get("ref") or row.get("family.ref")
    return f"{'person' if row.get('ref') else 'familie'} {terminal_safe(str(ref))}"


def _refusal(text: str, where: str) -> KasseError:
    if len(text) > MAX_CELL_TEXT:
        return KasseError(
            f"{where}: teksten har {len(text)} tegn, men en celle i Excel kan højst rumme "
            f"{MAX_CELL_TEXT}; eksportér som JSON eller CSV i stedet"
        )
    control = ord((_NOT_IN_XLSX.search(text) or _NOT_KEPT_EXACTLY.search(text)).group())
    return KasseError(
        f"{where}: teksten indeholder styretegnet U+{control:04X}, som et Excel-regneark ikke kan "
        "rumme; ret feltet, eller eksportér som JSON eller CSV i stedet"
    )


def write_xlsx(doc: dict, target: Path | str) -> int:
    """The document as an Excel workbook: the caseload on the first sheet, the journal and the tasks on sheets
    of their own (written even when empty), each with its header in row 1; returns the caseload's data rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if str(target) == "-":
        raise KasseError("Et Excel-regneark kan ikke skrives til standardoutput; angiv et filnavn")
    rows = list(document_rows(doc))
    _check_texts(rows)
    records = {part: [dict(item) for item in doc.get(part) or []] for part in (JOURNAL, TASKS)}
    for part, items in records.items():
        _check_texts(items, part)
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    _write_sheet(workbook, SHEET_TITLE, COLUMNS, rows, _cell, bold)
    for part, items in records.items():
        _write_sheet(workbook, part, JOURNAL_COLUMNS[part], items, excel_value, bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    replace_file(Path(target), buffer.getvalue())
    return len(rows)


def _write_sheet(workbook, title: str, columns: tuple[str, ...], rows: list[dict], value_of, bold) -> None:
    """One sheet: the header in bold, then a row per dict; dates and times as Excel's, every text a text cell."""
    from openpyxl.cell import WriteOnlyCell

    sheet = workbook.create_sheet(title)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            value = value_of(column, row.get(column))
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(value, date) or column in DATE_COLUMNS:
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell.data_type = "s"  # openpyxl takes a text beginning with '=' for a formula, '#N/A' for an error
                cell.number_format = "@"  # text stays text: a CPR number or '0123' is not a number
                if value.startswith(FORMULA_START):
                    cell.quotePrefix = True  # and Excel's quote prefix keeps it text when it is edited
            cells.append(cell)
        sheet.append(cells)
