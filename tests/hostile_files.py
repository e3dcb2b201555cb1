"""Hostile import files, made reproducibly from a seed: valid kasse files broken in every way a careless tool or
an attacker might - for tests/test_import_fuzz.py (thousands) and bench/fuzz_import.py (tens of thousands).

`hostile_files(kind, count, seed)` yields (what the file attacks, its bytes). Each starts from a valid kasse
file - a demo caseload with its journal and tasks, written as kasse/v1 JSON, CSV (the journal's and tasks' CSV
files too: kind "journal-csv") or Excel - and breaks it: a hostile value at a random place (wrong types,
extreme numbers, dates near year 1 and 9999, lone surrogates, control characters, huge texts, unknown note
kinds, notes naming families, persons or notes that are not there), broken structure (deep nesting, repeated
keys, missing or extra columns, formulas, rows a billion down), or broken bytes (truncated, bit-flipped, wrong
encoding, a zip that unpacks to far more than it holds). `place_file` writes one where an import reads it, and
`parse_outcome` runs it through the import's reading and validation (as into an empty database) and says what
became of it.
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
import random
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

TODAY = date(2026, 1, 1)
FORMATS = ("json", "csv", "xlsx", "journal-csv")
# A refusal is one short message: errors.py caps it at a heading and 20 problems of 300 characters (about 6 KB
# at the very worst); the largest the fuzzing meets is far smaller (bench/fuzz_import.py prints it).
MAX_MESSAGE_BYTES = 8192

HOSTILE_TEXTS = (
    "", " ", "\t", "\n", "\ud800", "a\udfffb", "\x00", "Navn\x00", "\x1b]0;pwned\x07", "\x9b2J", "\u202eevil",
    "\ufeff", "x" * 100_001, "x" * 131_073, "😀" * 500, "Æsa Ødegård", '=HYPERLINK("http://x")', "'=1+1", "+45",
    "-0", "@SUM(A1)", "9999-12-31", "9980-12-31", "9981-01-01", "0001-01-01", "0000-00-00", "2025-02-29",
    "2024-02-29", "2025-13-01", "2025-1-1", "31-12-9999", "01-01-0001", "29.02.2025", "١٩٩٠-٠١-٠١",
    "2025-01-01T00:00", " 2025-01-01", "010190-1234", "0101901234", "310290-1234", "000000-0000", "010190-12345",
    "refugee", "REFUGEE", "unaccompanied_minor", "resident_spouse", "DU2", "true", "ja", "nej", "NaN", "Infinity",
    "-Infinity", "1e400", "-1", "0", "7,5", "1,5,5", "9" * 30, "9" * 200, "9" * 5000, "1" * 4301,
)  # fmt: skip
HOSTILE_NUMBERS = (
    0, -0.0, -1, 1, 1.5, 6.0, 1200, 1201, 2**31, 2**63, 2**64, 10**30, 10**99, 10**100, 1e308, -1e308, 5e-324,
)  # fmt: skip


def _nested(depth: int, leaf: object = None) -> object:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


HOSTILE_STRUCTURES = (None, True, False, [], {}, [None], {"x": 1}, ["x"] * 1000, _nested(50), _nested(400))
HOSTILE_VALUES = HOSTILE_TEXTS + HOSTILE_NUMBERS + HOSTILE_STRUCTURES
HOSTILE_KEYS = ("", "x", "nmae", "Ref", "ref ", "\ud800", "\x00", "x" * 10_000, "__proto__", "families", "journal",
                "txet", "uid")
# What a note's or task's fields may meet: kinds that are not one, moments in every wrong shape, refs and uids
# that name nothing, a note correcting itself.
HOSTILE_JOURNAL_VALUES = (
    "sms", "Telefon", "NOTE", "2025-03-04T14:30:00+01:00", "2025-03-04T24:00:00", "2025-03-04T14:30:00.5",
    "2025-03-04", "04-03-2025 14:30", "9999-12-31T23:59:59", "0001-01-01T00:00:00", "F-404", "P-404",
    "00000000-0000-4000-8000-000000000000", "n-1", "-n", "x" * 65, "a\nb", "x" * 501,
)  # fmt: skip
# Literal JSON a json.dumps cannot write: what other tools (or attackers) put where a value goes.
HOSTILE_TOKENS = (
    "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1E999999", "-0", "0.0000000000000000000000001e-400",
    "9" * 101, "9" * 4300, "9" * 5000, "-" + "9" * 10_000, '"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"',
    '"' + "\\u00e6" * 50_000 + '"', "[" * 999 + "]" * 999, "[" * 5000 + "]" * 5000, "[" * 100_000 + "]" * 100_000,
    '{"a":' * 3000 + "1" + "}" * 3000, "[" * 100_000, "{", "tru", "nul", "'x'", "0x10", "+1", "01", ".5",
)  # fmt: skip
ENCODINGS = ("utf-16", "utf-32", "latin-1", "cp1252", "utf-8-sig", "utf-16-be")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an import made of one file: 'accepted', 'refused' (a KasseError: `message`), or 'bug' (anything else:
    `message` names the exception); an accepted file's families, notes and tasks."""

    kind: str
    message: str = ""
    families: tuple = ()
    notes: tuple = ()
    tasks: tuple = ()


