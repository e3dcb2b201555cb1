"""Imports survive hostile files: every generated or hand-made bad file - kasse/v1 JSON, CSV, Excel - is accepted or
refused with one short Danish message, never a traceback; what validation accepts, the deadline engine and SQLite
hold; and a refused file changes no byte of the database and leaves no backup.

The thousands of files come from tests/hostile_files.py (seeded, so a failure names a file that can be made
again); the corpus in tests/corpus/hostile/ holds the reproducers of crashes found, each named for what it
attacks; bench/fuzz_import.py runs the same generator over tens of thousands.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections import Counter
from itertools import islice
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kasse.data.db import open_database
from kasse.data.journal import save_records
from kasse.data.store import Store, import_families
from kasse.dates import LATEST_DATE
from kasse.errors import KasseError
from kasse.interchange.csv_format import COLUMNS
from kasse.interchange.transfer import import_file
from kasse.interchange.v1 import parse_document
from kasse.rules import deadlines
from tests.cli_helpers import run_kasse
from tests.hostile_files import (
    FORMATS,
    TODAY,
    Outcome,
    base_documents,
    base_tables,
    hostile_files,
    message_faults,
    parse_outcome,
    place_file,
    write_file,
)

SEED = 2025
# Files per format read in-process: about 12 s in all on a 2-core machine (bench/fuzz_import.py runs more;
# a workbook costs ~8 ms to build and read, so fewer of them here).
COUNTS = {"json": 2000, "csv": 2000, "xlsx": 600, "journal-csv": 1000}
STORED_PER_FORMAT = 150  # accepted files also saved (rolled back): what validation lets through, SQLite must hold
THROUGH_IMPORT = 30  # files per format through the whole import, against a database file with a caseload
CORPUS = Path(__file__).parent / "corpus" / "hostile"
CORPUS_FILES = sorted(path for path in CORPUS.iterdir() if path.suffix in {".json", ".csv", ".xlsx"})


@pytest.fixture(scope="module")
def caseload(tmp_path_factory) -> Path:
    """A database file holding the demo caseload the hostile files are made from (closed, so it can be copied)."""
    db = tmp_path_factory.mktemp("caseload") / "kasse.db"
    database = open_database(db)
    try:
        import_families(Store(database, actor="tester"), parse_document(json.loads(base_documents()[-1])))
    finally:
        database.close()
    return db


@pytest.fixture(scope="module")
def store(caseload, tmp_path_factory):
    """A Store on a copy of the caseload, for saves that are rolled back."""
    copy = tmp_path_factory.mktemp("store") / "kasse.db"
    shutil.copy(caseload, copy)
    database = open_database(copy)
    yield Store(database, actor="tester")
    database.close()


def faults_when_stored(store: Store, accepted: list[tuple[str, Outcome]]) -> list[str]:
    """Save each accepted file's families, notes and tasks in rolled-back transactions; a refusal is fine, any
    other error is not."""
    faults = []
    pending = list(accepted)
    while pending:
        name = ""
        try:
            with store.transaction(dry_run=True) as transaction:
                while pending:
                    name, outcome = pending.pop(0)
                    save_records(transaction, list(outcome.families), outcome.notes, outcome.tasks)
        except KasseError:
            pass
        except Exception as error:  # noqa: BLE001 - the failure being looked for
            faults.append(f"{name}: saving it raised {type(error).__name__}")
    return faults


def folder_state(folder: Path) -> dict[str, str]:
    """Every file under `folder` and a digest of its bytes: the database, its WAL files, any backup."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def fresh_copy(caseload: Path, folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return Path(shutil.copy(caseload, folder / "kasse.db"))


# --------------------------------------------------------------------------- thousands, in-process


