"""The one write path: saves domain values and leaves an audit row for every change.

A `Transaction` compares what it is given with what the database holds (read
through `reader`, the one row-to-domain mapping), writes only the
differences, and records each one in the audit table: who, when, which
record (family or person ref), which field (its kasse/v1 path, e.g.
`danish.hours_per_week`, a list such as `goals`, or `*` for a whole record
created or deleted) and the old and new value. Nothing else in kasse
writes: the engine refuses INSERT/UPDATE/DELETE on connections the store
did not open. The rows (`rows`) go in through a `write_batch.WriteBatch`.

No lost updates: every save that changes a family's or person's facts or
lists raises its `version` by one (what SQLAlchemy's `version_id_col`
does, checked and raised here under the same lock). A save from the app
passes the version its edit was read at - the family's, and each member's
it carries; if a record has moved on since, the save is refused with
`StaleEdit`, which lists the fields where the two differ, and nothing of
the transaction is written. Imports pass none: the file wins, by design -
but they raise the versions, so an edit begun before them is refused.

Refs are never reused (`refs`): a deleted record's ref is retired, and a
new record may not take it.

Every family a transaction touches also gets its prefilter index
(`kasse.deadline_index`), its own and its members', recomputed from its
final state, in the same transaction and without audit rows: the columns
are derived, not facts a user entered. That is why the data layer imports
the deadline engine, which is pure (domain values and dates only).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, delete

from kasse.data import record_ids
from kasse.data.audit import WHOLE_RECORD, audit_text, current_actor, differences, family_record, person_record
from kasse.data.audit_chain import AuditEntry
from kasse.data.db import WRITES_ALLOWED, Clock, Database, utc_now
from kasse.data.reader import read_families
from kasse.data.refs import refuse_retired, require_free, require_unique, retire
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
from kasse.data.stale_edit import StaleEdit
from kasse.data.write_batch import WriteBatch
from kasse.deadline_index import family_index
from kasse.domain import Family, FollowUp, Person
from kasse.errors import KasseError


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
    """The writes of one transaction. Get one from `Store.transaction()`. Its `connection`, `actor` and `at`
    are public so the journal's and tasks' writes can join it (`JournalWrites.within`): all or nothing."""

    def __init__(self, connection: Connection, actor: str, at: str) -> None:
        self.connection = connection
        self.actor = actor
        self.at = at
        self._raw = connection.connection.driver_connection  # the sqlite3 connection, for reads
        self._batch = WriteBatch(connection)

    # -- public operations ------------------------------------------------

    def save_family(
        self, family: Family, *, expected_version: int | None = None, member_versions: Mapping[str, int] | None = None
    ) -> Outcome:
        """Create or update a family by ref, with its members (by person ref).

        Lists (follow-ups, checklist, contract activities and follow-ups,
        goals) are replaced by the given ones; a member found in another
        family moves here; members in the database but not in `family` are
        kept: saving never deletes. With `expected_version`, the family's own
        fields are saved only if it still has that version; with
        `member_versions` (person ref -> version), so is each member named
        there - else `StaleEdit`, and nothing is saved.
        """
        return self._save([family], expected_version, member_versions)[0][0]

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
        family_id = record_ids.family_ids(self._raw, [family_ref]).get(family_ref)
        if family_id is None:
            if expected_version is not None:
                raise StaleEdit("person", person.ref, deleted=True)
            raise KasseError(f"Ukendt reference: {family_ref}")
        located = record_ids.locate_persons(self._raw, [person.ref])
        if person.ref not in located:
            if expected_version is not None:
                raise StaleEdit("person", person.ref, deleted=True)
            refuse_retired(self._raw, [person.ref])
        touched = {family_ref} | {old_family_ref for _, old_family_ref in located.values()}  # a move touches both
        existing = record_ids.persons_in(self._raw, [family for _, family in located.values()])
        if expected_version is not None:
            self._require_version("person", person.ref, expected_version, existing[person.ref], person)
        outcome = self._save_member(family_id, family_ref, person, located, existing)
        self._batch.flush()
        self._reindex(touched)
        return outcome

    def require_free_refs(self, refs: Iterable[str]) -> None:
        """Refuse (KasseError) new records whose refs are in use or retired: check before saving them, in the
        same transaction, so that no other writer can take a ref in between."""
        require_free(self._raw, list(refs))

    def add_followup(self, family_ref: str, followup: FollowUp) -> None:
        """Record a follow-up on the family's plan, after the ones already recorded."""
        family = record_ids.read_family(self._raw, family_ref)
        plan = replace(family.plan, followups=(*family.plan.followups, followup))
        self._save([replace(family, plan=plan, members=())])

    def delete_person(self, ref: str) -> None:
        located = record_ids.locate_persons(self._raw, [ref])
        if ref not in located:
            raise KasseError(f"Ukendt reference: {ref}")
        person_id, family_ref = located[ref]
        person = record_ids.persons_in(self._raw, [family_ref])[ref]
        self._audit("person", ref, WHOLE_RECORD, person_record(person, family_ref), None)
        self.connection.execute(delete(PERSON).where(PERSON.c.id == person_id))
        retire(self.connection, [(ref, "person")], self.at)
        self._batch.flush()
        self._reindex([family_ref])

    def delete_family(self, ref: str) -> None:
        """Delete a family and its members; every deleted record is audited with its values."""
        family = record_ids.read_family(self._raw, ref)
        self._audit("family", ref, WHOLE_RECORD, family_record(family), None)
        for person in family.members:
            self._audit("person", person.ref, WHOLE_RECORD, person_record(person, ref), None)
        self.connection.execute(delete(FAMILY).where(FAMILY.c.ref == ref))  # members and lists cascade
        retire(self.connection, [(ref, "family"), *((person.ref, "person") for person in family.members)], self.at)
        self._batch.flush()

    # -- comparing and planning -------------------------------------------

    def _save(
        self,
        families: list[Family],
        expected_version: int | None = None,
        member_versions: Mapping[str, int] | None = None,
    ) -> list[tuple[Outcome, list[Outcome]]]:
        """Save `families`; `expected_version` is that of the one family given and `member_versions` those of its
        members, when its edit carries them: all are checked before anything is written."""
        member_versions = member_versions or {}
        members = [person for family in families for person in family.members]
        require_unique("Familien", (family.ref for family in families))
        require_unique("Personen", (person.ref for person in members))
        family_ids = record_ids.family_ids(self._raw, [family.ref for family in families])
        located = record_ids.locate_persons(self._raw, [person.ref for person in members])
        if expected_version is not None and families[0].ref not in family_ids:
            raise StaleEdit("family", families[0].ref, deleted=True)
        for person in members:
            if person.ref in member_versions and person.ref not in located:
                raise StaleEdit("person", person.ref, deleted=True)
        refuse_retired(
            self._raw,
            [
                *(family.ref for family in families if family.ref not in family_ids),
                *(person.ref for person in members if person.ref not in located),
            ],
        )
        wanted = set(family_ids) | {family_ref for _, family_ref in located.values()}
        existing = {family.ref: family for family in read_families(self._raw, refs=wanted)}
        existing_persons = {person.ref: person for family in existing.values() for person in family.members}
        if expected_version is not None and families[0].ref in existing:
            old, new = existing[families[0].ref], families[0]
            self._require_version(
                "family", new.ref, expected_version, replace(old, members=()), replace(new, members=())
            )
        for person in members:
            if person.ref in member_versions:
                saved = existing_persons[person.ref]
                self._require_version("person", person.ref, member_versions[person.ref], saved, person)
        return self._write_families(families, family_ids, located, existing, existing_persons)

    def _write_families(
        self,
        families: list[Family],
        family_ids: dict[str, int],
        located: dict[str, tuple[int, str]],
        existing: dict[str, Family],
        existing_persons: dict[str, Person],
    ) -> list[tuple[Outcome, list[Outcome]]]:
        """Write what differs from `existing`, index every family touched, and flush."""
        saved_persons = {person.ref for family in families for person in family.members}

        def without_saved(members: Iterable[Person]) -> tuple[Person, ...]:
            return tuple(person for person in members if person.ref not in saved_persons)

        # Each existing family touched, as it stands after this save, for its index.
        final: dict[int, Family] = {}
        results = []
        for family in families:
            old = existing.get(family.ref)
            if old is None:
                family_id = self._batch.new_id(FAMILY)
                self._insert_family(family_id, family)
                final[family_id] = family
                changed = True
            else:
                family_id = family_ids[family.ref]
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
        moved_from_ids = record_ids.family_ids(self._raw, [old.ref for old in moved_from])
        for old in moved_from:
            final[moved_from_ids[old.ref]] = replace(old, members=without_saved(old.members))
        self._index(final, located)
        self._batch.flush()
        return results

    def _insert_family(self, family_id: int, family: Family) -> None:
        self._batch.insert(FAMILY, {"id": family_id, **family_columns(family)})
        insert_followups(self._batch, family_id, family.plan.followups)
        insert_checklist(self._batch, family_id, family.checklist)
        self._audit("family", family.ref, WHOLE_RECORD, None, family_record(family))

    def _update_family(self, family_id: int, old: Family, new: Family) -> bool:
        changes = list(differences(replace(old, members=()), replace(new, members=())))
        if not changes:
            return False
        for path, before, after in changes:
            self._audit("family", old.ref, path, before, after)
        self._batch.update(FAMILY, family_id, changed_columns(family_columns(old), family_columns(new)))
        self._batch.bump(FAMILY, family_id)
        if old.plan.followups != new.plan.followups:
            self._batch.clear(FOLLOWUP, "family_id", family_id)
            insert_followups(self._batch, family_id, new.plan.followups)
        if old.checklist != new.checklist:
            self._batch.clear(CHECKLIST, "family_id", family_id)
            insert_checklist(self._batch, family_id, new.checklist)
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
            person_id = self._batch.new_id(PERSON)
            self._batch.insert(PERSON, {"id": person_id, "family_id": family_id, **person_columns(person)})
            insert_person_lists(self._batch, person_id, person)
            self._audit("person", person.ref, WHOLE_RECORD, None, person_record(person, family_ref))
            located[person.ref] = (person_id, family_ref)
            existing[person.ref] = person
            return Outcome.CREATED

        person_id, old_family_ref = located[person.ref]
        old = existing[person.ref]
        if old == person and old_family_ref == family_ref:
            return Outcome.UNCHANGED
        columns = changed_columns(person_columns(old), person_columns(person))
        if old_family_ref != family_ref:
            self._audit("person", person.ref, "family", old_family_ref, family_ref)
            columns["family_id"] = family_id
            located[person.ref] = (person_id, family_ref)
        changes = list(differences(old, person))
        if not changes and not columns:
            return Outcome.UNCHANGED
        for path, before, after in changes:
            self._audit("person", person.ref, path, before, after)
        self._batch.update(PERSON, person_id, columns)
        self._batch.bump(PERSON, person_id)
        activities = old.contract.activities != person.contract.activities
        contract_followups = old.contract.followups != person.contract.followups
        goals = old.goals != person.goals
        if activities:
            self._batch.clear(ACTIVITY, "person_id", person_id)
        if contract_followups:
            self._batch.clear(CONTRACT_FOLLOWUP, "person_id", person_id)
        if goals:
            self._batch.clear(GOAL, "person_id", person_id)  # subgoals and interventions cascade
        insert_person_lists(
            self._batch, person_id, person, activities=activities, contract_followups=contract_followups, goals=goals
        )
        existing[person.ref] = person
        return Outcome.UPDATED

    def _index(self, families: dict[int, Family], located: dict[str, tuple[int, str]]) -> None:
        """Queue the prefilter index of each family (id -> its final state) and of its members, whose
        rows are found through `located` or else the database; derived, so not audited."""
        indexes = {family_id: family_index(family) for family_id, family in families.items()}
        members = [ref for index in indexes.values() for ref in index.members]
        located = {**record_ids.locate_persons(self._raw, [ref for ref in members if ref not in located]), **located}
        for family_id, index in indexes.items():
            self._batch.update(FAMILY, family_id, index.plan.columns())
            for ref, dates in index.members.items():
                self._batch.update(PERSON, located[ref][0], dates.columns())

    def _reindex(self, refs: Iterable[str]) -> None:
        """Index the families as they now stand in this transaction (after a flush)."""
        family_ids = record_ids.family_ids(self._raw, list(refs))
        families = read_families(self._raw, full=False, refs=family_ids)
        self._index({family_ids[family.ref]: family for family in families}, {})
        self._batch.flush()

    def _audit(self, table: str, record: str, field: str, old: Any, new: Any) -> None:
        self._batch.audit(AuditEntry(self.at, self.actor, table, record, field, audit_text(old), audit_text(new)))

    def _require_version(self, kind: str, ref: str, expected: int, saved: Any, yours: Any) -> None:
        """Refuse the save when the record has moved on from `expected` and `yours` differs from `saved`."""
        if record_ids.version(self._raw, kind, ref) == expected:
            return
        differing = list(differences(saved, yours))
        if differing:  # the same edit made twice is no conflict
            raise StaleEdit.between(kind, ref, differing)