# --------------------------------------------------------------------------- the valid files they start from


@functools.cache
def base_documents() -> tuple[str, ...]:
    """Valid kasse/v1 documents as JSON text (parsed afresh for each mutation): demo caseloads of 4 and 7 persons,
    with their journals and tasks."""
    from kasse.demo import demo_families
    from kasse.demo.journal import demo_journal
    from kasse.interchange.v1 import dump_document

    documents = []
    for count, seed in ((1, 1), (2, 2)):
        families = demo_families(count, seed=seed, today=TODAY)
        notes, tasks = demo_journal(families, seed=seed, today=TODAY)
        notes, tasks = notes + _every_kind_of_note(notes), tasks + _every_kind_of_task(families)
        documents.append(json.dumps(dump_document(families, notes, tasks), ensure_ascii=False))
    return tuple(documents)


def _every_kind_of_note(notes: list) -> list:
    """Beside a small demo's few notes: a correction, and a family's own note of each kind."""
    from dataclasses import replace

    from kasse.journal import NoteKind

    first = notes[0]
    correction = replace(first, uid="fuzz-correction", text="Rettelse: tolk over telefon", corrects=first.uid)
    return [correction] + [
        replace(first, uid=f"fuzz-{kind.value}", person_ref=None, kind=kind, text=f"Notat ({kind.value})")
        for kind in NoteKind
    ]


def _every_kind_of_task(families: list) -> list:
    """Tasks of the first family: its own, open, and a member's, done."""
    from datetime import datetime

    from kasse.journal import Task

    family = families[0]
    created = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 30)
    return [
        Task("fuzz-task-1", family.ref, None, "Ring til lægen fredag", TODAY, None, created, "anna"),
        Task("fuzz-task-2", family.ref, family.members[0].ref, "Book tolk", TODAY, TODAY, created, "anna"),
    ]


@functools.cache
def base_record_tables() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The first base document's journal and tasks as the CSV export writes them (header first), by part."""
    from kasse.interchange.csv_format import _record_cell
    from kasse.interchange.journal_sheet import COLUMNS

    doc = json.loads(base_documents()[0])
    return {
        part: (columns, *(tuple(_record_cell(c, item.get(c)) for c in columns) for item in doc[part]))
        for part, columns in COLUMNS.items()
    }


@functools.cache
def base_tables() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The base documents as spreadsheet rows (header first), each cell as the CSV export writes it."""
    from kasse.interchange.csv_format import COLUMNS, _csv_cell, document_rows

    tables = []
    for text in base_documents():
        rows = [COLUMNS] + [tuple(_csv_cell(c, row.get(c)) for c in COLUMNS) for row in document_rows(json.loads(text))]
        tables.append(tuple(rows))
    return tuple(tables)


@functools.cache
def base_workbooks() -> tuple[bytes, ...]:
    """The base documents as kasse's own Excel export writes them."""
    import tempfile

    from kasse.interchange.xlsx_format import write_xlsx

    with tempfile.TemporaryDirectory() as folder:
        books = []
        for number, text in enumerate(base_documents()):
            path = Path(folder) / f"{number}.xlsx"
            write_xlsx(json.loads(text), path)
            books.append(path.read_bytes())
    return tuple(books)