@pytest.mark.parametrize("kind", FORMATS)
def test_thousands_of_hostile_files_are_each_accepted_or_refused_in_a_short_message(kind, tmp_path, store):
    outcomes: Counter[str] = Counter()
    faults: list[str] = []
    accepted: list[tuple[str, Outcome]] = []
    for name, data in hostile_files(kind, COUNTS[kind], SEED):
        outcome = parse_outcome(place_file(tmp_path, name, kind, data), kind)
        outcomes[outcome.kind] += 1
        if outcome.kind == "bug":
            faults.append(f"{name}: {outcome.message}")
        elif outcome.kind == "refused":
            faults += [f"{name}: message {fault}" for fault in message_faults(outcome.message)]
        else:
            try:
                deadlines(outcome.families, today=TODAY)
            except Exception as error:  # noqa: BLE001 - the failure being looked for
                faults.append(f"{name}: the deadline engine raised {type(error).__name__}")
            if len(accepted) < STORED_PER_FORMAT:
                accepted.append((name, outcome))

    faults += faults_when_stored(store, accepted)

    assert faults == [], f"{len(faults)} of {COUNTS[kind]} files: " + "\n".join(faults[:30])
    assert outcomes["refused"] > COUNTS[kind] / 2, outcomes  # they are hostile: most must be refused
    assert len(accepted) == min(outcomes["accepted"], STORED_PER_FORMAT)


# --------------------------------------------------------------------------- a sample, through the whole import


@pytest.mark.parametrize("kind", FORMATS)
def test_a_refused_file_leaves_the_database_byte_for_byte_and_takes_no_backup(kind, tmp_path, caseload):
    sources = tmp_path / "filer"
    sources.mkdir()
    outcomes: Counter[str] = Counter()
    for name, data in islice(hostile_files(kind, THROUGH_IMPORT, SEED + 1), THROUGH_IMPORT):
        db = fresh_copy(caseload, tmp_path / "data")
        source = place_file(sources, name, kind, data, stem=name)
        before = folder_state(db.parent)
        try:
            import_file(source, db, today=TODAY)
        except KasseError as error:
            outcomes["refused"] += 1
            assert folder_state(db.parent) == before, name
            assert message_faults(error.message) == [], name
        except Exception as error:  # noqa: BLE001 - a bug: name the file that found it
            pytest.fail(f"{name}: {type(error).__name__}")
        else:
            outcomes["accepted"] += 1

    assert outcomes["refused"] >= THROUGH_IMPORT / 2, outcomes


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_every_file_of_the_corpus_is_refused_and_changes_nothing(path, tmp_path, caseload):
    kind = path.suffix.removeprefix(".")
    outcome = parse_outcome(path, kind)
    assert outcome.kind == "refused", outcome.message
    assert message_faults(outcome.message) == []

    db = fresh_copy(caseload, tmp_path / "data")
    before = folder_state(db.parent)
    with pytest.raises(KasseError):
        import_file(path, db, today=TODAY)
    assert folder_state(db.parent) == before


def test_the_corpus_is_small_enough_to_keep_in_the_repository():
    assert sum(path.stat().st_size for path in CORPUS.iterdir()) < 1_000_000


# --------------------------------------------------------------------------- the command line, as a user meets it


def giant_cell_csv(folder: Path) -> Path:
    """The caseload as CSV with a name of 200,000 characters: over what Python's csv module reads in one cell."""
    rows = [list(row) for row in base_tables()[0]]
    rows[1][COLUMNS.index("name")] = "x" * 200_000
    path = folder / "200k-cell.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream, delimiter=";").writerows(rows)
    return path


@pytest.mark.parametrize(
    "name", ["deep-nesting.json", "lone-surrogate.json", "zip-bomb.xlsx", "formula-cells.xlsx", "truncated.xlsx",
             "200k-cell.csv"],
)  # fmt: skip
def test_the_command_line_refuses_a_hostile_file_in_danish_without_a_traceback(name, tmp_path, caseload):
    source = giant_cell_csv(tmp_path) if name == "200k-cell.csv" else CORPUS / name
    db = fresh_copy(caseload, tmp_path / "data")
    before = folder_state(db.parent)

    result = run_kasse("import", str(source), db=db, env={"XDG_DATA_HOME": str(tmp_path / "xdg")})

    assert result.code == 1, result.err
    assert "Traceback" not in result.err and "Uventet fejl" not in result.err
    assert result.err.startswith("Fejl: ") and len(result.err.encode()) < 8192
    assert folder_state(db.parent) == before
    assert not (tmp_path / "xdg").exists()  # no crash report was written


