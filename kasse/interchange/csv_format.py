"""Spreadsheet rows <-> kasse/v1: one row per person, CSV files in and out, and the problem report.

A sheet (CSV here, XLSX in `xlsx_format.py`) is turned into a kasse/v1
document and validated by `v1.parse_document`, so a spreadsheet import
follows exactly the JSON import's rules; its problems are then mapped back
to "række N, kolonne X, værdi V". Lists (goals, the plan's and the
contract's follow-ups, checklist, contract activities) are not columns: a
row for a person or family already in the database is laid over that stored
record (`stored`), so an import changes the columns in the file and keeps
everything else.

Free text in a CSV file is quoted against formulas the OWASP way (`=SUM(A1)`
is written `'=SUM(A1)`, see `safe_text.quote_formula`) and unquoted on
import, in the columns of TEXT_COLUMNS only: dates, numbers, booleans, codes
and the CPR number are never free text.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kasse.errors import KasseError, problem_list
from kasse.interchange.fields import Problem
from kasse.interchange.textfile import read_utf8, replace_file
from kasse.interchange.v1 import FORMAT, InvalidDocument, parse_document
from kasse.safe_text import quote_formula, terminal_safe, unquote_formula

FAMILY_PREFIX = "family."
# The columns, in the order an export writes them: the family's scalar fields, then the member's.
COLUMNS: tuple[str, ...] = (
    "family.ref", "family.coordinating_department", "family.housing", "family.housing_since",
    "family.plan.made_date", "family.plan.followup_months",
    "ref", "name", "cpr", "birth_date", "category", "role", "nationality",
    "takeover_date", "left_date", "left_reason",
    "programme.exempt_reason", "programme.start_date",
    "um_decision.date", "um_decision.offered",
    "contract.signed_date", "contract.goal_kind", "contract.goal",
    "danish.referral_date", "danish.start_date", "danish.provider", "danish.track", "danish.hours_per_week",
    "danish.paused_from", "danish.paused_to", "danish.passed_date",
    "plan_offer.offered_date", "plan_offer.answer",
    "health.need", "health.need_date",
    "health.offered_date", "health.declined_date", "health.guidance_date", "health.consent",
    "health.result_received_date",
    "assessment.education", "assessment.work_experience", "assessment.languages", "assessment.literacy",
    "assessment.health_summary",
)  # fmt: skip
FAMILY_COLUMNS = tuple(column for column in COLUMNS if column.startswith(FAMILY_PREFIX))
PERSON_COLUMNS = tuple(column for column in COLUMNS if not column.startswith(FAMILY_PREFIX))
DATE_COLUMNS = frozenset(column for column in COLUMNS if column.endswith(("date", "_since", "_from", "_to")))
BOOLEAN_COLUMNS = frozenset({"um_decision.offered", "health.consent", "health.need"})
NUMBER_COLUMNS = frozenset({"danish.hours_per_week", "family.plan.followup_months"})
# What people type freely - refs, names, notes: the columns a spreadsheet could read as a formula (docs/format.md).
TEXT_COLUMNS = frozenset({
    "family.ref", "family.coordinating_department", "ref", "name", "nationality", "left_reason",
    "contract.goal", "danish.provider", "assessment.education", "assessment.work_experience",
    "assessment.languages", "assessment.literacy", "assessment.health_summary",
})  # fmt: skip

_DANISH_DATE = re.compile(r"(\d{1,2})[-.](\d{1,2})[-.](\d{4})")
_TRUE, _FALSE = frozenset({"true", "ja"}), frozenset({"false", "nej"})
_KINDS = {
    **{column: "date" for column in DATE_COLUMNS},
    **{column: "boolean" for column in BOOLEAN_COLUMNS},
    **{column: "number" for column in NUMBER_COLUMNS},
}


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One thing wrong in a sheet, where a spreadsheet user finds it: row (header = 1), column, value."""

    row: int | None
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = [f"række {self.row}" if self.row is not None else "filen"]
        if self.column:
            where.append(f"kolonne {self.column}")
        if self.value:
            where.append(f"værdi '{self.value}'")
        # Printed to a terminal: a hostile file's escape sequences are shown, not obeyed.
        return terminal_safe(f"{', '.join(where)}: {self.reason}")


