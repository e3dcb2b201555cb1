"""The open deadlines as a calendar file: one all-day event per open deadline, stable UIDs, no CPR."""

import json
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from kasse.demo import demo_families
from kasse.interchange.ics_format import calendar_bytes, deadline_uid
from kasse.interchange.v1 import dump_document
from kasse.law import Ruleset
from kasse.rules import Deadline, Rule, Status
from tests.cli_helpers import run_kasse
from tests.factories import d

TODAY = "2026-11-23"
OPEN = {"overdue", "due_soon", "upcoming", "paused"}


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "kasse.db"
    source = tmp_path / "demo.json"
    source.write_text(json.dumps(dump_document(demo_families(25, seed=6, today=d(TODAY))), ensure_ascii=False),
                      encoding="utf-8")
    assert run_kasse("import", str(source), db=db).code == 0
    return db


def test_ics_has_one_event_per_open_deadline_and_no_cpr(tmp_path, demo_db):
    path = tmp_path / "frister.ics"
    result = run_kasse("export", str(path), "--today", TODAY, db=demo_db)
    assert result.code == 0, result.err

    calendar = Calendar.from_ical(path.read_bytes())
    events = calendar.walk("VEVENT")
    expected = [row for row in run_kasse("deadlines", "--all", "--json", "--today", TODAY, db=demo_db).json()
                if row["status"] in OPEN]
    assert len(events) == len(expected) > 0
    assert len({str(event["UID"]) for event in events}) == len(events)
    by_uid = {str(event["UID"]): event for event in events}
    for row in expected:
        event = by_uid[f"{row['rule']}-{row['family']}-{row['person'] or 'familie'}@kasse"]
        assert event.decoded("DTSTART").isoformat() == row["due"]  # an all-day date
        assert str(event["SUMMARY"]) == f"{row['title']} – {row['name']} ({row['family']})"
        assert "DTSTAMP" in event

    text = path.read_text(encoding="utf-8")
    cprs = [m["cpr"] for f in run_kasse("export", "-", db=demo_db).json()["families"] for m in f["members"] if m["cpr"]]
    assert cprs
    for cpr in cprs:
        assert cpr not in text and cpr.replace("-", "") not in text


def test_ics_filters_and_format_option(tmp_path, demo_db):
    family = run_kasse("export", "-", db=demo_db).json()["families"][0]["ref"]
    result = run_kasse("export", "-", "--format", "ics", "--family", family, "--today", TODAY, db=demo_db)
    assert result.code == 0, result.err
    events = Calendar.from_ical(result.out.encode("utf-8")).walk("VEVENT")
    assert events and all(f"({family})" in str(event["SUMMARY"]) for event in events)


def test_uid_names_the_obligation_not_the_due_date():
    first = Deadline(Rule.CONTRACT, "F-1", "P-1", "Amina", d("2025-02-10"), Status.OVERDUE, -3, None, Ruleset.LAW_2016)
    moved = first._replace(due=d("2025-03-10"), status=Status.UPCOMING, days=20)
    assert deadline_uid(first) == deadline_uid(moved) == "contract-F-1-P-1@kasse"
    follow_up = Deadline(Rule.PLAN_FOLLOWUP, "F-1", None, "Amina", d("2025-09-01"), Status.UPCOMING, 5, None, Ruleset.LAW_2015)
    assert deadline_uid(follow_up) == "plan_followup-F-1-familie@kasse"


def test_met_deadlines_are_left_out():
    met = Deadline(Rule.CONTRACT, "F-1", "P-1", "Amina", d("2025-02-10"), Status.MET, -3, d("2025-02-01"), Ruleset.LAW_2016)
    calendar = Calendar.from_ical(calendar_bytes([met], stamp=datetime(2026, 11, 23, tzinfo=UTC)))
    assert calendar.walk("VEVENT") == []


def test_an_ics_file_cannot_be_imported(tmp_path):
    path = tmp_path / "frister.ics"
    path.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    result = run_kasse("import", str(path), db=tmp_path / "kasse.db")
    assert result.code == 1 and "kalender" in result.err
