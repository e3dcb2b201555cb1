"""How listing commands print: FORMAT.md's JSON records, CSV, or a Danish table for people."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kasse.journal import TaskDeadline
from kasse.rules import Deadline
from kasse.safe_text import quote_formula, terminal_safe

if TYPE_CHECKING:  # the lookups' values; their modules are loaded by the commands that make them
    from kasse.backup.copies import BackupFile
    from kasse.lookups import Hit, Shown

JSON_FIELDS = ("family", "person", "name", "rule", "title", "due", "status", "days", "met_date", "ruleset", "basis")
# The fields a user typed (refs and the name): in CSV quoted against formulas (docs/format.md). The others are
# kasse's own words, dates and numbers - a negative `days` stays a number.
CSV_TEXT_FIELDS = ("family", "person", "name")
DEADLINE_TEXT_FIELDS = (*CSV_TEXT_FIELDS, "title")  # with --tasks a title may be a task's, typed by a user
SEARCH_FIELDS = ("ref", "family", "name", "category", "nationality", "matched")
SEARCH_TEXT_FIELDS = ("ref", "family", "name", "nationality")
BACKUP_FIELDS = ("file", "taken", "kind", "bytes", "encrypted", "families", "persons")
BACKUP_TEXT_FIELDS = ("file",)
# What json.dumps(ensure_ascii=False) leaves raw although a terminal may obey it (DEL, C1) or cannot print it
# (a lone surrogate); written as \u escapes, the JSON stands for exactly the same text.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff]")


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def deadline_record(deadline: Deadline | TaskDeadline) -> dict:
    """One deadline in the public JSON shape of FORMAT.md; field order is part of the contract. An own task
    (`--tasks`) has the same shape: rule "task", its title, no ruleset and no basis."""
    return {
        "family": deadline.family,
        "person": deadline.person,
        "name": deadline.name,
        "rule": str(deadline.rule),  # a law.Rule (a StrEnum) or "task"
        "title": deadline.title,
        "due": deadline.due.isoformat(),
        "status": deadline.status.value,
        "days": deadline.days,
        "met_date": deadline.met_date.isoformat() if deadline.met_date else None,
        "ruleset": deadline.ruleset and deadline.ruleset.value,
        "basis": deadline.basis,
    }


def write_deadlines(
    found: Sequence[Deadline | TaskDeadline], form: OutputFormat, out: TextIO = sys.stdout, *, with_tasks: bool = False
) -> None:
    if form is OutputFormat.JSON:
        write_json_lines(out, [deadline_record(d) for d in found])
    elif form is OutputFormat.CSV:
        write_csv(out, [deadline_record(d) for d in found], JSON_FIELDS, DEADLINE_TEXT_FIELDS)
    else:
        from kasse.cli.tables import print_deadline_table  # rich.table costs ~40 ms: only for people

        print_deadline_table(found, with_tasks=with_tasks)


def shown_record(shown: Shown) -> dict:
    """`kasse show --json` (docs/format.md): the family as its kasse/v1 record, the person asked for as theirs
    (or null), and the deadlines shown as the lookups' records."""
    from kasse.interchange.v1 import dump_family, dump_person

    return {
        "family": dump_family(shown.family),
        "person": None if shown.person is None else dump_person(shown.person),
        "deadlines": [deadline_record(d) for d in shown.deadlines],
    }


def write_shown(shown: Shown, form: OutputFormat, today: date, out: TextIO = sys.stdout) -> None:
    """One family or person: JSON as above; CSV holds the deadlines only (the record is `kasse export`'s)."""
    if form is OutputFormat.JSON:
        out.write(_escape_raw(json.dumps(shown_record(shown), ensure_ascii=False, indent=2)) + "\n")
    elif form is OutputFormat.CSV:
        write_csv(out, [deadline_record(d) for d in shown.deadlines], JSON_FIELDS, CSV_TEXT_FIELDS)
    else:
        from kasse.cli.tables import print_family

        print_family(shown, today)