class InvalidSheet(KasseError):
    """A spreadsheet that is not valid kasse/v1; `problems` lists every fault, by row."""

    def __init__(self, problems: list[CellProblem]) -> None:
        self.problems = list(problems)
        heading = f"Regnearket er ikke gyldigt {FORMAT} ({len(self.problems)} fejl):"
        super().__init__(problem_list(heading, self.problems))


def write_report(problems: Iterable[CellProblem | Problem], target: Path) -> None:
    """The problems as a `;`-separated UTF-8 CSV with BOM (række, kolonne, værdi, årsag) that Excel opens.

    Every text is quoted against formulas: the values come from the file that failed, which may be hostile."""
    rows: list[list[object]] = [["række", "kolonne", "værdi", "årsag"]]
    for problem in problems:
        if isinstance(problem, CellProblem):
            row = [problem.row if problem.row is not None else "", problem.column, problem.value, problem.reason]
        else:  # a JSON problem: the record stands where the row would
            row = [problem.record, problem.field, "", problem.reason]
        rows.append([quote_formula(cell) if isinstance(cell, str) else cell for cell in row])
    replace_file(target, _csv_bytes(rows, unencodable="replace"))  # a lone surrogate from the file becomes '?'


# --------------------------------------------------------------------------- cells


def cell_value(column: str, raw: object) -> object:
    """A cell as the kasse/v1 value it stands for; a value that cannot be read stays as typed, for the report."""
    if type(raw) is str:  # every CSV cell: the fast path (an import reads ~40 cells a person)
        text = raw.strip()
        if not text:
            return None
        kind = _KINDS.get(column)
        if kind is None:
            return text
        if kind == "date":
            return text if _is_iso(text) else _iso_date(text)
        if kind == "boolean":
            folded = text.casefold()
            return True if folded in _TRUE else False if folded in _FALSE else text
        return _number(text)
    if raw is None:
        return None
    if isinstance(raw, datetime):  # XLSX dates come as datetimes
        raw = raw.date() if column in DATE_COLUMNS else raw
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw.isoformat() if column in DATE_COLUMNS else raw.strftime("%d-%m-%Y")
    if isinstance(raw, bool):
        return raw if column in BOOLEAN_COLUMNS else str(raw).lower()
    if isinstance(raw, int):
        return raw if column in NUMBER_COLUMNS else str(raw)
    if isinstance(raw, float):
        if column in NUMBER_COLUMNS:
            return raw
        return str(int(raw)) if raw.is_integer() else str(raw)
    return cell_value(column, str(raw))


