"""What an import refuses before the deadline engine sees it: dates past kasse's last date, and an
"unaccompanied minor" who is an adult on the takeover date - in JSON, CSV and Excel, and from the command line."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from openpyxl import Workbook

from kasse.dates import LATEST_DATE
from kasse.domain import Category, Family
from kasse.interchange.csv_format import InvalidSheet, parse_sheet, read_csv
from kasse.interchange.v1 import InvalidDocument, dump_document, parse_document
from kasse.interchange.xlsx_format import read_xlsx
from tests.cli_helpers import run_kasse
from tests.factories import person

RECORD = "familie F-1, person P-1"
TOO_LATE = "ligger for langt ude i fremtiden (senest 9980-12-31)"
HEADER = "family.ref;ref;name;birth_date;category;takeover_date\n"


def document(**fields) -> dict:
    """A kasse/v1 document of one refugee, with `fields` set on the member as JSON values."""
    doc = dump_document([Family(ref="F-1", members=(person("P-1"),))])
    doc["families"][0]["members"][0].update(fields)
    return doc


def minor_born(born: str) -> dict:
    """A document of one unaccompanied minor taken over on 2025-01-10."""
    return document(category="unaccompanied_minor", birth_date=born, role="child")


def problems(doc: dict) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidDocument) as raised:
        parse_document(doc)
    return [(problem.record, problem.field, problem.reason) for problem in raised.value.problems]


def sheet_error(tmp_path, rows: str) -> str:
    path = tmp_path / "ark.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(InvalidSheet) as raised:
        parse_sheet(read_csv(path), {}, {})
    return str(raised.value)


def table_counts(db) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


# --------------------------------------------------------------------------- the last date


def test_the_last_date_is_accepted_and_the_day_after_is_refused():
    assert LATEST_DATE == date(9980, 12, 31)
    assert parse_document(document(left_date="9980-12-31"))[0].members[0].left_date == LATEST_DATE

    assert problems(document(left_date="9981-01-01")) == [(RECORD, "left_date", f"datoen 9981-01-01 {TOO_LATE}")]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("takeover_date",), "9999-12-31"),
        (("birth_date",), "9999-01-01"),
        (("danish", "referral_date"), "9999-12-31"),
        (("contract", "followups"), [{"date": "9999-12-31"}]),
        (("um_decision",), {"date": "9999-12-31", "offered": True}),
    ],
)
def test_any_date_near_year_9999_is_refused_naming_its_path(path, value):
    doc = document()
    target = doc["families"][0]["members"][0]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    [(record, field, reason)] = problems(doc)

    assert record == RECORD and field.startswith(".".join(path)) and reason.endswith(TOO_LATE)


def test_a_family_date_past_the_bound_is_refused_too():
    doc = document()
    doc["families"][0]["plan"] = {"made_date": "9990-01-01"}

    assert problems(doc) == [("familie F-1", "plan.made_date", f"datoen 9990-01-01 {TOO_LATE}")]


def test_a_csv_date_past_the_bound_names_row_column_and_value(tmp_path):
    message = sheet_error(tmp_path, "F-1;P-1;Amina;01-01-1990;refugee;31-12-9999\n")

    assert f"række 2, kolonne takeover_date, værdi '31-12-9999': datoen 9999-12-31 {TOO_LATE}" in message


def test_an_excel_date_past_the_bound_names_the_row(tmp_path):
    workbook = Workbook()
    workbook.active.append(HEADER.strip().split(";"))
    workbook.active.append(["F-1", "P-1", "Amina", date(1990, 1, 1), "refugee", date(9999, 12, 31)])
    path = tmp_path / "ark.xlsx"
    workbook.save(path)

    with pytest.raises(InvalidSheet) as raised:
        parse_sheet(read_xlsx(path), {}, {})

    assert "række 2, kolonne takeover_date" in str(raised.value) and TOO_LATE in str(raised.value)


def test_the_command_line_refuses_a_date_past_the_bound_without_a_traceback_and_saves_nothing(tmp_path):
    db, source = tmp_path / "kasse.db", tmp_path / "fremtid.json"
    assert run_kasse("init", db=db).code == 0
    before = table_counts(db)
    source.write_text(json.dumps(document(takeover_date="9999-12-31")), encoding="utf-8")

    result = run_kasse("import", str(source), db=db)

    assert result.code == 1
    assert "Traceback" not in result.err and result.out == ""
    [line] = [line for line in result.err.splitlines() if TOO_LATE in line]
    assert f"{RECORD}, takeover_date: datoen 9999-12-31" in line
    assert table_counts(db) == before


# --------------------------------------------------------------------------- unaccompanied minors


def test_an_unaccompanied_minor_under_18_on_the_takeover_date_is_accepted():
    [family] = parse_document(minor_born("2007-01-11"))  # turns 18 the day after the takeover

    assert family.members[0].category is Category.UNACCOMPANIED_MINOR


@pytest.mark.parametrize(("born", "age"), [("2007-01-10", 18), ("1990-01-01", 35)])
def test_an_unaccompanied_minor_who_is_18_on_the_takeover_date_is_refused(born, age):
    [(record, field, reason)] = problems(minor_born(born))

    assert (record, field) == (RECORD, "category")
    assert reason == (
        f"en uledsaget mindreårig er under 18 år på takeover_date, men personen er {age} år den 2025-01-10"
        " - ret category, birth_date (cpr) eller takeover_date"
    )


def test_the_adult_minor_is_judged_by_the_birth_date_a_cpr_number_gives():
    doc = minor_born("2000-01-01")
    del doc["families"][0]["members"][0]["birth_date"]
    doc["families"][0]["members"][0]["cpr"] = "010100-4321"  # born 1 January 2000

    [(_, field, reason)] = problems(doc)

    assert field == "category" and "personen er 25 år" in reason


def test_a_csv_adult_minor_names_the_row_and_the_category_column(tmp_path):
    message = sheet_error(tmp_path, "F-1;P-1;Amina;01-01-1990;unaccompanied_minor;10-01-2025\n")

    assert "række 2, kolonne category, værdi 'unaccompanied_minor': en uledsaget mindreårig" in message


def test_an_excel_adult_minor_is_refused(tmp_path):
    workbook = Workbook()
    workbook.active.append(HEADER.strip().split(";"))
    workbook.active.append(["F-1", "P-1", "Amina", date(1990, 1, 1), "unaccompanied_minor", date(2025, 1, 10)])
    path = tmp_path / "ark.xlsx"
    workbook.save(path)

    with pytest.raises(InvalidSheet) as raised:
        parse_sheet(read_xlsx(path), {}, {})

    assert "række 2, kolonne category" in str(raised.value) and "uledsaget mindreårig" in str(raised.value)