# --------------------------------------------------------------------------- JSON


def _places(value: object, found: list[tuple[object, object]]) -> list[tuple[object, object]]:
    """Every (container, key or index) in a decoded document, where a value can be put."""
    if isinstance(value, dict):
        for key, child in value.items():
            found.append((value, key))
            _places(child, found)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.append((value, index))
            _places(child, found)
    return found


def _objects(doc: object) -> list[dict]:
    return [container for container, _ in _places(doc, []) if isinstance(container, dict)] + [doc]


def _replace_values(rng: random.Random, doc: dict) -> tuple[str, dict]:
    places = _places(doc, [])
    names = []
    for _ in range(rng.choice((1, 1, 1, 2, 5))):
        container, key = rng.choice(places)
        value = rng.choice(HOSTILE_VALUES)
        container[key] = copy.deepcopy(value) if isinstance(value, list | dict) else value
        names.append(_describe(value))
        places = _places(doc, [])
    return "value-" + "+".join(names), doc


def _change_keys(rng: random.Random, doc: dict) -> tuple[str, dict]:
    target = rng.choice(_objects(doc))
    action = rng.choice(("delete", "add", "rename"))
    if action == "delete" and target:
        del target[rng.choice(list(target))]
    elif action == "add":
        target[rng.choice(HOSTILE_KEYS)] = rng.choice(HOSTILE_VALUES[:20])
    elif target:
        key = rng.choice(list(target))
        target[rng.choice(HOSTILE_KEYS)] = target.pop(key)
    return f"key-{action}", doc


def _journal_values(rng: random.Random, doc: dict) -> tuple[str, dict]:
    """A hostile value in a note's or a task's field, or a note made to name what is not there."""
    part = rng.choice(("journal", "tasks"))
    if not doc[part]:
        return "journal-none", doc
    item = rng.choice(doc[part])
    key = rng.choice(list(item))
    value = rng.choice(HOSTILE_JOURNAL_VALUES + HOSTILE_VALUES[:40])
    if part == "journal" and key == "corrects" and rng.random() < 0.3:
        value = item["uid"]  # a note correcting itself
    item[key] = value
    return f"{part}-{key}-{_describe(value)}", doc


def _copy_records(rng: random.Random, doc: dict) -> tuple[str, dict]:
    families = doc["families"]
    family = rng.choice(families)
    if rng.random() < 0.5 and family["members"]:
        family["members"].append(copy.deepcopy(rng.choice(family["members"])))
        return "repeated-person-ref", doc
    families.append(copy.deepcopy(family))
    return "repeated-family-ref", doc


def _json_text_attack(rng: random.Random, doc: dict) -> tuple[str, bytes]:
    """A literal no json.dumps writes, put where a value goes."""
    container, key = rng.choice(_places(doc, []))
    container[key] = "@@TOKEN@@"
    token = rng.choice(HOSTILE_TOKENS)
    text = json.dumps(doc, ensure_ascii=False).replace('"@@TOKEN@@"', token, 1)
    return f"token-{_describe(token)}", text.encode("utf-8", "surrogatepass")


def _json_repeated_key(rng: random.Random, doc: dict) -> tuple[str, bytes]:
    target = rng.choice([obj for obj in _objects(doc) if obj])
    key = rng.choice(list(target))
    text = json.dumps(doc, ensure_ascii=False)
    marker = json.dumps(key, ensure_ascii=False) + ": "
    position = text.find(marker)
    if position < 0:
        return "repeated-key-none", text.encode()
    text = text[:position] + marker + '"another", ' + text[position:]
    return "repeated-key", text.encode("utf-8", "surrogatepass")


def _json_document(rng: random.Random) -> dict:
    return json.loads(rng.choice(base_documents()))


def json_file(rng: random.Random) -> tuple[str, bytes]:
    """One hostile kasse/v1 JSON file."""
    doc = _json_document(rng)
    roll = rng.random()
    if roll < 0.45:
        mutations = (_replace_values, _replace_values, _change_keys, _copy_records, _journal_values)
        name, doc = rng.choice(mutations)(rng, doc)
        data = json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
    elif roll < 0.65:
        name, data = rng.choice((_json_text_attack, _json_text_attack, _json_repeated_key))(rng, doc)
    else:
        name, data = _break_bytes(rng, json.dumps(doc, ensure_ascii=False))
    return f"json-{name}", data


