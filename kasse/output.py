"""How lookups print: FORMAT.md's JSON records, CSV, or a Danish table for people."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import TextIO

from kasse.rules import Deadline, Status
from kasse.safe_text import quote_formula, terminal_safe

JSON_FIELDS = ("family", "person", "name", "rule", "title", "due", "status", "days", "met_date", "ruleset", "basis")
# The fields a user typed (refs and the name): in CSV quoted against formulas (docs/format.md). The others are
# kasse's own words, dates and numbers - a negative `days` stays a number.
CSV_TEXT_FIELDS = ("family", "person", "name")
# What json.dumps(ensure_ascii=False) leaves raw although a terminal may obey it (DEL, C1) or cannot print it
# (a lone surrogate); written as \u escapes, the JSON stands for exactly the same text.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff]")


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def deadline_record(deadline: Deadline) -> dict:
    """One deadline in the public JSON shape of FORMAT.md; field order is part of the contract."""
    return {
        "family": deadline.family,
        "person": deadline.person,
        "name": deadline.name,
        "rule": deadline.rule.value,
        "title": deadline.title,
        "due": deadline.due.isoformat(),
        "status": deadline.status.value,
        "days": deadline.days,
        "met_date": deadline.met_date.isoformat() if deadline.met_date else None,
        "ruleset": deadline.ruleset.value,
        "basis": deadline.basis,
    }


def write_deadlines(found: Sequence[Deadline], form: OutputFormat, out: TextIO = sys.stdout) -> None:
    if form is OutputFormat.JSON:
        write_json_lines(out, [deadline_record(d) for d in found])
    elif form is OutputFormat.CSV:
        on_screen = out.isatty()
        writer = csv.DictWriter(out, fieldnames=JSON_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_record(d, on_screen=on_screen) for d in found)
    else:
        from kasse.tables import print_deadline_table  # rich.table costs ~40 ms: only for people

        print_deadline_table(found)


def csv_record(deadline: Deadline, *, on_screen: bool = False) -> dict:
    """The JSON record as a CSV row: the user's text quoted against formulas, and, for a terminal, with its
    control characters made visible (to a file or a pipe the text stays exact)."""
    record = deadline_record(deadline)
    for field in CSV_TEXT_FIELDS:
        value = record[field]
        if value is not None:
            value = quote_formula(value)
            record[field] = terminal_safe(value) if on_screen else value
    return record


def write_json_lines(out: TextIO, records: Sequence[dict]) -> None:
    """A JSON array with one record a line: readable, and written by the C encoder (indent= forces Python's)."""
    if not records:
        out.write("[]\n")
        return
    text = ",\n  ".join(json.dumps(record, ensure_ascii=False) for record in records)
    if _RAW_IN_JSON.search(text):  # only inside strings: json.dumps writes nothing else above ASCII
        text = _RAW_IN_JSON.sub(lambda raw: f"\\u{ord(raw.group()):04x}", text)
    out.write("[\n  ")
    out.write(text)
    out.write("\n]\n")


STATUS_STYLE = {
    Status.OVERDUE: "bold red",
    Status.DUE_SOON: "yellow",
    Status.UPCOMING: "",
    Status.PAUSED: "magenta",
    Status.MET: "green",
    Status.MET_LATE: "dark_orange",
    Status.CLOSED: "dim",
}


def days_text(days: int) -> str:
    """'om 3 dage', 'i dag', '5 dage over' - the distance to a due date in words."""
    if days == 0:
        return "i dag"
    if days > 0:
        return "i morgen" if days == 1 else f"om {days} dage"
    return "1 dag over" if days == -1 else f"{-days} dage over"
