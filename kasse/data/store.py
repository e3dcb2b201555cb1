"""The one write path: saves domain values and leaves an audit row for every change.

A `Transaction` compares what it is given with what the database holds (read
through `reader`, the one row-to-domain mapping), writes only the
differences, and records each one in the audit table: who, when, which
record (family or person ref), which field (its kasse/v1 path, e.g.
`danish.hours_per_week`, a list such as `goals`, or `*` for a whole record
created or deleted) and the old and new value. Nothing else in kasse
writes: the engine refuses INSERT/UPDATE/DELETE on connections the store
did not open.

Rows are written with SQLAlchemy Core in batches, ids assigned here under
the write lock of BEGIN IMMEDIATE: importing 10,000 persons takes about
1.5 s this way, against ~9 s through the ORM's unit of work. Audit rows get
their id and hash chain (`audit_chain.AuditTail`) the same way, the trail's
last row read once per transaction.

No lost updates: every save that changes a family's or person's facts or
lists raises its `version` by one (what SQLAlchemy's `version_id_col`
does, checked and raised here under the same lock). A save from the app
passes the version its edit was read at; if the record has moved on since,
the save is refused with `StaleEdit`, which lists the fields where the two
differ. Imports pass none: the file wins, by design - but they raise the
versions, so an edit begun before them is refused.

Refs are never reused: deleting a family or person writes its ref to
`retired_ref`, and creating a record with a retired ref is refused.

Every family a transaction touches also gets its prefilter index
(`kasse.deadline_index`), its own and its members', recomputed from its
final state, in the same transaction and without audit rows: the columns
are derived, not facts a user entered. That is why the data layer imports
the deadline engine, which is pure (domain values and dates only).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, update

from kasse.data import models
from kasse.data.audit import WHOLE_RECORD, audit_text, current_actor, differences, family_record, person_record
from kasse.data.audit_chain import AuditEntry, AuditTail
from kasse.data.db import WRITES_ALLOWED, Clock, Database, utc_now
from kasse.data.reader import read_families
from kasse.data.stale_edit import StaleEdit
from kasse.deadline_index import family_index
from kasse.domain import Family, FollowUp, Goal, Person
from kasse.errors import KasseError, problem_list

_FAMILY = models.FamilyRow.__table__
_FOLLOWUP = models.FollowUpRow.__table__
_CHECKLIST = models.ChecklistItemRow.__table__
_PERSON = models.PersonRow.__table__
_ACTIVITY = models.ContractActivityRow.__table__
_CONTRACT_FOLLOWUP = models.ContractFollowUpRow.__table__
_GOAL = models.GoalRow.__table__
_SUBGOAL = models.SubgoalRow.__table__
_INTERVENTION = models.InterventionRow.__table__
_AUDIT = models.AuditRow.__table__
_RETIRED = models.RetiredRefRow.__table__
_AUDIT_COLUMNS = ("id", "at", "actor", "table_name", "record", "field", "old_value", "new_value", "chain")
_KIND_WORDS = {"family": "familie", "person": "person"}

_CHUNK = 500  # ids per IN (...) list, well below SQLite's variable limit


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class ImportSummary:
    families_created: int = 0
    families_updated: int = 0
    families_unchanged: int = 0
    persons_created: int = 0
    persons_updated: int = 0
    persons_unchanged: int = 0


class Store:
    """Opens write transactions on a database on behalf of one actor."""

    def __init__(self, database: Database, actor: str | None = None, *, clock: Clock = utc_now) -> None:
        self.database = database
        self.actor = current_actor(actor)
        self.clock = clock

    @contextmanager
    def transaction(self, *, dry_run: bool = False) -> Iterator[Transaction]:
        """One BEGIN IMMEDIATE ... COMMIT; an exception (or `dry_run`) rolls everything back."""
        with self.database.engine.connect() as connection:
            connection.execution_options(**{WRITES_ALLOWED: True})
            with connection.begin() as begun:
                yield Transaction(
                    connection, self.actor, self.clock().astimezone(UTC).isoformat(timespec="milliseconds")
                )
                if dry_run:
                    begun.rollback()


def import_families(store: Store, families: Iterable[Family], *, dry_run: bool = False) -> ImportSummary:
    """Save many families in one transaction, all or nothing; counts what was (or would be) changed."""
    with store.transaction(dry_run=dry_run) as transaction:
        return transaction.save_families(list(families))


class Transaction:
    """The writes of one transaction. Get one from `Store.transaction()`."""

    def __init__(self, connection: Connection, actor: str, at: str) -> None:
        self._connection = connection
        self._raw = connection.connection.driver_connection  # the sqlite3 connection, for reads
        self._actor = actor
        self._at = at
        self._next_ids: dict[str, int] = {}
        self._pending = _Pending()
        self._audit_tail: AuditTail | None = None

    # -- public operations ------------------------------------------------

    def save_family(self, family: Family, *, expected_version: int | None = None) -> Outcome:
        """Create or update a family by ref, with its members (by person ref).

        Lists (follow-ups, checklist, contract activities and follow-ups,
        goals) are replaced by the given ones; a member found in another
        family moves here; members in the database but not in `family` are
        kept: saving never deletes. With `expected_version`, the family's own
        fields are saved only if it still has that version (else `StaleEdit`).
        """
        return self._save([family], expected_version)[0][0]

    def save_families(self, families: list[Family]) -> ImportSummary:
        """Save each family as `save_family` does; counts families and persons by outcome."""
        results = self._save(families)
        family_outcomes = [outcome for outcome, _ in results]
        person_outcomes = [outcome for _, persons in results for outcome in persons]
        return ImportSummary(
            families_created=family_outcomes.count(Outcome.CREATED),
            families_updated=family_outcomes.count(Outcome.UPDATED),
            families_unchanged=family_outcomes.count(Outcome.UNCHANGED),
            persons_created=person_outcomes.count(Outcome.CREATED),
            persons_updated=person_outcomes.count(Outcome.UPDATED),
            persons_unchanged=person_outcomes.count(Outcome.UNCHANGED),
        )

    def save_person(self, family_ref: str, person: Person, *, expected_version: int | None = None) -> Outcome:
        """Create or update one person in an existing family (moving them there if needed).

        With `expected_version`, only if the person still has that version (else `StaleEdit`).
        """
        family_id = self._family_ids([family_ref]).get(family_ref)
        if family_id is None:
            if expected_version is not None:
                raise StaleEdit("person", person.ref, deleted=True)
            raise KasseError(f"Ukendt reference: {family_ref}")
        located = self._locate_persons([person.ref])
        if person.ref not in located:
            if expected_version is not None:
                raise StaleEdit("person", person.ref, deleted=True)
            self._refuse_retired([person.ref])
        touched = {family_ref} | {old_family_ref for _, old_family_ref in located.values()}  # a move touches both
        existing = self._persons_in(family for _, family in located.values())
        if expected_version is not None:
            self._require_version("person", person.ref, expected_version, existing[person.ref], person)
        outcome = self._save_member(family_id, family_ref, person, located, existing)
        self._flush()
        self._reindex(touched)
        return outcome

    def add_followup(self, family_ref: str, followup: FollowUp) -> None:
        """Record a follow-up on the family's plan, after the ones already recorded."""
        family = self._read_family(family_ref)
        plan = replace(family.plan, followups=(*family.plan.followups, followup))
        self._save([replace(family, plan=plan, members=())])

    def delete_person(self, ref: str) -> None:
        located = self._locate_persons([ref])
        if ref not in located:
            raise KasseError(f"Ukendt reference: {ref}")
        person_id, family_ref = located[ref]
        person = self._persons_in([family_ref])[ref]
        self._audit("person", ref, WHOLE_RECORD, person_record(person, family_ref), None)
        self._connection.execute(delete(_PERSON).where(_PERSON.c.id == person_id))
        self._retire([(ref, "person")])
        self._flush()
        self._reindex([family_ref])

    def delete_family(self, ref: str) -> None:
        """Delete a family and its members; every deleted record is audited with its values."""
        family = self._read_family(ref)
        self._audit("family", ref, WHOLE_RECORD, family_record(family), None)
        for person in family.members:
            self._audit("person", person.ref, WHOLE_RECORD, person_record(person, ref), None)
        self._connection.execute(delete(_FAMILY).where(_FAMILY.c.ref == ref))  # members and lists cascade
        self._retire([(ref, "family"), *((person.ref, "person") for person in family.members)])
        self._flush()

    # -- comparing and planning -------------------------------------------

    def _save(self, families: list[Family], expected_version: int | None = None) -> list[tuple[Outcome, list[Outcome]]]:
        """Save `families`; `expected_version` is that of the one family given, when its edit carries one."""
        _require_unique("Familien", (family.ref for family in families))
        _require_unique("Personen", (person.ref for family in families for person in family.members))
        family_ids = self._family_ids([family.ref for family in families])
        located = self._locate_persons([person.ref for family in families for person in family.members])
        if expected_version is not None and families[0].ref not in family_ids:
            raise StaleEdit("family", families[0].ref, deleted=True)
        self._refuse_retired(
            [
                *(family.ref for family in families if family.ref not in family_ids),
                *(person.ref for family in families for person in family.members if person.ref not in located),
            ]
        )
        wanted = set(family_ids) | {family_ref for _, family_ref in located.values()}
        existing = {family.ref: family for family in read_families(self._raw, refs=wanted)}
        existing_persons = {person.ref: person for family in existing.values() for person in family.members}
        saved_persons = {person.ref for family in families for person in family.members}

        def without_saved(members: Iterable[Person]) -> tuple[Person, ...]:
            return tuple(person for person in members if person.ref not in saved_persons)

        # Each existing family touched, as it stands after this save, for its index.
        final: dict[int, Family] = {}
        results = []
        for family in families:
            old = existing.get(family.ref)
            if old is None:
                family_id = self._new_id(_FAMILY)
                self._insert_family(family_id, family)
                final[family_id] = family
                changed = True
            else:
                family_id = family_ids[family.ref]
                if expected_version is not None:
                    self._require_version(
                        "family", family.ref, expected_version, replace(old, members=()), replace(family, members=())
                    )
                changed = self._update_family(family_id, old, family)
                final[family_id] = replace(family, members=(*without_saved(old.members), *family.members))
            persons = [
                self._save_member(family_id, family.ref, person, located, existing_persons) for person in family.members
            ]
            if old is None:
                outcome = Outcome.CREATED
            elif changed or any(person is not Outcome.UNCHANGED for person in persons):
                outcome = Outcome.UPDATED
            else:
                outcome = Outcome.UNCHANGED
            results.append((outcome, persons))
        moved_from = [old for ref, old in existing.items() if ref not in family_ids]  # not saved, lost members
        moved_from_ids = self._family_ids([old.ref for old in moved_from])
        for old in moved_from:
            final[moved_from_ids[old.ref]] = replace(old, members=without_saved(old.members))
        self._index(final, located)
        self._flush()
        return results

    def _insert_family(self, family_id: int, family: Family) -> None:
        self._pending.insert(_FAMILY, {"id": family_id, **_family_columns(family)})
        self._insert_followups(family_id, family.plan.followups)
        self._insert_checklist(family_id, family)
        self._audit("family", family.ref, WHOLE_RECORD, None, family_record(family))

    def _update_family(self, family_id: int, old: Family, new: Family) -> bool:
        changes = list(differences(replace(old, members=()), replace(new, members=())))
        if not changes:
            return False
        for path, before, after in changes:
            self._audit("family", old.ref, path, before, after)
        self._pending.update(_FAMILY, family_id, _changed(_family_columns(old), _family_columns(new)))
        self._pending.bump(_FAMILY, family_id)
        if old.plan.followups != new.plan.followups:
            self._pending.clear(_FOLLOWUP, "family_id", family_id)
            self._insert_followups(family_id, new.plan.followups)
        if old.checklist != new.checklist:
            self._pending.clear(_CHECKLIST, "family_id", family_id)
            self._insert_checklist(family_id, new)
        return True

    def _save_member(
        self,
        family_id: int,
        family_ref: str,
        person: Person,
        located: dict[str, tuple[int, str]],
        existing: dict[str, Person],
    ) -> Outcome:
        if person.ref not in located:
            person_id = self._new_id(_PERSON)
            self._pending.insert(_PERSON, {"id": person_id, "family_id": family_id, **_person_columns(person)})
            self._insert_person_lists(person_id, person)
            self._audit("person", person.ref, WHOLE_RECORD, None, person_record(person, family_ref))
            located[person.ref] = (person_id, family_ref)
            existing[person.ref] = person
            return Outcome.CREATED

        person_id, old_family_ref = located[person.ref]
        old = existing[person.ref]
        if old == person and old_family_ref == family_ref:
            return Outcome.UNCHANGED
        columns = _changed(_person_columns(old), _person_columns(person))
        if old_family_ref != family_ref:
            self._audit("person", person.ref, "family", old_family_ref, family_ref)
            columns["family_id"] = family_id
            located[person.ref] = (person_id, family_ref)
        changes = list(differences(old, person))
        if not changes and not columns:
            return Outcome.UNCHANGED
        for path, before, after in changes:
            self._audit("person", person.ref, path, before, after)
        self._pending.update(_PERSON, person_id, columns)
        self._pending.bump(_PERSON, person_id)
        activities = old.contract.activities != person.contract.activities
        contract_followups = old.contract.followups != person.contract.followups
        goals = old.goals != person.goals
        if activities:
            self._pending.clear(_ACTIVITY, "person_id", person_id)
        if contract_followups:
            self._pending.clear(_CONTRACT_FOLLOWUP, "person_id", person_id)
        if goals:
            self._pending.clear(_GOAL, "person_id", person_id)  # subgoals and interventions cascade
        self._insert_person_lists(
            person_id, person, activities=activities, contract_followups=contract_followups, goals=goals
        )
        existing[person.ref] = person
        return Outcome.UPDATED

    # -- rows ---------------------------------------------------------------

    def _insert_followups(self, family_id: int, followups: Iterable[FollowUp]) -> None:
        for position, followup in enumerate(followups):
            self._pending.insert(
                _FOLLOWUP, {"family_id": family_id, "position": position, "date": followup.date, "note": followup.note}
            )

    def _insert_checklist(self, family_id: int, family: Family) -> None:
        for position, item in enumerate(family.checklist):
            self._pending.insert(
                _CHECKLIST,
                {
                    "family_id": family_id,
                    "position": position,
                    "phase": item.phase,
                    "task": item.task,
                    "done_date": item.done_date,
                },
            )

    def _insert_person_lists(
        self,
        person_id: int,
        person: Person,
        *,
        activities: bool = True,
        contract_followups: bool = True,
        goals: bool = True,
    ) -> None:
        if activities:
            for position, text in enumerate(person.contract.activities):
                self._pending.insert(_ACTIVITY, {"person_id": person_id, "position": position, "text": text})
        if contract_followups:
            for position, followup in enumerate(person.contract.followups):
                self._pending.insert(
                    _CONTRACT_FOLLOWUP,
                    {
                        "person_id": person_id,
                        "position": position,
                        "date": followup.date,
                        "form": followup.form,
                        "note": followup.note,
                    },
                )
        if goals:
            for position, goal in enumerate(person.goals):
                self._insert_goal(person_id, position, goal)

    def _insert_goal(self, person_id: int, position: int, goal: Goal) -> None:
        goal_id = self._new_id(_GOAL)
        self._pending.insert(
            _GOAL, {"id": goal_id, "person_id": person_id, "position": position, "area": goal.area, "goal": goal.goal}
        )
        for index, text in enumerate(goal.subgoals):
            self._pending.insert(_SUBGOAL, {"goal_id": goal_id, "position": index, "text": text})
        for index, intervention in enumerate(goal.interventions):
            self._pending.insert(
                _INTERVENTION,
                {
                    "goal_id": goal_id,
                    "position": index,
                    "title": intervention.title,
                    "department": intervention.department,
                    "start_date": intervention.start,
                    "end_date": intervention.end,
                    "status": intervention.status,
                },
            )

    def _index(self, families: dict[int, Family], located: dict[str, tuple[int, str]]) -> None:
        """Queue the prefilter index of each family (id -> its final state) and of its members, whose
        rows are found through `located` or else the database; derived, so not audited."""
        indexes = {family_id: family_index(family) for family_id, family in families.items()}
        members = [ref for index in indexes.values() for ref in index.members]
        located = {**self._locate_persons([ref for ref in members if ref not in located]), **located}
        for family_id, index in indexes.items():
            self._pending.update(_FAMILY, family_id, index.plan.columns())
            for ref, dates in index.members.items():
                self._pending.update(_PERSON, located[ref][0], dates.columns())

    def _reindex(self, refs: Iterable[str]) -> None:
        """Index the families as they now stand in this transaction (after a flush)."""
        family_ids = self._family_ids(list(refs))
        families = read_families(self._raw, full=False, refs=family_ids)
        self._index({family_ids[family.ref]: family for family in families}, {})
        self._flush()

    def _audit(self, table: str, record: str, field: str, old: Any, new: Any) -> None:
        self._pending.audit.append(
            AuditEntry(self._at, self._actor, table, record, field, audit_text(old), audit_text(new))
        )

    # -- versions and retired refs ------------------------------------------

    def _require_version(self, kind: str, ref: str, expected: int, saved: Any, yours: Any) -> None:
        """Refuse the save when the record has moved on from `expected` and `yours` differs from `saved`."""
        table = _FAMILY if kind == "family" else _PERSON
        (current,) = self._raw.execute(f"SELECT version FROM {table.name} WHERE ref = ?", (ref,)).fetchone()
        if current == expected:
            return
        differing = list(differences(saved, yours))
        if differing:  # the same edit made twice is no conflict
            raise StaleEdit.between(kind, ref, differing)

    def _refuse_retired(self, refs: list[str]) -> None:
        """A new record must not take the ref of a deleted one: their audit trails would mix."""
        if not refs:
            return
        sql = "SELECT ref, kind FROM retired_ref WHERE ref IN (SELECT value FROM json_each(?)) ORDER BY ref"
        retired = self._raw.execute(sql, (json.dumps(refs),)).fetchall()
        if len(retired) == 1:
            ((ref, kind),) = retired
            raise KasseError(
                f"Referencen {ref} har tilhørt en slettet {_KIND_WORDS.get(kind, kind)} og kan ikke genbruges"
                " - vælg en anden."
            )
        if retired:
            raise KasseError(
                problem_list(
                    f"{len(retired)} referencer har tilhørt slettede familier eller personer og kan ikke genbruges:",
                    [f"{ref} ({_KIND_WORDS.get(kind, kind)})" for ref, kind in retired],
                )
            )

    def _retire(self, refs: list[tuple[str, str]]) -> None:
        """Tombstones for deleted records: (ref, "family" or "person"); a ref retired twice keeps its first."""
        rows = [{"ref": ref, "kind": kind, "retired_at": self._at} for ref, kind in refs]
        self._connection.execute(insert(_RETIRED).prefix_with("OR IGNORE"), rows)

    def _new_id(self, table: Table) -> int:
        # Safe to assign here: BEGIN IMMEDIATE holds the write lock until commit.
        if table.name not in self._next_ids:
            (highest,) = self._raw.execute(f"SELECT coalesce(max(id), 0) FROM {table.name}").fetchone()
            self._next_ids[table.name] = highest + 1
        new_id = self._next_ids[table.name]
        self._next_ids[table.name] = new_id + 1
        return new_id

    def _flush(self) -> None:
        if self._pending.audit:
            if self._audit_tail is None:
                self._audit_tail = AuditTail.read(self._raw)
            for row in self._audit_tail.extend(self._pending.audit):
                self._pending.insert(_AUDIT, dict(zip(_AUDIT_COLUMNS, row, strict=True)))
        self._pending.write(self._connection)
        self._pending = _Pending()

    # -- reads (through the raw sqlite3 connection of this transaction) -----

    def _family_ids(self, refs: list[str]) -> dict[str, int]:
        sql = "SELECT ref, id FROM family WHERE ref IN (SELECT value FROM json_each(?))"
        return dict(self._raw.execute(sql, (json.dumps(refs),)).fetchall())

    def _locate_persons(self, refs: list[str]) -> dict[str, tuple[int, str]]:
        """person ref -> (person id, family ref) for the refs already in the database."""
        sql = """SELECT p.ref, p.id, f.ref FROM person p JOIN family f ON f.id = p.family_id
                 WHERE p.ref IN (SELECT value FROM json_each(?))"""
        rows = self._raw.execute(sql, (json.dumps(refs),)).fetchall()
        return {ref: (person_id, family_ref) for ref, person_id, family_ref in rows}

    def _persons_in(self, family_refs: Iterable[str]) -> dict[str, Person]:
        families = read_families(self._raw, refs=set(family_refs))
        return {person.ref: person for family in families for person in family.members}

    def _read_family(self, ref: str) -> Family:
        families = read_families(self._raw, refs=[ref])
        if not families:
            raise KasseError(f"Ukendt reference: {ref}")
        return families[0]