def search_record(hit: Hit) -> dict:
    """One person a search found (docs/format.md); `matched` lists the fields that contain the text."""
    person = hit.person
    return {
        "ref": person.ref,
        "family": hit.family.ref,
        "name": person.name,
        "category": person.category.value,
        "nationality": person.nationality,
        "matched": list(hit.matched),
    }


def write_search(found: Sequence[Hit], form: OutputFormat, today: date, out: TextIO = sys.stdout) -> None:
    if form is OutputFormat.JSON:
        write_json_lines(out, [search_record(hit) for hit in found])
    elif form is OutputFormat.CSV:
        rows = [{**record, "matched": " ".join(record["matched"])} for record in map(search_record, found)]
        write_csv(out, rows, SEARCH_FIELDS, SEARCH_TEXT_FIELDS)
    else:
        from kasse.cli.tables import print_search

        print_search(found, today)


def backup_record(item: BackupFile) -> dict:
    """One backup file as `kasse backups --json` lists it; `taken` in UTC."""
    return {
        "file": str(item.path),
        "taken": item.taken.isoformat(),
        "kind": str(item.kind),
        "bytes": item.size,
        "encrypted": item.encrypted,
        "families": item.families,
        "persons": item.persons,
    }


def write_backups(found: Sequence[BackupFile], folder: Path, form: OutputFormat, out: TextIO = sys.stdout) -> None:
    if form is OutputFormat.JSON:
        write_json_lines(out, [backup_record(item) for item in found])
    elif form is OutputFormat.CSV:
        write_csv(out, [backup_record(item) for item in found], BACKUP_FIELDS, BACKUP_TEXT_FIELDS)
    elif not found:
        out.write(f"Ingen sikkerhedskopier i {terminal_safe(str(folder))}\n")
    else:
        from kasse.cli.tables import print_backups

        print_backups(found, folder)


def csv_record(deadline: Deadline, *, on_screen: bool = False) -> dict:
    """The JSON record as a CSV row: the user's text quoted against formulas, and, for a terminal, with its
    control characters made visible (to a file or a pipe the text stays exact)."""
    return _csv_row(deadline_record(deadline), CSV_TEXT_FIELDS, on_screen=on_screen)


def _csv_row(record: dict, text_fields: Iterable[str], *, on_screen: bool) -> dict:
    for field in text_fields:
        value = record[field]
        if value is not None:
            value = quote_formula(value)
            record[field] = terminal_safe(value) if on_screen else value
    return record


def write_csv(out: TextIO, records: Iterable[dict], fields: Sequence[str], text_fields: Sequence[str]) -> None:
    """A header of the JSON keys, then one row a record, the user's text made safe as `csv_record` says."""
    on_screen = out.isatty()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_csv_row(record, text_fields, on_screen=on_screen) for record in records)


def write_json_lines(out: TextIO, records: Sequence[dict]) -> None:
    """A JSON array with one record a line: readable, and written by the C encoder (indent= forces Python's)."""
    if not records:
        out.write("[]\n")
        return
    text = ",\n  ".join(json.dumps(record, ensure_ascii=False) for record in records)
    out.write("[\n  ")
    out.write(_escape_raw(text))
    out.write("\n]\n")


def _escape_raw(text: str) -> str:
    if _RAW_IN_JSON.search(text):  # only inside strings: json.dumps writes nothing else above ASCII
        text = _RAW_IN_JSON.sub(lambda raw: f"\\u{ord(raw.group()):04x}", text)
    return text




def days_text(days: int) -> str:
    """'om 3 dage', 'i dag', '5 dage over' - the distance to a due date in words."""
    if days == 0:
        return "i dag"
    if days > 0:
        return "i morgen" if days == 1 else f"om {days} dage"
    return "1 dag over" if days == -1 else f"{-days} dage over"
