"""Moving a caseload in and out - kasse/v1 JSON, CSV, Excel, and open deadlines as a calendar:
the work behind `kasse import` and `kasse export`."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing, suppress
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from kasse.data import queries, reader
from kasse.domain import Family
from kasse.errors import KasseError, problem_list
from kasse.interchange.fields import Problem
from kasse.interchange.v1 import (
    InvalidDocument,
    Records,
    dump_document,
    dump_family,
    load_json_file,
    parse_records,
    write_json,
)
from kasse.lookups import connect
from kasse.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    from kasse.data.journal import RecordsSaved
    from kasse.data.store import ImportSummary, Store
    from kasse.journal import JournalNote, Task
    from kasse.plausibility import Finding


class FileFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"
    ICS = "ics"


def file_format(path: str | Path, given: FileFormat | None) -> FileFormat:
    """The format asked for, else the one the file name ends in (JSON when it names none)."""
    if given is not None:
        return given
    suffix = Path(str(path)).suffix.lower().lstrip(".")
    return FileFormat(suffix) if suffix in set(FileFormat) else FileFormat.JSON


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, dry, would do): the store's counts, the journal notes added (those not there
    yet), the tasks created and changed, and the unusual facts it let through."""

    source: Path
    summary: ImportSummary
    dry_run: bool
    unusual: tuple[Finding, ...]
    notes_added: int = 0
    tasks_created: int = 0
    tasks_updated: int = 0


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the families and persons read, the journal notes and tasks written with them and,
    for a calendar, the open deadlines it holds."""

    target: str
    file_format: FileFormat
    families: int
    persons: int
    open_deadlines: int | None = None  # None: a kasse/v1 file, which holds the caseload itself
    notes: int = 0
    tasks: int = 0


Step = Callable[[str], None]  # called as each phase begins, with its name: a skin may show progress


def _no_progress(_phase: str) -> None:
    pass


def import_file(
    source: Path,
    db_path: Path,
    *,
    dry_run: bool = False,
    file_format_: FileFormat | None = None,
    report: Path | None = None,
    today: date,
    actor: str | None = None,
    step: Step = _no_progress,
) -> ImportResult:
    """Validate a whole file, then write all of it - families, journal notes, tasks - in one transaction (or,
    dry, roll it back).

    Returns what was done; the skins put it in words. A file with any problem raises InvalidDocument
    (JSON) or InvalidSheet (CSV, XLSX) naming every record or row, field and
    reason, and the database is not touched; `report` gets the same problems
    as a spreadsheet (a header alone when there are none). Notes and tasks
    naming families, persons or notes that neither the file nor the database
    holds are such problems, and so are facts that cannot be right as of
    `today` (kasse.plausibility); the unusual ones are counted in the summary.
    """
    kind = file_format(source, file_format_)
    if kind is FileFormat.ICS:
        raise KasseError("En kalenderfil (.ics) kan kun eksporteres, ikke indlæses")
    from kasse.interchange.csv_format import write_report
    from kasse.interchange.sheet import InvalidSheet

    step("Læser filen")
    try:
        records = _read_records_file(source, kind, db_path, step)
    except (InvalidDocument, InvalidSheet) as invalid:
        if report is None:
            raise
        write_report(invalid.problems, report)
        raise KasseError(f"{invalid.message}\nFejlene er skrevet til {report}") from None
    unusual = _refuse_implausible(records.families, db_path, today, report)
    if report is not None:
        write_report([], report)
    step("Gemmer")
    from kasse.data.db import open_database
    from kasse.data.store import Store

    database = open_database(db_path)
    try:
        saved = _save_with_backup(Store(database, actor), records, db_path, dry_run=dry_run)
    finally:
        database.close()
    created, updated = saved.tasks.created, saved.tasks.updated
    return ImportResult(Path(source), saved.families, dry_run, tuple(unusual), saved.notes_added, created, updated)


def _refuse_implausible(families: list[Family], db_path: Path, today: date, report: Path | None) -> list[Finding]:
    """Raise a KasseError listing every fact of the file that cannot be right (`report` gets them too), before
    anything is written; return the unusual ones."""
    from kasse.interchange.csv_format import write_report
    from kasse.plausibility import Severity, caseload_findings

    cprs = [person.cpr for family in families for person in family.members if person.cpr]
    stored: dict[str, str] = {}
    if cprs and db_path.is_file():
        with suppress(sqlite3.DatabaseError), closing(reader.connect(db_path)) as conn:
            stored = queries.cpr_owners(conn, cprs)  # an empty or broken file holds none (its save then says so)
    findings = caseload_findings(families, today, stored)
    refused = [Problem(f.record, f.field, f.reason) for f in findings if f.severity is Severity.REFUSE]
    if refused:
        heading = f"Filen indeholder oplysninger, der ikke kan være rigtige ({len(refused)} fejl):"
        message = problem_list(heading, refused)
        if report is not None:
            write_report(refused, report)
            message += f"\nFejlene er skrevet til {report}"
        raise KasseError(message)
    return [finding for finding in findings if finding.severity is Severity.WARN]


def _save_with_backup(store: Store, records: Records, db_path: Path, *, dry_run: bool) -> RecordsSaved:
    """Save the validated families, notes and tasks in one transaction, taking an automatic backup first (an
    import can change many families at once) - but only once the write lock is held. Old backups are rotated
    only after the commit, and a save that fails deletes the backup it took: a file that fails, or a database
    another program holds, leaves the backups as they were."""
    from kasse.data.journal import save_records

    backup = None
    try:
        with store.transaction(dry_run=dry_run) as transaction:  # BEGIN IMMEDIATE: the write lock, or busy
            if not dry_run:
                from kasse.backup.copies import backup_if_has_data

                # A reader: it copies the last commit, not this transaction.
                backup = backup_if_has_data(db_path, rotate=False)
            saved = save_records(transaction, records.families, records.notes, records.tasks)
    except BaseException:
        if backup is not None and backup.stored:
            backup.path.unlink(missing_ok=True)
        raise
    if backup is not None:
        from kasse.backup.copies import rotate_after

        rotate_after(backup)
    return saved


def _read_records_file(source: Path, kind: FileFormat, db_path: Path, step: Step) -> Records:
    """The file's families, notes and tasks, checked completely: what the notes and tasks name, against the
    file and the database too."""
    if kind is FileFormat.JSON:
        document = load_json_file(source)
        step("Kontrollerer")
        records = parse_records(document)
        problems = _unknown_refs(records, db_path)
        if problems:
            raise InvalidDocument(problems)
        return records
    from kasse.interchange.csv_format import read_csv, read_journal_csv
    from kasse.interchange.journal_sheet import is_companion, parse_journal_sheets
    from kasse.interchange.sheet import InvalidSheet, parse_sheet

    if kind is FileFormat.XLSX:
        from kasse.interchange.xlsx_format import read_workbook

        sheet, journal = read_workbook(source)
    else:
        if is_companion(Path(str(source))):
            raise KasseError(f"{source} hører til en sagsstamme: indlæs sagsstammens CSV-fil, så læses den med")
        sheet, journal = read_csv(source), read_journal_csv(source)
    step("Kontrollerer")
    stored_families, stored_persons = _stored_records(db_path, *sheet.refs())
    problems = []
    try:
        families = parse_sheet(sheet, stored_families, stored_persons)
    except InvalidSheet as invalid:
        families, problems = [], invalid.problems
    try:
        notes, tasks, locator = parse_journal_sheets(journal)
    except InvalidSheet as invalid:
        raise InvalidSheet(problems + invalid.problems) from None
    if problems:
        raise InvalidSheet(problems)
    records = Records(families, notes, tasks)
    unknown = _unknown_refs(records, db_path)
    if unknown:
        raise InvalidSheet([locator.locate(problem) for problem in unknown])
    return records


def _unknown_refs(records: Records, db_path: Path) -> list[Problem]:
    """What the notes and tasks name that neither the file nor the database holds (`v1_journal.unknown_refs`)."""
    from kasse.interchange.v1_journal import StoredRefs, unknown_refs

    if not (records.notes or records.tasks):
        return []
    stored = StoredRefs()
    if db_path.is_file():
        from kasse.data.journal_reads import known_note_uids
        from kasse.data.record_ids import family_ids

        named = [*records.notes, *records.tasks]
        try:
            with closing(connect(db_path)) as conn:
                stored = StoredRefs(
                    frozenset(family_ids(conn, sorted({record.family_ref for record in named}))),
                    queries.families_of(conn, {record.person_ref for record in named if record.person_ref}),
                    frozenset(known_note_uids(conn, {note.corrects for note in records.notes if note.corrects})),
                )
        except sqlite3.DatabaseError:
            return []  # not a database kasse can read: the save says so, and refuses what it cannot find
    return unknown_refs(records.families, records.notes, records.tasks, stored)


def _stored_records(db_path: Path, family_refs: set[str], person_refs: set[str]) -> tuple[dict, dict]:
    """The stored families (as kasse/v1 objects, by ref) that the rows name, directly or through a member,
    and their members by ref: a spreadsheet row is laid over these, so what it has no column for is kept."""
    if not (family_refs or person_refs) or not db_path.is_file():
        return {}, {}
    with closing(connect(db_path)) as conn:
        through_members = set(queries.families_of(conn, person_refs).values())
        families = reader.read_families(conn, refs=family_refs | through_members)
    dumped = {family.ref: dump_family(family) for family in families}
    persons = {member["ref"]: member for family in dumped.values() for member in family["members"]}
    return dumped, persons


def _selected(conn, family_ref: str | None, person_ref: str | None) -> list[Family]:
    """Every family, or the one `--family` names, or `--person`'s family with that member alone."""
    if person_ref is not None:
        found = queries.families_of(conn, [person_ref]).get(person_ref)
        if found is None or (family_ref is not None and found != family_ref):
            raise KasseError(f"Ukendt person: {person_ref}" if found is None else
                             f"Personen {person_ref} hører ikke til familien {family_ref}")
        family = reader.read_families(conn, refs=[found])[0]
        return [replace(family, members=tuple(m for m in family.members if m.ref == person_ref))]
    if family_ref is not None:
        families = reader.read_families(conn, refs=[family_ref])
        if not families:
            raise KasseError(f"Ukendt familie: {family_ref}")
        return families
    return reader.read_families(conn)