def test_a_command_line_argument_that_is_not_utf8_is_a_danish_refusal(tmp_path, caseload):
    db = fresh_copy(caseload, tmp_path / "data")

    # "\udcff" reaches the process as the byte 0xFF: what a Latin-1 terminal sends for "ÿ".
    result = run_kasse("search", "\udcff", db=db, env={"XDG_DATA_HOME": str(tmp_path / "xdg")})

    assert result.code == 1, result.err
    assert result.err.startswith("Fejl: ") and "UTF-8" in result.err
    assert "Traceback" not in result.err and "Uventet fejl" not in result.err
    assert not (tmp_path / "xdg").exists()


# --------------------------------------------------------------------------- properties of the format


HOSTILE_CHARACTERS = st.one_of(st.characters(), st.characters(categories=["Cs", "Cc", "Cf", "Zl", "Zp", "Co"]))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(HOSTILE_CHARACTERS, max_size=30)
    | st.sampled_from(["x" * 100_001, "9980-12-31", "9981-01-01", "0001-01-01", "refugee", "DU2"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=8,
)  # fmt: skip
FUZZ_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _places(value: object, found: list) -> list:
    if isinstance(value, dict | list):
        for key in value if isinstance(value, dict) else range(len(value)):
            found.append((value, key))
            _places(value[key], found)
    return found


def outcome_of_json(doc: dict, folder: Path):
    path = folder / "doc.json"
    write_file(path, json.dumps(doc).encode())  # ASCII: a lone surrogate is written \ud800, NaN as NaN
    return parse_outcome(path, "json")


@FUZZ_SETTINGS
@given(data=st.data(), value=JSON_VALUES)
def test_any_json_value_anywhere_is_refused_cleanly_or_accepted_and_stored(data, value, store, tmp_path_factory):
    doc = json.loads(base_documents()[0])
    container, key = data.draw(st.sampled_from(_places(doc, [])))
    container[key] = value

    outcome = outcome_of_json(doc, tmp_path_factory.getbasetemp())

    assert outcome.kind != "bug", outcome.message
    if outcome.kind == "refused":
        assert message_faults(outcome.message) == []
    else:
        deadlines(outcome.families, today=TODAY)
        assert faults_when_stored(store, [("doc", outcome)]) == []


DATE_PLACES = (
    ("birth_date",), ("takeover_date",), ("left_date",), ("programme", "start_date"), ("contract", "signed_date"),
    ("danish", "start_date"), ("danish", "paused_from"), ("health", "offered_date"), ("plan_offer", "offered_date"),
)  # fmt: skip


@FUZZ_SETTINGS
@given(place=st.sampled_from(DATE_PLACES), day=st.dates())
def test_a_date_is_accepted_only_if_every_deadline_it_drives_stays_in_range(place, day, store, tmp_path_factory):
    doc = json.loads(base_documents()[0])
    target = doc["families"][0]["members"][0]
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = day.isoformat()

    outcome = outcome_of_json(doc, tmp_path_factory.getbasetemp())

    assert outcome.kind != "bug", outcome.message
    if day > LATEST_DATE:
        assert outcome.kind == "refused" and "for langt ude i fremtiden" in outcome.message
    if outcome.kind == "accepted":
        deadlines(outcome.families, today=TODAY)
        deadlines(outcome.families, today=LATEST_DATE)
        assert faults_when_stored(store, [("doc", outcome)]) == []


@FUZZ_SETTINGS
@given(column=st.sampled_from(COLUMNS), text=st.text(HOSTILE_CHARACTERS.filter(lambda c: c != "\x00"), max_size=40))
def test_any_text_in_any_csv_cell_is_refused_cleanly_or_accepted_and_stored(column, text, store, tmp_path_factory):
    rows = [list(row) for row in base_tables()[0]]
    rows[1][COLUMNS.index(column)] = text
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";").writerows(rows)
    path = tmp_path_factory.getbasetemp() / "sheet.csv"
    write_file(path, buffer.getvalue().encode("utf-8", "replace"))  # UTF-8 holds no lone surrogate: '?'

    outcome = parse_outcome(path, "csv")

    assert outcome.kind != "bug", outcome.message
    if outcome.kind == "refused":
        assert message_faults(outcome.message) == []
    else:
        assert faults_when_stored(store, [("sheet", outcome)]) == []
