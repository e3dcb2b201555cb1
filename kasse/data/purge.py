"""Purging (GDPR retention): persons who left before a day, and families none of whose members is still here,
anonymised everywhere kasse keeps them - in one write transaction, then out of the file's free bytes.

kasse is built never to lose anything, so a purge lifts, for its one
transaction, what keeps history as it was:
- the records: every text replaced as kasse/retention.py says, dates
  kept; written past the store (whose audit rows would copy the names
  back into the trail), versions raised so an edit opened before is refused;
- tasks: their titles; the journal: the notes about a purged person, and a
  purged family's own notes. The journal's triggers (append-only, migration
  0006) are dropped and recreated from their own SQL, and checked back;
  each note leaves the contentless full-text index by FTS5's 'delete' with
  the text it was indexed with, then the index is merged ('optimize') so no
  segment keeps the old words;
- the audit trail: the rows of purged records (families, persons and their
  tasks) get anonymised values, and the hash chain is resealed from the
  first changed row (triggers lifted likewise); one row ("database",
  "purge") records when and how many, no names. The chain is verified
  before commit;
- the access log (migration 0007): purged refs replaced by its own mark.
Any failure rolls everything back. Then `compact` rewrites the file (VACUUM,
secure_delete) and empties the WAL, so no old bytes linger in free pages.

A purge is idempotent: it selects everyone who left before the day, and
changes only what is not anonymised yet. The backup before it, and the one
after (the new anchor `kasse check` compares the resealed trail with), are
the caller's (kasse/cli/purge_commands.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from kasse.data import access_log, record_ids
from kasse.data.audit_chain import ENCODED_SQL, GENESIS, AuditEntry, append, link, verify
from kasse.data.copying import BUSY_TIMEOUT_S
from kasse.data.db import Clock, open_database, utc_now
from kasse.data.reader import read_families
from kasse.data.rows import (
    ACTIVITY,
    CHECKLIST,
    CONTRACT_FOLLOWUP,
    FAMILY,
    FOLLOWUP,
    GOAL,
    PERSON,
    changed_columns,
    family_columns,
    insert_checklist,
    insert_followups,
    insert_person_lists,
    person_columns,
)
from kasse.data.store import Store, Transaction
from kasse.data.write_batch import WriteBatch
from kasse.domain import Family, Person
from kasse.errors import KasseError
from kasse.retention import ANONYMISED, Selection, anonymise_family, anonymise_person, audit_value, select_due

PURGE_TABLE, PURGE_FIELD = "database", "purge"  # the audit row of a purge, beside a restore's ("database")
# How migration 0006's insert trigger indexes a note's text; a 'delete' must name exactly those words.
_INDEXED_TEXT = "replace(replace({}text, 'å', 'aa'), 'Å', 'Aa')"
_GUARDED_TABLES = ("audit", "journal_note")  # whose triggers refuse UPDATE and DELETE
_BATCH = 10_000  # audit rows resealed at a time


@dataclass(frozen=True, slots=True)
class Purged:
    """What a purge changed (or, dry, would change): the refs anonymised, and how many rows of the rest."""

    persons: tuple[str, ...]
    families: tuple[str, ...]
    notes: int
    tasks: int
    audit_rows: int
    access_log_rows: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.persons or self.families or self.notes or self.tasks or self.audit_rows
                    or self.access_log_rows)  # fmt: skip


def purge(db_path: Path, left_before: date, *, actor: str | None = None, clock: Clock = utc_now,
          dry_run: bool = False) -> Purged:
    """Anonymise everyone who left before `left_before` (and their families, tasks, notes, audit rows) in one
    transaction, then `compact` the file; `dry_run` counts the same and rolls back."""
    with (
        open_database(db_path, clock=clock) as database,
        Store(database, actor, clock=clock).transaction(dry_run=dry_run) as transaction,
    ):
        purged = _purge_within(transaction, left_before)
    if not dry_run:
        compact(db_path)
    return purged


def _purge_within(transaction: Transaction, left_before: date) -> Purged:
    raw = transaction.connection.connection.driver_connection
    raw.execute("PRAGMA secure_delete=ON")  # freed cells are zeroed, not left for VACUUM alone
    _require_sound_trail(raw, "Loggen er allerede brudt ved række {} - kør kasse check.")  # resealing would hide it
    families = read_families(raw)
    due = select_due(families, left_before)
    persons, whole = _anonymise_records(transaction.connection, families, due)
    tasks, task_uids = _anonymise_tasks(raw, due)
    _require_index_folding(raw)
    with _triggers_lifted(raw):
        notes = _anonymise_notes(raw, due)
        audit_rows = _anonymise_audit(raw, due, task_uids)
    purged = Purged(persons, whole, notes, tasks, audit_rows, _anonymise_access_log(raw, due))
    if purged.changed:
        _record(raw, transaction.at, transaction.actor, left_before, purged)
    _require_sound_trail(raw, "Anonymiseringen er afbrudt: loggen ville være brudt ved række {}.")
    return purged


def _require_sound_trail(connection: sqlite3.Connection, problem: str) -> None:
    report = verify(connection)
    if not report.ok:
        raise KasseError(problem.format(report.first_broken_id) + " Intet er ændret.")


def compact(db_path: Path) -> None:
    """Rewrite the database without the bytes a purge freed (VACUUM) and fold the WAL in and empty it."""
    with closing(sqlite3.connect(db_path, isolation_level=None, timeout=BUSY_TIMEOUT_S)) as connection:
        connection.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        connection.execute("PRAGMA secure_delete=ON")
        connection.execute("VACUUM")
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise KasseError("Oplysningerne er anonymiseret, men databasefilen kunne ikke skrives helt om, fordi et "
                         "andet program har den åben. Luk kasse alle andre steder, og kør kommandoen igen.")


def _anonymise_access_log(connection: sqlite3.Connection, due: Selection) -> int:
    """Replace the purged refs in the access log (migration 0007): who looked, when and how stays. How many rows."""
    refs = _json(due.persons | due.families)
    sql = "SELECT count(*) FROM access_log WHERE record_ref IN (SELECT value FROM json_each(:refs))" \
          " OR family_ref IN (SELECT value FROM json_each(:refs))"
    (rows,) = connection.execute(sql, {"refs": refs}).fetchone()
    for ref in json.loads(refs):
        access_log.anonymise(connection, ref)
    return rows


# -- the records -------------------------------------------------------------------------------


def _anonymise_records(connection, families: list[Family], due: Selection) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write the anonymised persons and families that differ from what is stored; their refs, in ref order."""
    raw = connection.connection.driver_connection
    batch = WriteBatch(connection)
    person_ids = record_ids.locate_persons(raw, sorted(due.persons))
    family_ids = record_ids.family_ids(raw, sorted(due.families))
    persons, whole = [], []
    for family in families:
        for person in family.members:
            if person.ref in due.persons and _write_person(batch, person_ids[person.ref][0], person):
                persons.append(person.ref)
        if family.ref in due.families and _write_family(batch, family_ids[family.ref], family):
            whole.append(family.ref)
    batch.flush()
    return tuple(sorted(persons)), tuple(sorted(whole))