def export_file(
    db_path: Path,
    target: str,
    *,
    file_format_: FileFormat | None = None,
    family: str | None = None,
    person: str | None = None,
    today: date | None = None,
    stamp: datetime | None = None,
    policy: Policy = DEFAULT_POLICY,
    step: Step = _no_progress,
) -> ExportResult:
    """Write the caseload (or one family or person) as kasse/v1 JSON, CSV or Excel, or its open deadlines
    under `policy` as a calendar (`today` and `stamp` - the export's time - are then required); '-' is
    standard output. Returns what was written; the skins put it in words."""
    kind = file_format(target, file_format_)
    step("Læser databasen")
    with closing(connect(db_path)) as conn:
        families = _selected(conn, family, person)
        # Standard output has room for the caseload's CSV alone: the journal's and tasks' go in files beside it.
        alone = kind is FileFormat.ICS or (kind is FileFormat.CSV and str(target) == "-")
        notes, tasks = ([], []) if alone else _journal_of(conn, families, family, person)
    step("Skriver filen")
    persons = sum(len(item.members) for item in families)
    if kind is FileFormat.ICS:
        open_deadlines = _export_calendar(families, target, today, stamp, policy)
        return ExportResult(target, kind, len(families), persons, open_deadlines)
    document = dump_document(families, notes, tasks)
    if kind is FileFormat.CSV:
        from kasse.interchange.csv_format import write_csv

        write_csv(document, target)
    elif kind is FileFormat.XLSX:
        from kasse.interchange.xlsx_format import write_xlsx

        write_xlsx(document, target)
    else:
        write_json(document, target)
    return ExportResult(target, kind, len(families), persons, notes=len(notes), tasks=len(tasks))


