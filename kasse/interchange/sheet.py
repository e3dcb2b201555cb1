"""Spreadsheet rows <-> kasse/v1: a sheet (CSV or Excel) as a validated document, and a document as rows.

A sheet is turned into a kasse/v1 document and validated by
`v1.parse_document`, so a spreadsheet import follows exactly the JSON
import's rules; its problems are then mapped back to "række N, kolonne X,
værdi V". Lists (goals, the plan's and the contract's follow-ups,
checklist, contract activities) are not columns: a row for a person or
family already in the database is laid over that stored record (`stored`),
so an import changes the columns in the file and keeps everything else.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from kasse.errors import KasseError, problem_list
from kasse.interchange.columns import (
    COLUMNS,
    DANISH_DATE,
    DATE_COLUMNS,
    FAMILY_COLUMNS,
    FAMILY_PREFIX,
    PERSON_COLUMNS,
    TEXT_COLUMNS,
    cell_value,
    shown,
)
from kasse.interchange.fields import Problem
from kasse.interchange.v1 import FORMAT, InvalidDocument, parse_document
from kasse.safe_text import terminal_safe, unquote_formula

# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One thing wrong in a sheet, where a spreadsheet user finds it: row (header = 1), column, value; and
    `sheet`, the journal's or tasks' sheet (or CSV file) when it is not the caseload's."""

    row: int | None
    column: str
    value: str
    reason: str
    sheet: str = ""

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        where.append(f"række {self.row}" if self.row is not None else "filen")
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
            impossible = DANISH_DATE.fullmatch(value.strip())
            reason = f"datoen {value.strip()} findes ikke" if impossible else f"{reason} eller DD-MM-ÅÅÅÅ"
        return CellProblem(row, column, value, reason)


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
    header = [str(name).strip() if name is not None else "" for name in sheet.header]
    _check_header(header)
    builder = _DocumentBuilder(header, stored_families, stored_persons, formulas_quoted=sheet.formulas_quoted)
    for number, cells in sheet.rows:
        builder.add_row(number, cells)
    return {"format": FORMAT, "families": list(builder.families.values())}, builder.locator, builder.problems


def _check_header(header: list[str]) -> None:
    """Raise InvalidSheet naming every unknown or repeated column, and a missing family.ref."""
    problems: list[CellProblem] = []
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


def _unknown_column(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, COLUMNS, n=1)
    return "ukendt kolonne" + (f" (mente du '{close[0]}'?)" if close else "")


class _DocumentBuilder:
    """Lays a sheet's rows, one at a time, over the stored records they name; collects the rows' faults."""

    def __init__(self, header: list[str], stored_families: dict[str, dict], stored_persons: dict[str, dict],
                 *, formulas_quoted: bool) -> None:
        self.header = header
        self.family_columns = [(name, tuple(name.removeprefix(FAMILY_PREFIX).split(".")))
                               for name in header if name.startswith(FAMILY_PREFIX)]
        self.person_columns = [(name, tuple(name.split("."))) for name in header if not name.startswith(FAMILY_PREFIX)]
        self.quoted = [name for name in header if name in TEXT_COLUMNS] if formulas_quoted else []
        self.stored_families, self.stored_persons = stored_families, stored_persons
        self.problems: list[CellProblem] = []
        self.locator = _Locator()
        self.families: dict[str, dict] = {}
        self.family_values: dict[str, dict[str, tuple[object, int]]] = {}  # ref -> column -> (value, row)
        self.person_rows: dict[str, int] = {}

    def add_row(self, number: int, cells: list[object]) -> None:
        raw, values = self._read(number, cells)
        family_ref = values["family.ref"]
        if not isinstance(family_ref, str):
            self.problems.append(CellProblem(number, "family.ref", shown(raw["family.ref"]), "mangler"))
            return
        family = self._family(family_ref, number, raw, values)
        if all(values[name] is None for name, _ in self.person_columns):
            return  # a row for the family alone (a family without members)
        self._add_person(family, family_ref, number, raw, values)

    def _read(self, number: int, cells: list[object]) -> tuple[dict[str, object], dict[str, object]]:
        """The row's cells by column as typed (kept for the problems) and as kasse/v1 values."""
        width = len(self.header)
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        elif len(cells) > width:
            stray = next((at for at in range(width, len(cells)) if shown(cells[at]).strip()), None)
            if stray is not None:
                self.problems.append(
                    CellProblem(number, f"nr. {stray + 1}", shown(cells[stray]), "værdi uden kolonnenavn"))
        raw = dict(zip(self.header, cells))
        self.locator.cells[number] = raw
        values = dict(zip(self.header, map(cell_value, self.header, cells)))
        for name in self.quoted:  # after cell_value's strip: a quoted leading tab is kept, as it was exported
            value = values[name]
            if isinstance(value, str):
                values[name] = unquote_formula(value)
        return raw, values

    def _family(self, family_ref: str, number: int, raw: dict, values: dict) -> dict:
        """The row's family, with the row's family columns set; a value another row gave differently is a fault."""
        family = self.families.get(family_ref)
        if family is None:
            family = self.families[family_ref] = _family_base(self.stored_families.get(family_ref), family_ref)
            self.family_values[family_ref] = {}
        self.locator.add(f"familie {family_ref}", number)
        given = self.family_values[family_ref]
        for name, path in self.family_columns:
            value, earlier = values[name], given.get(name)
            if value is None:
                continue
            if earlier is None:
                given[name] = (value, number)
                _set(family, path, value)
            elif earlier[0] != value:
                reason = f"familien {family_ref} har en anden værdi i række {earlier[1]}"
                self.problems.append(CellProblem(number, name, shown(raw[name]), reason))
        return family

    def _add_person(self, family: dict, family_ref: str, number: int, raw: dict, values: dict) -> None:
        """The row's person, laid over the stored one of that ref, as a member of `family`."""
        stored = self.stored_persons.get(values.get("ref"))
        person = copy.deepcopy(stored) if stored is not None else {}
        for name, path in self.person_columns:
            value = values[name]
            if value is not None or stored is not None:  # on a stored person an empty cell clears the field
                _set(person, path, value)
        if isinstance(person.get("um_decision"), dict) and all(v is None for v in person["um_decision"].values()):
            person["um_decision"] = None
        ref = person.get("ref")
        if isinstance(ref, str) and ref in self.person_rows:  # here: two records of one name cannot be told apart
            reason = f"'{ref}' bruges allerede i række {self.person_rows[ref]}"
            self.problems.append(CellProblem(number, "ref", shown(raw.get("ref")), reason))
            return
        if isinstance(ref, str):
            self.person_rows[ref] = number
        record = f"person {ref}" if isinstance(ref, str) and ref.strip() else f"members[{len(family['members'])}]"
        self.locator.add(f"familie {family_ref}, {record}", number)
        family["members"].append(person)


def _family_base(stored: dict | None, ref: str) -> dict:
    if stored is None:
        return {"ref": ref, "members": []}
    family = copy.deepcopy(stored)
    family["members"] = []  # only the rows' members are saved; the others stay as they are
    return family


def _set(target: dict, path: tuple[str, ...], value: object) -> None:
    """Set `value` at a column's path (split on '.'), making the objects on the way."""
    for parent in path[:-1]:
        child = target.get(parent)
        if not isinstance(child, dict):
            child = target[parent] = {}
        target = child
    target[path[-1]] = value


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