def _write_person(batch: WriteBatch, person_id: int, person: Person) -> bool:
    anonymised = anonymise_person(person)
    if anonymised == person:
        return False
    batch.update(PERSON, person_id, changed_columns(person_columns(person), person_columns(anonymised)))
    batch.bump(PERSON, person_id)
    for table in (ACTIVITY, CONTRACT_FOLLOWUP, GOAL):  # subgoals and interventions cascade with their goal
        batch.clear(table, "person_id", person_id)
    insert_person_lists(batch, person_id, anonymised)
    return True


def _write_family(batch: WriteBatch, family_id: int, family: Family) -> bool:
    own = replace(family, members=())
    anonymised = anonymise_family(own)
    if anonymised == own:
        return False
    batch.update(FAMILY, family_id, changed_columns(family_columns(own), family_columns(anonymised)))
    batch.bump(FAMILY, family_id)
    batch.clear(FOLLOWUP, "family_id", family_id)
    batch.clear(CHECKLIST, "family_id", family_id)
    insert_followups(batch, family_id, anonymised.plan.followups)
    insert_checklist(batch, family_id, anonymised.checklist)
    return True


def _anonymise_tasks(connection: sqlite3.Connection, due: Selection) -> tuple[int, list[str]]:
    """Replace the titles of the purged persons' and families' tasks; (how many changed, every such task's uid)."""
    where = """(person_id IN (SELECT id FROM person WHERE ref IN (SELECT value FROM json_each(:persons)))
                OR family_id IN (SELECT id FROM family WHERE ref IN (SELECT value FROM json_each(:families))))"""
    params = {"persons": _json(due.persons), "families": _json(due.families), "anonymised": ANONYMISED}
    uids = [uid for (uid,) in connection.execute(f"SELECT uid FROM task WHERE {where}", params)]
    changed = connection.execute(f"UPDATE task SET title = :anonymised WHERE {where} AND title != :anonymised", params)
    return changed.rowcount, uids


# -- the append-only tables -------------------------------------------------------------------


@contextmanager
def _triggers_lifted(connection: sqlite3.Connection) -> Iterator[None]:
    """The audit trail's and journal's triggers dropped for the block and recreated from their own SQL after it,
    then checked back. Inside the transaction: a failure rolls the drop back with everything else."""
    sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (SELECT value FROM json_each(?))"
    triggers = connection.execute(sql, (_json(_GUARDED_TABLES),)).fetchall()
    for name, _ in triggers:
        connection.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, create in triggers:
        connection.execute(create)
    if sorted(connection.execute(sql, (_json(_GUARDED_TABLES),)).fetchall()) != sorted(triggers):
        raise KasseError("Anonymiseringen er afbrudt: journalens og loggens beskyttelse kom ikke tilbage. "
                         "Intet er ændret.")  # fmt: skip