# --------------------------------------------------------------------------- CSV


def csv_file(rng: random.Random) -> tuple[str, bytes]:
    """One hostile CSV file (kasse's own export, then broken)."""
    rows = [list(row) for row in rng.choice(base_tables())]
    roll = rng.random()
    if roll < 0.4:
        for _ in range(rng.choice((1, 1, 2, 4))):
            row = rng.choice(rows[1:])
            column = rng.randrange(len(row))
            row[column] = rng.choice(HOSTILE_TEXTS)
        name = "cell"
    elif roll < 0.6:
        name = _break_columns(rng, rows)
    elif roll < 0.7:
        delimiter = rng.choice((",", "\t", "|"))
        return f"csv-delimiter-{ord(delimiter)}", _csv_text(rows, delimiter).encode("utf-8-sig")
    else:
        name, data = _break_bytes(rng, _csv_text(rows, ";"))
        return f"csv-{name}", data
    return f"csv-{name}", _csv_text(rows, ";").encode("utf-8-sig", "surrogatepass")


def journal_csv_file(rng: random.Random) -> tuple[str, bytes]:
    """One hostile journal or tasks CSV file (kasse's own export, then broken), to lie beside a valid caseload's."""
    part = rng.choice(("journal", "tasks"))
    rows = [list(row) for row in base_record_tables()[part]]
    roll = rng.random()
    if roll < 0.5 and len(rows) > 1:
        for _ in range(rng.choice((1, 1, 2, 4))):
            row = rng.choice(rows[1:])
            row[rng.randrange(len(row))] = rng.choice(HOSTILE_JOURNAL_VALUES + HOSTILE_TEXTS)
        name = "cell"
    elif roll < 0.75:
        name = _break_columns(rng, rows)
    else:
        name, data = _break_bytes(rng, _csv_text(rows, ";"))
        return f"{part}-{name}", data
    return f"{part}-{name}", _csv_text(rows, ";").encode("utf-8-sig", "surrogatepass")


def _break_columns(rng: random.Random, rows: list[list[str]]) -> str:
    """Columns missing, repeated, renamed, or rows wider or narrower than the header."""
    header = rows[0]
    action = rng.choice(("drop", "repeat", "rename", "extra-cells", "short-rows", "header-only", "swap", "blank-rows"))
    position = rng.randrange(len(header))
    if action == "drop":
        for row in rows:
            del row[position]
    elif action == "repeat":
        for row in rows:
            row.append(row[position])
    elif action == "rename":
        header[position] = rng.choice(HOSTILE_KEYS + ("family.ref", "ref", "name"))
    elif action == "extra-cells":
        rng.choice(rows[1:]).extend(rng.choice(HOSTILE_TEXTS[:12]) for _ in range(rng.choice((1, 3, 1000))))
    elif action == "short-rows":
        for row in rows[1:]:
            del row[position:]
    elif action == "header-only":
        del rows[1:]
    elif action == "swap":
        other = rng.randrange(len(header))
        for row in rows:
            row[position], row[other] = row[other], row[position]
    else:
        rows[1:1] = [[""] * len(header)] * rng.choice((1, 1000))
    return f"columns-{action}"