class _Pending:
    """Writes collected during one save, executed in an order the foreign keys accept."""

    _INSERT_ORDER = (
        _FAMILY, _PERSON, _FOLLOWUP, _CHECKLIST, _ACTIVITY, _CONTRACT_FOLLOWUP, _GOAL, _SUBGOAL, _INTERVENTION, _AUDIT
    )

    def __init__(self) -> None:
        self.inserts: dict[str, list[dict[str, Any]]] = {}
        self.inserted: dict[tuple[str, int], dict[str, Any]] = {}  # (table, id) -> its row in `inserts`
        self.updates: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.clears: dict[tuple[str, str], list[int]] = {}
        self.bumps: dict[str, set[int]] = {}  # table -> ids whose version goes up by one
        self.audit: list[AuditEntry] = []  # given ids and chains at the flush

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self.inserts.setdefault(table.name, []).append(row)
        if "id" in row:
            self.inserted[table.name, row["id"]] = row

    def update(self, table: Table, row_id: int, columns: dict[str, Any]) -> None:
        """Change columns of a row; one inserted in this same batch gets them in its INSERT."""
        inserted = self.inserted.get((table.name, row_id))
        if inserted is not None:
            inserted.update(columns)
        elif columns:
            self.updates.setdefault(table.name, []).append((row_id, columns))

    def clear(self, table: Table, parent_column: str, parent_id: int) -> None:
        self.clears.setdefault((table.name, parent_column), []).append(parent_id)

    def bump(self, table: Table, row_id: int) -> None:
        """Raise the row's version by one (once per save, however many of its fields change)."""
        self.bumps.setdefault(table.name, set()).add(row_id)

    def write(self, connection: Connection) -> None:
        tables = models.metadata.tables
        # Families first: a member may move into a family created in this save.
        if _FAMILY.name in self.inserts:
            connection.execute(insert(_FAMILY), self.inserts.pop(_FAMILY.name))
        for (table_name, parent_column), parent_ids in self.clears.items():
            table = tables[table_name]
            for start in range(0, len(parent_ids), _CHUNK):
                chunk = parent_ids[start : start + _CHUNK]
                connection.execute(delete(table).where(table.c[parent_column].in_(chunk)))
        for table_name, changes in self.updates.items():
            _update_rows(connection, tables[table_name], changes)
        for table_name, row_ids in self.bumps.items():
            table = tables[table_name]
            ids = sorted(row_ids)
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                connection.execute(update(table).where(table.c.id.in_(chunk)).values(version=table.c.version + 1))
        for table in self._INSERT_ORDER:
            rows = self.inserts.get(table.name)
            if rows:
                connection.execute(insert(table), rows)


