"""The app's one door to the caseload: read with the fast reader, write through the store, notice outside writes.

Screens never see SQL. Reads use `kasse.data.reader` (sqlite3 only, fast to
import); writes go through `kasse.data.store`, imported on the first save
(SQLModel costs ~350 ms) - the app warms it up in a worker after start-up.
Every method may run in a worker thread: each read opens its own sqlite3
connection, and writes are serialised by a lock. Only `changed()` uses the
long-lived watch connection and belongs to the thread that called `watch()`.

No lost updates: reading a family (`family`) also notes the version its
record and each member's had, by value. A save names the records its edit
began from (`based_on`), the caseload passes their versions to the store,
and the store refuses the save (`StaleEdit`) if someone has changed one of
them since - however long the form was open, and even if the screen has
been re-read meanwhile; a save of several records (`save_persons`, a family
with its members) writes all of them or nothing. The versions stay here,
beside the values, not in the domain's dataclasses. A new record must take
a free ref: checked in the save's own write transaction.
"""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from kasse.collector import collector_paused
from kasse.data import queries, reader
from kasse.domain import Family, FollowUp, Person
from kasse.errors import KasseError
from kasse.history import AuditRecord
from kasse.journal import JournalNote
from kasse.policy import DEFAULT_POLICY, Policy
from kasse.rules import Deadline, deadlines, family_deadlines
from kasse.tui.case_record import NO_RECORD, CaseRecord, CaseRecordDoor, read_case_record
from kasse.tui.queue import QueueRow, build_queue
from kasse.tui.undo import SavedEdit

# Records whose version is remembered; an edit begun on one forgotten since is treated as stale.
VERSIONS_KEPT = 10_000
# No record has this version: a save based on it is refused wherever it differs from the saved record.
UNKNOWN_VERSION = 0


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The whole caseload as read at one moment, with the queue built from it under the local policy.
    Never changed in place."""

    today: date
    families: dict[str, Family]
    rows: list[QueueRow]
    family_of: dict[str, str] = field(default_factory=dict)  # person ref -> family ref
    policy: Policy = DEFAULT_POLICY
    retired: frozenset[str] = frozenset()  # refs of deleted families and persons, never given again
    record: CaseRecord = NO_RECORD

    @classmethod
    def build(
        cls, families: Iterable[Family], today: date, policy: Policy = DEFAULT_POLICY, retired: Iterable[str] = (),
        record: CaseRecord = NO_RECORD,
    ) -> Snapshot:
        by_ref = {family.ref: family for family in families}
        rows = build_queue(by_ref.values(), today=today, window=policy.window_days, policy=policy)
        family_of = {person.ref: family.ref for family in by_ref.values() for person in family.members}
        return cls(today, by_ref, rows, family_of, policy, frozenset(retired), record)

    def with_record(self, record: CaseRecord) -> Snapshot:
        """This snapshot with the journal's and tasks' part read anew (after a note or task was saved)."""
        return replace(self, record=record)

    def with_family(self, ref: str, family: Family | None) -> Snapshot:
        """This snapshot with one family replaced, added or (None) removed; only its rows are rebuilt.

        A family or member that is gone was deleted (the app moves no one): its ref counts as retired.
        """
        families = dict(self.families)
        family_of = {person: owner for person, owner in self.family_of.items() if owner != ref}
        rows = [row for row in self.rows if row.family_ref != ref]
        gone = {person for person, owner in self.family_of.items() if owner == ref}
        if family is None:
            families.pop(ref, None)
            gone.add(ref)
        else:
            families[family.ref] = family
            family_of.update((person.ref, family.ref) for person in family.members)
            gone -= {person.ref for person in family.members}
            rows.extend(build_queue([family], today=self.today, window=self.policy.window_days, policy=self.policy))
            rows.sort(key=lambda row: row.urgency)
        return Snapshot(self.today, families, rows, family_of, self.policy, self.retired | gone, self.record)

    def refs_in_use(self) -> set[str]:
        """Every ref a new family or person may not take: those of the caseload and the retired ones."""
        return {*self.families, *self.family_of, *self.retired}

    def deadlines(self, window: int | None = None) -> list[Deadline]:
        """Every deadline of the caseload under the policy; `window` (days) overrides the policy's."""
        window = self.policy.window_days if window is None else window
        return deadlines(self.families.values(), today=self.today, window=window, policy=self.policy)

    def family_deadlines(self, family: Family) -> list[Deadline]:
        """One family's deadlines (it may hold more than the snapshot's copy: the family screen's full read)."""
        return family_deadlines(family, today=self.today, window=self.policy.window_days, policy=self.policy)

    @property
    def person_count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class Change:
    """One audited change of one field: when, by whom, from what to what (values as stored)."""

    at: str
    actor: str
    field: str
    old: str | None
    new: str | None