def _csv_text(rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


# --------------------------------------------------------------------------- bytes, for any text format


def _break_bytes(rng: random.Random, text: str) -> tuple[str, bytes]:
    data = text.encode("utf-8", "surrogatepass")
    action = rng.choice(("truncate", "flip", "insert", "encoding", "bom", "empty", "nul", "lines"))
    if action == "truncate":
        return action, data[: rng.randrange(len(data))]
    if action == "flip":
        flipped = bytearray(data)
        for _ in range(rng.choice((1, 1, 3, 30))):
            flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        return action, bytes(flipped)
    if action == "insert":
        position = rng.randrange(len(data))
        junk = rng.choice((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b'"', b"\\", b"\r", b"\xef\xbb\xbf", b"\x1b[2J"))
        return action, data[:position] + junk + data[position:]
    if action == "encoding":
        encoding = rng.choice(ENCODINGS)
        return f"{action}-{encoding}", text.encode(encoding, "replace")
    if action == "bom":
        return action, b"\xef\xbb\xbf" * rng.choice((1, 2)) + data
    if action == "empty":
        return action, rng.choice((b"", b" ", b"\n", b"\xef\xbb\xbf", b"null", b"[]", b'"kasse/v1"', b"{}"))
    if action == "nul":
        return action, data.replace(b",", b",\x00", 1)
    return action, data.replace(b"\n", rng.choice((b"\r", b"\n\n", b"\r\r\n", b"\x85", "\u2028".encode())))


# --------------------------------------------------------------------------- XLSX


def xlsx_file(rng: random.Random) -> tuple[str, bytes]:
    """One hostile Excel workbook: a sheet with a hostile cell or shape, a hostile journal or tasks sheet, a broken
    package, or broken bytes."""
    roll = rng.random()
    if roll < 0.1:
        name, data = _hostile_journal_sheet(rng)
        return f"xlsx-{name}", data
    if roll < 0.4:
        rows = [list(row) for row in base_tables()[0]]
        name, sheet = _hostile_sheet(rng, rows)
        return f"xlsx-{name}", workbook_bytes(sheet, shared=rng.random() < 0.5)
    if roll < 0.65:
        name, data = _break_package(rng, base_workbooks()[0])
        return f"xlsx-{name}", data
    name, data = _break_zip_bytes(rng)
    return f"xlsx-{name}", data


def _hostile_sheet(rng: random.Random, rows: list[list[str]]) -> tuple[str, list[list[str]]]:
    """Rows as XML cells (see `workbook_bytes`), with hostile cells or row and column numbers."""
    header = rows[0]
    cells = [[("s", name) for name in header]]
    cells += [[_typed_cell(column, value) for column, value in zip(header, row, strict=True)] for row in rows[1:]]
    action = rng.choice(("cell", "cell", "cell", "formula", "row-number", "column", "many-rows"))
    row = rng.choice(cells[1:])
    column = rng.randrange(len(row))
    if action == "cell":
        kind = rng.choice(("s", "s", "n", "b", "d", "e", "date", "str", "bad-index"))
        value = {
            "s": lambda: rng.choice(HOSTILE_TEXTS),
            "n": lambda: rng.choice(("9" * 5000, "9" * 400, "1e400", "-1e400", "nan", "inf", "-0", "1.5", "x", "")),
            "b": lambda: rng.choice(("0", "1", "2", "x", "")),
            "d": lambda: rng.choice(("9999-12-31T00:00:00", "0001-01-01", "x", "2025-02-30", "")),
            "e": lambda: rng.choice(("#N/A", "#VALUE!", "#REF!")),
            "date": lambda: rng.choice(("1e10", "-1", "2958466", "2958465", "0", "60", "nan", "45658.5")),
            "str": lambda: rng.choice(HOSTILE_TEXTS[:20]),
            "bad-index": lambda: rng.choice(("-1", "99999", "x", "1e3")),
        }[kind]()
        row[column] = (kind, value)
        return f"cell-{kind}", cells
    if action == "formula":
        row[column] = ("f", rng.choice(('HYPERLINK("http://x","y")', "1+1", "DATE(2025,1,10)", "A1", "")))
        return "formula", cells
    if action == "row-number":
        return "row-number", [*cells, ("row", rng.choice(("1048577", "999999999", "0", "-1", "x", "1e3")))]
    if action == "column":
        return "column", [*cells, ("at", rng.choice(("XFD2", "ZZZ2", "AAAA2", "A0", "1A", "XFE2")), "x")]
    return "many-rows", [*cells, ("rows", 200)]


def _hostile_journal_sheet(rng: random.Random) -> tuple[str, bytes]:
    """kasse's own export with a hostile cell (a value, a formula, a date or a number) on its journal or tasks
    sheet - or with the sheet's header changed."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    workbook = load_workbook(io.BytesIO(base_workbooks()[0]))
    part = rng.choice(("journal", "tasks"))
    sheet = workbook[part]
    row, column = rng.randrange(1, sheet.max_row + 1), rng.randrange(1, sheet.max_column + 2)
    value = rng.choice(HOSTILE_JOURNAL_VALUES + HOSTILE_TEXTS + HOSTILE_NUMBERS + ("=1+1", "=NOW()"))
    if rng.random() < 0.2:
        value = rng.choice((date(1, 1, 1), date(9999, 12, 31), True))
    try:
        sheet.cell(row, column, value)
    except (IllegalCharacterError, ValueError):  # what openpyxl will not write: a NUL, a number too big
        sheet.cell(row, column, "\ufffd")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return f"{part}-sheet-r{row}-{_describe(value)}", buffer.getvalue()


def _typed_cell(column: str, value: str) -> tuple[str, str] | None:
    """A cell as Excel would hold the CSV export's text: a date as a date-formatted serial number, a number as a
    number, a boolean as a boolean."""
    from kasse.interchange.csv_format import BOOLEAN_COLUMNS, DATE_COLUMNS, NUMBER_COLUMNS

    if not value:
        return None
    if column in DATE_COLUMNS:
        return ("date", str((date.fromisoformat(value) - date(1899, 12, 30)).days))
    if column in NUMBER_COLUMNS:
        return ("n", value.replace(",", "."))
    if column in BOOLEAN_COLUMNS:
        return ("b", "1" if value == "true" else "0")
    return ("s", value)


def workbook_bytes(rows: list, *, shared: bool = True, sheet_xml: str | None = None) -> bytes:
    """A minimal .xlsx: one sheet of `rows`, each a list of cells (None, or (type, value)) - or a special row:
    ("row", number) an empty row numbered so, ("at", reference, text) one cell at that reference,
    ("rows", count) that many rows of one cell each. Types: s (text, shared or inline), n, b, d, e, str
    (a formula's text result), date (a number in a date format), f (a formula without a value), bad-index (a
    shared-string index). Written by hand, so a cell can be anything the XML allows, or not."""
    strings: list[str] = []
    lines = []
    number = 0
    for row in rows:
        if isinstance(row, tuple):
            if row[0] == "row":
                lines.append(f'<row r="{row[1]}"/>')
            elif row[0] == "at":
                lines.append(f'<row r="{number + 1}"><c r="{row[1]}" t="inlineStr"><is><t>{row[2]}</t></is></c></row>')
            else:
                lines.extend(
                    f'<row r="{number + i + 1}"><c r="A{number + i + 1}" t="inlineStr"><is><t>F</t></is></c></row>'
                    for i in range(row[1])
                )
                number += row[1]
            continue
        number += 1
        cells = []
        for column, cell in enumerate(row):
            if cell is None:
                continue
            kind, value = cell
            reference = f"{_column_letters(column)}{number}"
            cells.append(_cell_xml(reference, kind, str(value), strings, shared))
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    sheet = sheet_xml or (f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(lines)}</sheetData></worksheet>')
    parts = {**_PACKAGE, "xl/worksheets/sheet1.xml": sheet}
    items = "".join(f"<si><t>{_xml_text(text)}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{_MAIN}">{items}</sst>'
    return zip_bytes({name: text.encode("utf-8", "surrogatepass") for name, text in parts.items()})


def _cell_xml(reference: str, kind: str, value: str, strings: list[str], shared: bool) -> str:
    if kind == "s" and shared:
        strings.append(value)
        return f'<c r="{reference}" t="s"><v>{len(strings) - 1}</v></c>'
    if kind == "s":
        return f'<c r="{reference}" t="inlineStr"><is><t>{_xml_text(value)}</t></is></c>'
    if kind == "bad-index":
        return f'<c r="{reference}" t="s"><v>{value}</v></c>'
    if kind == "date":
        return f'<c r="{reference}" s="1"><v>{value}</v></c>'
    if kind == "f":
        return f'<c r="{reference}"><f>{_xml_text(value)}</f></c>'
    return f'<c r="{reference}" t="{kind}"><v>{_xml_text(value)}</v></c>'


def _xml_text(text: str) -> str:
    """Text as XML character data; a character XML cannot hold becomes a character reference XML forbids too."""
    return "".join(f"&#{ord(char)};" if _not_xml(char) else char for char in escape(text))


def _not_xml(char: str) -> bool:
    return (ord(char) < 0x20 and char not in "\t\n\r") or unicodedata.category(char) == "Cs"


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="kasse" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_MAIN}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ),
}


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


_BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + f']><sst xmlns="{_MAIN}"><si><t>&j;</t></si></sst>'
)
_EXTERNAL_ENTITY = (
    f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]><sst xmlns="{_MAIN}">'
    "<si><t>&x;</t></si></sst>"
)


def _break_package(rng: random.Random, book: bytes) -> tuple[str, bytes]:
    """kasse's own export with a member dropped, replaced or added."""
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    names = sorted(members)
    action = rng.choice(("drop", "garbage", "truncate-member", "dtd", "entity", "second-sheet", "dimension",
                         "no-sheets", "utf16-xml", "flip-member"))  # fmt: skip
    target = rng.choice(names)
    if action == "drop":
        del members[target]
    elif action == "garbage":
        members[target] = rng.choice((b"", b"<", b"not xml", b"<a>" * 10_000, b"\xff\xfe\x00"))
    elif action == "truncate-member":
        members[target] = members[target][: rng.randrange(len(members[target]) + 1)]
    elif action == "dtd":
        members["xl/worksheets/sheet1.xml"] = _BILLION_LAUGHS.replace("sst", "worksheet").encode()
    elif action == "entity":
        members["xl/worksheets/sheet1.xml"] = _EXTERNAL_ENTITY.replace("sst", "worksheet").encode()
    elif action == "second-sheet":
        members["xl/worksheets/sheet2.xml"] = members["xl/worksheets/sheet1.xml"]
    elif action == "dimension":
        sheet = members["xl/worksheets/sheet1.xml"].decode()
        members["xl/worksheets/sheet1.xml"] = sheet.replace(
            "<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>'
        )
    elif action == "no-sheets":
        members["xl/workbook.xml"] = f'<workbook xmlns="{_MAIN}"><sheets/></workbook>'.encode()
    elif action == "utf16-xml":
        members[target] = members[target].decode("utf-8").encode("utf-16")
    else:
        flipped = bytearray(members[target])
        if flipped:
            flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        members[target] = bytes(flipped)
    return f"package-{action}", zip_bytes(members)


def _break_zip_bytes(rng: random.Random) -> tuple[str, bytes]:
    """The workbook's bytes themselves broken: cut, bit-flipped, or not a workbook at all."""
    book = base_workbooks()[0]
    action = rng.choice(("truncate", "flip", "flip", "not-a-zip", "bomb", "lying-size", "stored", "json", "csv"))
    if action == "truncate":
        return action, book[: rng.randrange(len(book))]
    if action == "flip":
        flipped = bytearray(book)
        for _ in range(rng.choice((1, 1, 2, 10))):
            flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        return action, bytes(flipped)
    if action == "not-a-zip":
        return action, rng.choice((b"", b"PK", b"PK\x03\x04" + b"\x00" * 100, b"hello", b"\xd0\xcf\x11\xe0" * 100))
    if action == "bomb":
        return action, zip_bomb(rng.choice((2, 8)))
    if action == "lying-size":
        return action, _lying_size(book)
    if action == "stored":
        with zipfile.ZipFile(io.BytesIO(book)) as archive:
            members = {info.filename: archive.read(info) for info in archive.infolist()}
        return action, zip_bytes(members, compression=zipfile.ZIP_STORED)
    if action == "json":
        return action, rng.choice(base_documents()).encode()
    return action, _csv_text([list(row) for row in base_tables()[0]], ";").encode()


@functools.cache
def zip_bomb(megabytes: int) -> bytes:
    """A workbook whose sheet is `megabytes` MB of empty rows, packed about a thousand to one."""
    rows = b'<row r="1"/>' * (megabytes * 2**20 // 12)
    sheet = f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode() + rows + b"</sheetData></worksheet>"
    members = {name: text.encode() for name, text in _PACKAGE.items()}
    members["xl/worksheets/sheet1.xml"] = sheet
    members["xl/sharedStrings.xml"] = f'<sst xmlns="{_MAIN}"/>'.encode()
    return zip_bytes(members)


def _lying_size(book: bytes) -> bytes:
    """The sheet's declared unpacked size in the central directory set to 1 byte (so it looks harmless)."""
    data = bytearray(book)
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        name = bytes(data[position + 46 : position + 46 + name_length])
        if name.endswith(b"sheet1.xml"):
            data[position + 24 : position + 28] = (1).to_bytes(4, "little")
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


# --------------------------------------------------------------------------- the outcome


GENERATORS: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    "json": json_file,
    "csv": csv_file,
    "xlsx": xlsx_file,
    "journal-csv": journal_csv_file,
}


def hostile_files(kind: str, count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """`count` hostile files of one format (json, csv, xlsx or journal-csv), the same for the same seed."""
    rng = random.Random(f"{kind}-{seed}")
    for number in range(count):
        name, data = GENERATORS[kind](rng)
        yield f"{number:05d}-{name}", data


def write_file(path: Path, data: bytes) -> None:
    """Put `data` at `path` as a new file: on some file systems, overwriting a file waits for the disk."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def place_file(folder: Path, name: str, kind: str, data: bytes, stem: str = "hostile") -> Path:
    """Write the hostile file `name` as `stem` where an import reads it; returns the path to import. A
    journal-csv file lies beside a valid caseload CSV, as its journal's or tasks' file (as `name` says)."""
    if kind != "journal-csv":
        path = folder / f"{stem}.{kind}"
        write_file(path, data)
        return path
    path = folder / f"{stem}.csv"
    write_file(path, _csv_text([list(row) for row in base_tables()[0]], ";").encode("utf-8-sig"))
    for part in ("journal", "tasks"):
        (folder / f"{stem}.{part}.csv").unlink(missing_ok=True)
    part = "journal" if "-journal-" in name else "tasks"
    write_file(folder / f"{stem}.{part}.csv", data)
    return path


def parse_outcome(path: Path, kind: str) -> Outcome:
    """Read and validate one file (with the journal's and tasks' CSV files beside it) as `kasse import` does
    before it touches an empty database."""
    from kasse.errors import KasseError
    from kasse.interchange.csv_format import parse_sheet, read_csv, read_journal_csv
    from kasse.interchange.journal_sheet import parse_journal_sheets
    from kasse.interchange.v1 import InvalidDocument, load_json_file, parse_records
    from kasse.interchange.v1_journal import StoredRefs, unknown_refs
    from kasse.interchange.xlsx_format import read_workbook

    try:
        if kind == "json":
            records = parse_records(load_json_file(path))
            families, notes, tasks = records.families, records.notes, records.tasks
        else:
            sheet, journal = read_workbook(path) if kind == "xlsx" else (read_csv(path), read_journal_csv(path))
            families = parse_sheet(sheet, {}, {})
            notes, tasks, _ = parse_journal_sheets(journal)
        problems = unknown_refs(families, notes, tasks, StoredRefs())
        if problems:
            raise InvalidDocument(problems)
    except KasseError as error:
        return Outcome("refused", error.message)
    except Exception as error:  # noqa: BLE001 - what the fuzzing is for: anything else is a bug
        return Outcome("bug", f"{type(error).__name__}: {str(error)[:200]}")
    return Outcome("accepted", families=tuple(families), notes=tuple(notes), tasks=tuple(tasks))


def message_faults(message: str) -> list[str]:
    """What is wrong with a refusal's message: too long, or a raw control character or lone surrogate in it."""
    faults = []
    size = len(message.encode("utf-8", "surrogatepass"))
    if size > MAX_MESSAGE_BYTES:
        faults.append(f"{size} bytes")
    bad = {char for char in message if char != "\n" and unicodedata.category(char) in {"Cc", "Cs"}}
    if bad:
        faults.append("raw characters " + ", ".join(f"U+{ord(char):04X}" for char in sorted(bad)))
    return faults


def _describe(value: object) -> str:
    """A short name for a hostile value, for a file name."""
    if isinstance(value, str):
        shown = value if len(value) <= 12 and value.isprintable() and value.isascii() else f"text{len(value)}"
        return "".join(char if char.isalnum() or char in "-." else "_" for char in shown) or "empty"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**6:
        return f"int{len(str(value))}digits"
    if isinstance(value, list | dict):
        return f"{type(value).__name__}{len(value)}"
    return str(value)