def _update_rows(connection: Connection, table: Table, changes: list[tuple[int, dict[str, Any]]]) -> None:
    """UPDATE ... WHERE id = ?, one executemany per set of changed columns."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, columns in changes:
        params = {"row_id": row_id, **{f"new_{name}": value for name, value in columns.items()}}
        by_columns.setdefault(tuple(sorted(columns)), []).append(params)
    for names, rows in by_columns.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}") for name in names})
        )
        connection.execute(statement, rows)


# -- domain values -> columns ---------------------------------------------------------


def _family_columns(family: Family) -> dict[str, Any]:
    return {
        "ref": family.ref,
        "coordinating_department": family.coordinating_department,
        "housing": family.housing,
        "housing_since": family.housing_since,
        "plan_made_date": family.plan.made_date,
        "plan_followup_months": family.plan.followup_months,
    }


def _person_columns(person: Person) -> dict[str, Any]:
    programme, contract, danish = person.programme, person.contract, person.danish
    plan_offer, health, assessment, decision = person.plan_offer, person.health, person.assessment, person.um_decision
    return {
        "ref": person.ref,
        "name": person.name,
        "cpr": person.cpr,
        "birth_date": person.birth_date,
        "category": person.category,
        "role": person.role,
        "nationality": person.nationality,
        "takeover_date": person.takeover_date,
        "left_date": person.left_date,
        "left_reason": person.left_reason,
        "programme_exempt_reason": programme.exempt_reason,
        "programme_start_date": programme.start_date,
        "um_decision_date": decision.date if decision else None,
        "um_decision_offered": decision.offered if decision else None,
        "contract_signed_date": contract.signed_date,
        "contract_goal_kind": contract.goal_kind,
        "contract_goal": contract.goal,
        "danish_start_date": danish.start_date,
        "danish_provider": danish.provider,
        "danish_track": danish.track,
        "danish_hours_per_week": danish.hours_per_week,
        "danish_paused_from": danish.paused_from,
        "danish_paused_to": danish.paused_to,
        "danish_passed_date": danish.passed_date,
        "danish_referral_date": danish.referral_date,
        "plan_offered_date": plan_offer.offered_date,
        "plan_answer": plan_offer.answer,
        "health_offered_date": health.offered_date,
        "health_declined_date": health.declined_date,
        "health_guidance_date": health.guidance_date,
        "health_consent": health.consent,
        "health_result_received_date": health.result_received_date,
        "health_need": health.need,
        "health_need_date": health.need_date,
        "assessment_education": assessment.education,
        "assessment_work_experience": assessment.work_experience,
        "assessment_languages": assessment.languages,
        "assessment_literacy": assessment.literacy,
        "assessment_health_summary": assessment.health_summary,
    }


def _changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in new.items() if value != old[name]}


def _require_unique(what: str, refs: Iterable[str]) -> None:
    seen: set[str] = set()
    for ref in refs:
        if ref in seen:
            raise KasseError(f"{what} {ref} optræder mere end én gang")
        seen.add(ref)
