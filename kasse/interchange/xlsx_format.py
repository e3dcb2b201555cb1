"""Excel (.xlsx) files in and out with openpyxl: the CSV format's columns on one sheet.

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
from datetime import date
from pathlib import Path

from kasse.errors import KasseError
from kasse.interchange.columns import COLUMNS, DATE_COLUMNS, shown
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


def read_xlsx(path: Path | str) -> Sheet:
    """The first sheet of an Excel workbook as a Sheet (row numbers as Excel shows them).

    Read within the bounds above, so a hostile workbook costs little time and memory; formula cells are
    refused, and whatever openpyxl meets in a broken file is one Danish line."""
    name = str(path)
    _check_size(Path(path), name)
    try:
        with warnings.catch_warnings():  # openpyxl warns on stderr about what it skips in a workbook
            warnings.simplefilter("ignore")
            _check_archive(path, name)
            return _read_first_sheet(path, name)
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
        raise KasseError(f"Filen {name} kan ikke læses: {error.strerror}") from None
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


def _read_first_sheet(path: Path | str, name: str) -> Sheet:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        worksheet = workbook.worksheets[0]
        worksheet.reset_dimensions()  # a size the file states may be a lie: each row is as wide as its cells
        header: list[object] | None = None
        data: list[tuple[int, list[object]]] = []
        formulas: list[tuple[int, int, str]] = []
        cells = 0
        for number, row in enumerate(worksheet.iter_rows(), start=1):
            cells += len(row)
            if number > MAX_ROWS or cells > MAX_CELLS:
                raise KasseError(
                    f"Filen {name} har flere rækker eller celler, end en import kan tage (højst "
                    f"{MAX_ROWS - 1} personer og {MAX_CELLS} celler) - del regnearket op"
                )
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
    finally:
        workbook.close()
    if header is None:
        raise KasseError(f"Filen {name} er tom")
    while header and header[-1] is None:  # Excel may report formatted but empty columns
        header = header[:-1]
    names = ["" if cell is None else str(cell) for cell in header]
    if formulas:
        raise InvalidSheet([_formula_problem(names, *formula) for formula in formulas])
    return Sheet(names, data)


def _formula_problem(header: list[str], row: int, position: int, formula: str) -> CellProblem:
    column = header[position] if position < len(header) and header[position] else f"nr. {position + 1}"
    return CellProblem(
        row,
        column,
        formula,
        "cellen er en formel; kasse læser kun værdier - indsæt værdien i stedet (Kopiér, Indsæt speciel, Værdier)",
    )


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
        return KasseError(
            f"{where}: teksten har {len(text)} tegn, men en celle i Excel kan højst rumme "
            f"{MAX_CELL_TEXT}; eksportér som JSON eller CSV i stedet"
        )
    control = ord(_NOT_IN_XLSX.search(text).group())
    return KasseError(
        f"{where}: teksten indeholder styretegnet U+{control:04X}, som et Excel-regneark ikke kan "
        "rumme; ret feltet, eller eksportér som JSON eller CSV i stedet"
    )


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