def _journal_of(
    conn, families: list[Family], family_ref: str | None, person_ref: str | None
) -> tuple[list[JournalNote], list[Task]]:
    """The notes (oldest first) and tasks (by due date) that go with the exported families: a family's own,
    and those about an exported member. A note about someone not in the export - a member who moved to a
    family left out, a deleted family or person - stays behind: a file names only what it holds or what the
    receiving database has (docs/format.md)."""
    from kasse.data.journal_reads import all_notes, journal_of
    from kasse.data.task_reads import tasks

    family_refs = {family.ref for family in families}
    person_refs = {person.ref for family in families for person in family.members}

    def exported(record: JournalNote | Task) -> bool:
        return record.person_ref in person_refs if record.person_ref is not None else record.family_ref in family_refs

    if family_ref is None and person_ref is None:
        notes, found = all_notes(conn), tasks(conn)
    else:
        chosen = families[0].ref  # the family asked for, or the person's
        notes, found = journal_of(conn, chosen, person_ref)[::-1], tasks(conn, family_ref=chosen)
    return [note for note in notes if exported(note)], [task for task in found if exported(task)]


def _export_calendar(
    families: list[Family], target: str, today: date | None, stamp: datetime | None, policy: Policy
) -> int:
    """Write the open deadlines as a calendar; returns how many."""
    if today is None or stamp is None:
        raise ValueError("a calendar export needs today and stamp")
    from kasse.interchange.ics_format import calendar_bytes
    from kasse.interchange.textfile import replace_file
    from kasse.rules import deadlines

    found = deadlines(families, today=today, window=policy.window_days, policy=policy)
    open_deadlines = [deadline for deadline in found if deadline.status.is_open]
    data = calendar_bytes(open_deadlines, stamp=stamp)
    if target == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        replace_file(Path(target), data)
    return len(open_deadlines)