def _anonymise_notes(connection: sqlite3.Connection, due: Selection) -> int:
    """Replace the text of the notes about purged persons and of purged families' own notes, in the journal and
    its full-text index; how many."""
    where = """text != :anonymised AND (person_ref IN (SELECT value FROM json_each(:persons))
               OR (person_ref IS NULL AND family_ref IN (SELECT value FROM json_each(:families))))"""
    params = {"persons": _json(due.persons), "families": _json(due.families), "anonymised": ANONYMISED}
    ids = [note_id for (note_id,) in connection.execute(f"SELECT id FROM journal_note WHERE {where}", params)]
    if not ids:
        return 0
    chosen = "id IN (SELECT value FROM json_each(?))"
    connection.execute(
        "INSERT INTO journal_fts (journal_fts, rowid, text)"
        f" SELECT 'delete', id, {_INDEXED_TEXT.format('')} FROM journal_note WHERE {chosen}", (json.dumps(ids),)
    )
    connection.execute(f"UPDATE journal_note SET text = ? WHERE {chosen}", (ANONYMISED, json.dumps(ids)))
    connection.execute(
        f"INSERT INTO journal_fts (rowid, text) SELECT id, {_INDEXED_TEXT.format('')} FROM journal_note WHERE {chosen}",
        (json.dumps(ids),),
    )
    connection.execute("INSERT INTO journal_fts (journal_fts) VALUES ('optimize')")  # one segment, no old words
    return len(ids)


def _require_index_folding(connection: sqlite3.Connection) -> None:
    """Refuse if the insert trigger no longer indexes a note as _INDEXED_TEXT says: a 'delete' naming other words
    than were indexed would leave the old ones findable."""
    row = connection.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'journal_note_indexed'")
    found = row.fetchone()
    if found is None or _INDEXED_TEXT.format("new.") not in found[0]:
        raise KasseError("Journalens søgeindeks er bygget anderledes, end kasse purge kender - intet er ændret")


def _anonymise_audit(connection: sqlite3.Connection, due: Selection, task_uids: list[str]) -> int:
    """Anonymise the values of the audit rows of purged persons, families and their tasks, and reseal the chain
    from the first row changed; how many rows changed."""
    sql = """SELECT id, table_name, field, old_value, new_value FROM audit
             WHERE (table_name = 'person' AND record IN (SELECT value FROM json_each(:persons)))
                OR (table_name = 'family' AND record IN (SELECT value FROM json_each(:families)))
                OR (table_name = 'task' AND record IN (SELECT value FROM json_each(:tasks)))
             ORDER BY id"""
    params = {"persons": _json(due.persons), "families": _json(due.families), "tasks": _json(task_uids)}
    changes = []
    for row_id, table, field, old, new in connection.execute(sql, params).fetchall():
        values = (audit_value(table, field, old), audit_value(table, field, new))
        if values != (old, new):
            changes.append((*values, row_id))
    if changes:
        connection.executemany("UPDATE audit SET old_value = ?, new_value = ? WHERE id = ?", changes)
        _reseal_from(connection, changes[0][2])
    return len(changes)


def _reseal_from(connection: sqlite3.Connection, first_id: int) -> None:
    """Recompute the chain (kasse/data/audit_chain.py) of every row from `first_id` on, from the row before it."""
    before = connection.execute(
        "SELECT CAST(chain AS BLOB) FROM audit WHERE id < ? ORDER BY id DESC LIMIT 1", (first_id,)
    ).fetchone()
    previous = (before[0] if before else None) or GENESIS
    sql = f"SELECT id, {ENCODED_SQL} FROM audit WHERE id >= ? ORDER BY id LIMIT {_BATCH}"
    next_id = first_id
    # A page at a time, each read finished before its rows are updated.
    while batch := connection.execute(sql, (next_id,)).fetchall():
        sealed = []
        for row_id, encoded in batch:
            previous = link(previous, encoded)
            sealed.append((previous.decode("ascii"), row_id))
        connection.executemany("UPDATE audit SET chain = ? WHERE id = ?", sealed)
        next_id = batch[-1][0] + 1


def _record(connection: sqlite3.Connection, at: str, actor: str, left_before: date, purged: Purged) -> None:
    """The purge's own audit row: when, up to which day, and how many - never who."""
    what = {
        "left_before": left_before.isoformat(),
        "persons": len(purged.persons),
        "families": len(purged.families),
        "notes": purged.notes,
        "tasks": purged.tasks,
        "audit_rows": purged.audit_rows,
        "access_log_rows": purged.access_log_rows,
    }
    append(connection, [AuditEntry(at, actor, PURGE_TABLE, "", PURGE_FIELD, None, json.dumps(what))])


def _json(values) -> str:
    return json.dumps(sorted(values))