def _is_iso(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-"


def _iso_date(text: str) -> str:
    """DD-MM-YYYY and DD.MM.YYYY as ISO; anything else (an impossible date too) as typed."""
    match = _DANISH_DATE.fullmatch(text)
    if match is None:
        return text
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


def _number(text: str) -> object:
    """'18', '7,5' (Danish) or '7.5' as a number; anything else as typed."""
    candidate = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        return int(candidate)
    except ValueError:
        pass
    try:
        return float(candidate)
    except ValueError:
        return text


def shown(raw: object) -> str:
    """A cell as the caseworker sees it, for a report."""
    if raw is None:
        return ""
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    return str(raw)


# --------------------------------------------------------------------------- sheet -> document


@dataclass
class Sheet:
    """A read sheet: header cells and the data rows with their spreadsheet numbers (header = row 1).

    `formulas_quoted`: the text columns' cells may carry quote_formula's apostrophe (a CSV file); an Excel
    sheet holds text as text and needs none."""

    header: list[str]
    rows: list[tuple[int, list[object]]]
    formulas_quoted: bool = False

    def refs(self) -> tuple[set[str], set[str]]:
        """The family refs and person refs the rows name (for reading the stored records first)."""
        positions = {name: index for index, name in enumerate(self.header)}
        families, persons = set(), set()
        for _, cells in self.rows:
            for column, found in (("family.ref", families), ("ref", persons)):
                index = positions.get(column)
                value = cell_value(column, cells[index]) if index is not None and index < len(cells) else None
                if isinstance(value, str):
                    found.add(unquote_formula(value) if self.formulas_quoted else value)
        return families, persons


class _Locator:
    """Maps parse_document's record names back to the rows they came from."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.cells: dict[int, dict[str, object]] = {}

    def add(self, record: str, row: int) -> None:
        self.rows.setdefault(record, row)  # a family's problems are shown on its first row

    def locate(self, problem: Problem) -> CellProblem:
        row = self.rows.get(problem.record)
        if row is None:
            return CellProblem(None, problem.field, "", f"{problem.record}: {problem.reason}")
        is_family = ", person " not in problem.record and ", members[" not in problem.record
        column = (FAMILY_PREFIX if is_family else "") + re.sub(r"\[\d+\].*$", "", problem.field)
        value, reason = shown(self.cells[row].get(column)), problem.reason
        if column in DATE_COLUMNS and reason.endswith("er ikke en dato på formen ÅÅÅÅ-MM-DD"):
            # A sheet may also write DD-MM-ÅÅÅÅ: say so, and call an impossible one what it is.
            impossible = _DANISH_DATE.fullmatch(value.strip())
            reason = f"datoen {value.strip()} findes ikke" if impossible else f"{reason} eller DD-MM-ÅÅÅÅ"
        return CellProblem(row, column, value, reason)


def _set(target: dict, path: tuple[str, ...], value: object) -> None:
    """Set `value` at a column's path (split on '.'), making the objects on the way."""
    for parent in path[:-1]:
        child = target.get(parent)
        if not isinstance(child, dict):
            child = target[parent] = {}
        target = child
    target[path[-1]] = value


def sheet_to_document(
    sheet: Sheet, stored_families: dict[str, dict], stored_persons: dict[str, dict]
) -> tuple[dict, _Locator, list[CellProblem]]:
    """The kasse/v1 document the rows describe, laid over the stored records they name, and the rows' own faults.

    `stored_*` are canonical kasse/v1 objects (`v1.dump_family`) by ref. A
    column present in the file replaces the stored value (an empty cell
    clears it); what has no column - lists above all - is kept. A header
    fault (unknown or repeated column, no family.ref) raises InvalidSheet;
    a row without family.ref, a repeated person ref or a family given two
    values is returned as a problem (the row is left out of the document).
    """
    problems: list[CellProblem] = []
    header = [str(name).strip() if name is not None else "" for name in sheet.header]
    for position, name in enumerate(header):
        if name not in COLUMNS:
            problems.append(CellProblem(1, name or f"nr. {position + 1}", "", _unknown_column(name)))
    seen: set[str] = set()
    for name in header:
        if name in seen and name in COLUMNS:
            problems.append(CellProblem(1, name, "", "kolonnen står to gange"))
        seen.add(name)
    if "family.ref" not in header:
        problems.append(CellProblem(1, "family.ref", "", "kolonnen mangler (hver række skal høre til en familie)"))
    if problems:
        raise InvalidSheet(problems)

    family_columns = [
        (name, tuple(name.removeprefix(FAMILY_PREFIX).split("."))) for name in header if name.startswith(FAMILY_PREFIX)
    ]
    person_columns = [(name, tuple(name.split("."))) for name in header if not name.startswith(FAMILY_PREFIX)]
    locator = _Locator()
    width = len(header)
    quoted = [name for name in header if name in TEXT_COLUMNS] if sheet.formulas_quoted else []
    person_rows: dict[str, int] = {}
    families: dict[str, dict] = {}
    family_values: dict[str, dict[str, tuple[object, int]]] = {}
    for number, cells in sheet.rows:
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        elif len(cells) > width:
            stray = next((at for at in range(width, len(cells)) if shown(cells[at]).strip()), None)
            if stray is not None:
                problems.append(CellProblem(number, f"nr. {stray + 1}", shown(cells[stray]), "værdi uden kolonnenavn"))
        raw = dict(zip(header, cells))
        locator.cells[number] = raw
        values = dict(zip(header, map(cell_value, header, cells)))
        for name in quoted:  # after cell_value's strip: a quoted leading tab is kept, as it was exported
            value = values[name]
            if isinstance(value, str):
                values[name] = unquote_formula(value)
        family_ref = values["family.ref"]
        if not isinstance(family_ref, str):
            problems.append(CellProblem(number, "family.ref", shown(raw["family.ref"]), "mangler"))
            continue
        family = families.get(family_ref)
        if family is None:
            family = families[family_ref] = _family_base(stored_families.get(family_ref), family_ref)
            family_values[family_ref] = {}
        locator.add(f"familie {family_ref}", number)
        for name, path in family_columns:
            value, earlier = values[name], family_values[family_ref].get(name)
            if value is None:
                continue
            if earlier is None:
                family_values[family_ref][name] = (value, number)
                _set(family, path, value)
            elif earlier[0] != value:
                reason = f"familien {family_ref} har en anden værdi i række {earlier[1]}"
                problems.append(CellProblem(number, name, shown(raw[name]), reason))
        if all(values[name] is None for name, _ in person_columns):
            continue  # a row for the family alone (a family without members)
        stored = stored_persons.get(values.get("ref"))
        person = copy.deepcopy(stored) if stored is not None else {}
        for name, path in person_columns:
            value = values[name]
            if value is not None or stored is not None:  # on a stored person an empty cell clears the field
                _set(person, path, value)
        if isinstance(person.get("um_decision"), dict) and all(v is None for v in person["um_decision"].values()):
            person["um_decision"] = None
        ref = person.get("ref")
        if isinstance(ref, str) and ref in person_rows:  # caught here: two records of one name cannot be told apart
            reason = f"'{ref}' bruges allerede i række {person_rows[ref]}"
            problems.append(CellProblem(number, "ref", shown(raw.get("ref")), reason))
            continue
        if isinstance(ref, str):
            person_rows[ref] = number
        record = f"person {ref}" if isinstance(ref, str) and ref.strip() else f"members[{len(family['members'])}]"
        locator.add(f"familie {family_ref}, {record}", number)
        family["members"].append(person)
    return {"format": FORMAT, "families": list(families.values())}, locator, problems


def _family_base(stored: dict | None, ref: str) -> dict:
    if stored is None:
        return {"ref": ref, "members": []}
    family = copy.deepcopy(stored)
    family["members"] = []  # only the rows' members are saved; the others stay as they are
    return family


def _unknown_column(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, COLUMNS, n=1)
    return "ukendt kolonne" + (f" (mente du '{close[0]}'?)" if close else "")


def parse_sheet(sheet: Sheet, stored_families: dict[str, dict], stored_persons: dict[str, dict]) -> list:
    """The families of a sheet, validated as kasse/v1; raises InvalidSheet with every problem by row."""
    doc, locator, problems = sheet_to_document(sheet, stored_families, stored_persons)
    try:
        families = parse_document(doc)
    except InvalidDocument as invalid:
        problems += [locator.locate(problem) for problem in invalid.problems]
    if problems:
        problems.sort(key=lambda problem: problem.row if problem.row is not None else sys.maxsize)
        raise InvalidSheet(problems)
    return families


# --------------------------------------------------------------------------- document -> rows


def document_rows(doc: dict) -> Iterator[dict[str, object]]:
    """One dict per member (column -> kasse/v1 value) of a canonical document; a family without members
    gives one row of family columns."""
    for family in doc["families"]:
        family_row = {column: _get(family, column.removeprefix(FAMILY_PREFIX)) for column in FAMILY_COLUMNS}
        if not family["members"]:
            yield family_row
        for person in family["members"]:
            yield {**family_row, **{column: _get(person, column) for column in PERSON_COLUMNS}}


def _get(obj: dict, path: str) -> object:
    for key in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def csv_text(value: object) -> str:
    """A kasse/v1 value as a CSV cell: empty for null, true/false, a decimal comma for Danish Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)).replace(".", ",")
    return str(value)


# --------------------------------------------------------------------------- CSV files


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


def write_csv(doc: dict, target: str | Path) -> int:
    """The document as CSV for Danish Excel (`;`, UTF-8 with BOM, CRLF); returns the number of rows."""
    rows: list[list[object]] = [list(COLUMNS)]
    rows += [[_csv_cell(column, row.get(column)) for column in COLUMNS] for row in document_rows(doc)]
    data = _csv_bytes(rows)
    if str(target) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        replace_file(Path(target), data)
    return len(rows) - 1


def _csv_cell(column: str, value: object) -> str:
    text = csv_text(value)
    return quote_formula(text) if column in TEXT_COLUMNS else text


def _csv_bytes(rows: list[list[object]], *, unencodable: str = "strict") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig", errors=unencodable)