class Caseload(CaseRecordDoor):
    def __init__(self, path: Path, today: date, policy: Policy = DEFAULT_POLICY, actor: str | None = None) -> None:
        self.path = Path(path)
        self.actor = actor  # the configured user; None: $KASSE_USER, else the login name
        self.today = today
        self.policy = policy
        self._watch: sqlite3.Connection | None = None
        self._seen_version: int | None = None
        self._database = None
        self._write_lock = threading.Lock()
        # (kind, record as read) -> the version it had then; kind is "family" or "person".
        self._versions: OrderedDict[tuple[str, Family | Person], int] = OrderedDict()
        self._versions_lock = threading.Lock()
        self.last_edit: SavedEdit | None = None  # the last save through a form, for undo

    # -- opening

    def prepare(self) -> bool:
        """Create or migrate the database when needed (heavy imports only then); True if it was created."""
        if reader.is_current(self.path):
            return False
        existed = self.path.is_file() and self.path.stat().st_size > 0
        self._open_database()
        return not existed

    def load(self) -> Snapshot:
        """The whole caseload as the queue and the deadline panel need it (not notes, goals, checklists:
        the family screen reads those for one family) - a third of the time and memory of a full read."""
        with collector_paused(), closing(reader.connect(self.path)) as connection:
            families = reader.read_families(connection, full=False)
            snapshot = Snapshot.build(families, self.today, self.policy, reader.retired_refs(connection),
                                      read_case_record(connection))
        # Keep the next full collection from walking these values once more (a 0.2 s pause at the first
        # keystroke); reference counting still frees them when a newer snapshot replaces this one.
        gc.freeze()
        return snapshot

    def family(self, ref: str) -> Family | None:
        """One family with everything recorded about it (notes, goals, checklist); notes its versions."""
        with closing(reader.connect(self.path)) as connection:
            found, versions = reader.family_with_versions(connection, ref)
        if not found:
            return None
        family = found[0]
        self._remember(
            [("family", family, versions[("family", family.ref)])]
            + [("person", person, versions[("person", person.ref)]) for person in family.members]
        )
        return family

    def version_of(self, record: Family | Person) -> int:
        """The version a family or person had when `family` read it with exactly these values: what an edit
        begun from it is based on. A record not read here gets UNKNOWN_VERSION, so its save is checked."""
        kind = "family" if isinstance(record, Family) else "person"
        with self._versions_lock:
            return self._versions.get((kind, record), UNKNOWN_VERSION)

    def _remember(self, read: list[tuple[str, Family | Person, int]]) -> None:
        with self._versions_lock:
            for kind, record, version in read:
                self._versions[kind, record] = version
                self._versions.move_to_end((kind, record))
            while len(self._versions) > VERSIONS_KEPT:
                self._versions.popitem(last=False)

    def looked_at(self, family_ref: str, at: datetime, person_ref: str | None = None, command: str = "app") -> None:
        """Log that the caseworker opens a family, or prints a document (`command` "print contract", ...) of it or
        one member (kasse/data/access_log.py); KasseError if that cannot be logged: then nothing is shown.
        On the app's thread: it reads the watch connection."""
        from kasse.access_log import look
        from kasse.data.access_log import log
        from kasse.data.audit import current_actor

        others_wrote = self._watch is not None and self._data_version() != self._seen_version
        log(self.path, look(family_ref, person_ref, at=at, actor=current_actor(self.actor), command=command))
        if not others_wrote:
            self.seen()  # the log row changes no family: no reload for it (a write by others still gets one)

    def history(self, person_ref: str, fields: Iterable[str]) -> list[Change]:
        """The audit trail of some of a person's fields, oldest first."""
        with closing(reader.connect(self.path)) as connection:
            return [Change(*row) for row in queries.field_history(connection, person_ref, fields)]

    def family_history(self, ref: str) -> tuple[list[JournalNote], list[AuditRecord]]:
        """What the history tab shows of a family beside its facts: its journal (newest first) and the audit
        rows of the family, its members past and present and its tasks (oldest first)."""
        from kasse.data.history_reads import family_audit
        from kasse.data.journal_reads import journal_of

        with closing(reader.connect(self.path)) as connection:
            return journal_of(connection, ref), family_audit(connection, ref)

    # -- noticing writes by others (the CLI, a colleague's kasse)

    def watch(self) -> None:
        """Open the long-lived connection whose PRAGMA data_version tells when another connection wrote."""
        self._watch = reader.connect(self.path)
        self._seen_version = self._data_version()

    def changed(self) -> bool:
        """True once per batch of commits made by other connections since the last call or `seen()`."""
        if self._watch is None:
            return False
        version = self._data_version()
        if version == self._seen_version:
            return False
        self._seen_version = version
        return True

    def seen(self) -> None:
        """Our own save is already in memory: do not reload for it."""
        if self._watch is not None:
            self._seen_version = self._data_version()

    def _data_version(self) -> int:
        return reader.data_version(self._watch)

    # -- writing: every change through the store, one transaction each

    def warm_up(self) -> None:
        """Import the store and open the engine ahead of the first save (worker thread)."""
        with self._write_lock:
            self._open_database()

    def save_family(self, family: Family, based_on: Family | None = None) -> Family:
        """Save a family with the members it carries. An edit of one read here names it (`based_on`): the family
        and each member `based_on` also has are checked against the versions read, and the save is refused
        (`StaleEdit`) if any has changed since. Without `based_on` (a new family), its ref and its members' must
        be free (else KasseError), checked inside the write transaction; so must the ref of a member new to it."""
        read = {} if based_on is None else {person.ref: person for person in based_on.members}
        carried = [person.ref for person in family.members]
        with self._transaction() as tx:
            if based_on is None:
                tx.require_free_refs([family.ref, *carried])
                tx.save_family(family)
            else:
                tx.require_free_refs([ref for ref in carried if ref not in read])
                versions = {ref: self.version_of(read[ref]) for ref in carried if ref in read}
                tx.save_family(family, expected_version=self.version_of(based_on), member_versions=versions)
        if based_on is not None:
            self._edited(family.ref, [(replace(based_on, members=()), replace(family, members=())),
                                      *((read[person.ref], person) for person in family.members if person.ref in read)])
        return self._reread(family.ref)

    def save_person(self, family_ref: str, person: Person, based_on: Person | None = None) -> Family:
        """Save a person; an edit of one read here names it (`based_on`) and is refused (`StaleEdit`) if the
        person has changed since. Without `based_on` (a new person), its ref must be free (else KasseError),
        checked inside the write transaction."""
        with self._transaction() as tx:
            if based_on is None:
                tx.require_free_refs([person.ref])
                tx.save_person(family_ref, person)
            else:
                tx.save_person(family_ref, person, expected_version=self.version_of(based_on))
        if based_on is not None:
            self._edited(family_ref, [(based_on, person)])
        return self._reread(family_ref)

    def save_persons(self, family_ref: str, changes: list[tuple[Person, Person]]) -> Family:
        """Save several persons of one family in one write transaction: all or nothing.

        Each pair is (based_on, person): the person as `family` read it, and its new value (same ref; a ref
        twice or a changed ref is a ValueError). Every person's version is checked as `save_person` checks it:
        if any was changed or deleted by someone else since, nothing is saved and `StaleEdit` names that person.
        Unchanged pairs and an empty list write nothing. Returns the family as reread, like `save_person`.
        """
        refs = [person.ref for _, person in changes]
        if len(set(refs)) < len(refs) or any(based_on.ref != person.ref for based_on, person in changes):
            raise ValueError(f"Each person once, under the ref it was read with: {refs}")
        if changes:
            with self._transaction() as tx:
                for based_on, person in changes:
                    tx.save_person(family_ref, person, expected_version=self.version_of(based_on))
            self._edited(family_ref, changes)
        return self._reread(family_ref)

    def _edited(self, family_ref: str, records: list[tuple]) -> None:
        """Remember a save through a form for `undo_last_edit`, if it changed anything."""
        if any(before != after for before, after in records):
            self.last_edit = SavedEdit(family_ref, tuple(records))

    def undo_last_edit(self) -> Family:
        """Put back the fields the last save through a form changed (kasse/tui/undo.py), as a new save checked as
        every save is; refused (UndoRefused) if one of them has changed since. Forgotten once undone."""
        from kasse.tui.undo import reverted

        edit = self.last_edit
        if edit is None:
            raise KasseError("Der er ingen ændring at fortryde")
        family = self._reread(edit.family_ref)
        members = {person.ref: person for person in family.members}
        current = [replace(family, members=()) if isinstance(after, Family) else members.get(after.ref)
                   for _, after in edit.records]
        undone = reverted(edit, current)
        with self._transaction() as tx:
            for now, record in zip(current, undone, strict=True):
                if isinstance(record, Family):
                    tx.save_family(record, expected_version=self.version_of(family))
                else:
                    tx.save_person(edit.family_ref, record, expected_version=self.version_of(now))
        self.last_edit = None
        return self._reread(edit.family_ref)

    def add_followup(self, family_ref: str, followup: FollowUp) -> Family:
        with self._transaction() as tx:
            tx.add_followup(family_ref, followup)
        return self._reread(family_ref)

    def delete_person(self, family_ref: str, person_ref: str) -> Family:
        with self._transaction() as tx:
            tx.delete_person(person_ref)
        return self._reread(family_ref)

    def delete_family(self, ref: str) -> None:
        with self._transaction() as tx:
            tx.delete_family(ref)

    def taken_refs(self, refs: Iterable[str]) -> set[str]:
        """Which of these refs a family or person has, or had before it was deleted (retired refs)."""
        with closing(reader.connect(self.path)) as connection:
            return queries.taken_refs(connection, refs)

    def retired_refs(self, refs: Iterable[str]) -> set[str]:
        """Which of these refs belonged to a deleted family or person."""
        with closing(reader.connect(self.path)) as connection:
            return queries.taken_refs(connection, refs, in_use=False)

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        if self._database is not None:
            self._database.close()
            self._database = None

    def _open_database(self):
        if self._database is None:
            from kasse.data.db import open_database

            self._database = open_database(self.path)
            from kasse.data import store  # noqa: F401 - the import is the warm-up

        return self._database

    @contextmanager
    def _transaction(self) -> Iterator:
        """One store transaction at a time, whichever worker asks."""
        with self._write_lock:
            from kasse.data.store import Store

            # The audit trail names the caseworker ($KASSE_USER, else the login), not the program.
            with Store(self._open_database(), self.actor).transaction() as tx:
                yield tx

    def _reread(self, ref: str) -> Family:
        family = self.family(ref)
        if family is None:
            raise KasseError(f"Familien {ref} findes ikke længere")
        return family
