"""The fast read path: SQLite rows to domain values with the standard library only.

Lookups start here without importing SQLAlchemy, SQLModel or Alembic. One
query per table, grouped in Python; families come ordered by ref, members
in the order they were added, lists by position. With kasse.data.stored_values
(a row's values to the domain's) this is the only mapping from rows to domain
values: the store compares against it, the TUI and the lookups read through
it. The search and the CPR owners are kasse.data.queries', read as reader.*.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from kasse.collector import collector_paused
from kasse.data.queries import cpr_owners, search  # noqa: F401 - callers read them as reader.*
from kasse.data.stored_values import (
    AREA,
    DEADLINE_COLUMNS,
    FORM,
    HOUSING,
    NOT_READ,
    OTHER_COLUMNS,
    PHASE,
    STATUS,
    Dates,
    person,
)
from kasse.data.version import SCHEMA_REVISION
from kasse.domain import ChecklistItem, ContractFollowUp, Family, FamilyPlan, FollowUp, Goal, Intervention, Person
from kasse.errors import KasseError

BUSY_TIMEOUT_MS = 5000


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection for reading; the database must exist (`kasse init` creates it)."""
    path = Path(path)
    if not path.is_file():
        raise KasseError(f"Databasen findes ikke: {path} - kør 'kasse init'")
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA query_only=ON")
    return connection


def is_current(path: str | Path) -> bool:
    """Whether the database exists and has the schema this code expects (no migration needed)."""
    path = Path(path)
    if not path.is_file():
        return False
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()
    return row is not None and row[0] == SCHEMA_REVISION


def read_families(
    connection: sqlite3.Connection,
    *,
    full: bool = True,
    refs: Iterable[str] | None = None,
    prefilter: tuple[str, dict[str, str]] | None = None,
) -> list[Family]:
    """The families (all, or those with the given refs), ordered by ref.

    `prefilter` is a condition on the index columns that `family` and
    `person` rows both have, with its named parameters
    (`deadline_index.candidates`): only the families whose own row or some
    member's row passes are read, with every member if the family's row
    passes, else with just the members that pass.

    `full=False` reads only what the deadline rules need: the plan's dates
    and follow-up dates, and each member's ref, name, category, role, birth
    date, takeover and left dates, programme, decision, contract signed
    date and follow-up conversation dates, Danish dates, plan offer and
    health - plus CPR number and nationality, which the queue's filter
    searches. Everything else is left at its default (no goals, checklist,
    notes, conversation forms, assessment, ...).
    """
    scope = _Scope(None if refs is None else list(refs), prefilter)
    dates = Dates()
    own_transaction = not connection.in_transaction
    if own_transaction:
        connection.execute("BEGIN")  # one snapshot across the queries below
    try:
        with collector_paused():
            members = _read_members(connection, scope, dates, full)
            return _read_family_rows(connection, scope, dates, full, members)
    finally:
        if own_transaction:
            connection.execute("COMMIT")


def read_versions(connection: sqlite3.Connection, family_refs: Iterable[str]) -> dict[tuple[str, str], int]:
    """The version of these families and their members: ("family" or "person", ref) -> version.

    Read in the same transaction as the families themselves, it is the version an edit of them is based on.
    """
    sql = """SELECT 'family', ref, version FROM family WHERE ref IN (SELECT value FROM json_each(:refs))
             UNION ALL
             SELECT 'person', p.ref, p.version FROM person p JOIN family f ON f.id = p.family_id
             WHERE f.ref IN (SELECT value FROM json_each(:refs))"""
    rows = connection.execute(sql, {"refs": json.dumps(list(family_refs))})
    return {(kind, ref): version for kind, ref, version in rows}


def family_with_versions(
    connection: sqlite3.Connection, ref: str
) -> tuple[list[Family], dict[tuple[str, str], int]]:
    """One family, fully read, and the versions of it and its members - both from one snapshot."""
    connection.execute("BEGIN")
    try:
        return read_families(connection, full=True, refs=[ref]), read_versions(connection, [ref])
    finally:
        connection.execute("COMMIT")


def data_version(connection: sqlite3.Connection) -> int:
    """A number that changes when another connection commits to the file (PRAGMA data_version)."""
    return connection.execute("PRAGMA data_version").fetchone()[0]


def retired_refs(connection: sqlite3.Connection) -> frozenset[str]:
    """The refs of deleted families and persons: never given to a new one."""
    return frozenset(ref for (ref,) in connection.execute("SELECT ref FROM retired_ref"))


class _Scope:
    """WHERE clauses restricting each table to the requested families and persons (or nothing for all)."""

    def __init__(self, refs: list[str] | None, prefilter: tuple[str, dict[str, str]] | None) -> None:
        self.params: dict[str, str] = {}
        if refs is None and prefilter is None:
            self.family = self.family_child = self.person = self.person_child = self.goal_child = ""
            return
        families, persons = [], []
        if refs is not None:
            families.append("ref IN (SELECT value FROM json_each(:refs))")
            self.params["refs"] = json.dumps(refs)
        if prefilter is not None:
            condition, params = prefilter
            self.params.update(params)
            families.append(f"(({condition}) OR id IN (SELECT family_id FROM person WHERE {condition}))")
            persons.append(f"(({condition}) OR family_id IN (SELECT id FROM family WHERE {condition}))")
        family_condition = " AND ".join(families)
        family_ids = f"SELECT id FROM family WHERE {family_condition}"
        person_condition = " AND ".join([f"family_id IN ({family_ids})", *persons])
        person_ids = f"SELECT id FROM person WHERE {person_condition}"
        self.family = f"WHERE {family_condition}"
        self.family_child = f"WHERE family_id IN ({family_ids})"
        self.person = f"WHERE {person_condition}"
        self.person_child = f"WHERE person_id IN ({person_ids})"
        self.goal_child = f"WHERE goal_id IN (SELECT id FROM goal WHERE person_id IN ({person_ids}))"


def _read_family_rows(
    connection: sqlite3.Connection, scope: _Scope, dates: Dates, full: bool, members: dict[int, list[Person]]
) -> list[Family]:
    followups: dict[int, list[FollowUp]] = {}
    note = "note" if full else "NULL"
    sql = f"SELECT family_id, date, {note} FROM followup {scope.family_child} ORDER BY family_id, position"
    for family_id, day, text in connection.execute(sql, scope.params):
        followups.setdefault(family_id, []).append(FollowUp(dates[day], text))

    checklists: dict[int, list[ChecklistItem]] = {}
    if full:
        sql = f"""SELECT family_id, phase, task, done_date FROM checklist_item {scope.family_child}
                  ORDER BY family_id, position"""
        for family_id, phase, task, done in connection.execute(sql, scope.params):
            checklists.setdefault(family_id, []).append(ChecklistItem(PHASE[phase], task, dates[done]))

    families = []
    sql = f"""SELECT id, ref, coordinating_department, housing, housing_since, plan_made_date, plan_followup_months
              FROM family {scope.family} ORDER BY ref"""
    for family_id, ref, department, housing, since, made, months in connection.execute(sql, scope.params):
        plan = FamilyPlan(dates[made], months, tuple(followups.get(family_id, ())))
        people = tuple(members.get(family_id, ()))
        if full:
            checklist = tuple(checklists.get(family_id, ()))
            families.append(Family(ref, people, department, HOUSING[housing], dates[since], plan, checklist))
        else:
            families.append(Family(ref, people, None, None, None, plan, ()))
    return families


def _read_members(connection: sqlite3.Connection, scope: _Scope, dates: Dates, full: bool) -> dict[int, list[Person]]:
    activities: dict[int, list[str]] = {}
    goals: dict[int, list[Goal]] = {}
    conversations = _read_contract_followups(connection, scope, dates, full)
    columns = DEADLINE_COLUMNS
    if full:
        sql = f"SELECT person_id, text FROM contract_activity {scope.person_child} ORDER BY person_id, position"
        activities = _group(connection, sql, scope.params)
        goals = _read_goals(connection, scope, dates)
        columns += ", " + OTHER_COLUMNS

    members: dict[int, list[Person]] = {}
    for row in connection.execute(f"SELECT {columns} FROM person {scope.person} ORDER BY id", scope.params):
        person_id = row[0]
        member = person(
            row if full else row + NOT_READ,
            dates,
            activities.get(person_id, ()),
            conversations.get(person_id, ()),
            goals.get(person_id, ()),
        )
        members.setdefault(row[1], []).append(member)
    return members


def _read_contract_followups(
    connection: sqlite3.Connection, scope: _Scope, dates: Dates, full: bool
) -> dict[int, list[ContractFollowUp]]:
    """The follow-up conversations by person id; without `full` their dates only (what the rules count)."""
    form_and_note = "form, note" if full else "NULL, NULL"
    sql = f"""SELECT person_id, date, {form_and_note} FROM contract_followup {scope.person_child}
              ORDER BY person_id, position"""
    conversations: dict[int, list[ContractFollowUp]] = {}
    if full:
        for person_id, day, form, note in connection.execute(sql, scope.params):
            conversations.setdefault(person_id, []).append(ContractFollowUp(dates[day], FORM[form], note))
        return conversations
    # Dates only: one shared value per day (a caseload holds far fewer days than conversations).
    on_day: dict[str, ContractFollowUp] = {}
    for person_id, day, _form, _note in connection.execute(sql, scope.params):
        talk = on_day.get(day)
        if talk is None:
            talk = on_day[day] = ContractFollowUp(dates[day])
        conversations.setdefault(person_id, []).append(talk)
    return conversations


def _read_goals(connection: sqlite3.Connection, scope: _Scope, dates: Dates) -> dict[int, list[Goal]]:
    sql = f"SELECT goal_id, text FROM subgoal {scope.goal_child} ORDER BY goal_id, position"
    subgoals = _group(connection, sql, scope.params)
    interventions: dict[int, list[Intervention]] = {}
    sql = f"""SELECT goal_id, title, department, start_date, end_date, status FROM intervention
              {scope.goal_child} ORDER BY goal_id, position"""
    for goal_id, title, department, start, end, status in connection.execute(sql, scope.params):
        interventions.setdefault(goal_id, []).append(
            Intervention(title, department, dates[start], dates[end], STATUS[status])
        )
    goals: dict[int, list[Goal]] = {}
    sql = f"SELECT id, person_id, area, goal FROM goal {scope.person_child} ORDER BY person_id, position"
    for goal_id, person_id, area, text in connection.execute(sql, scope.params):
        goals.setdefault(person_id, []).append(
            Goal(AREA[area], text, tuple(subgoals.get(goal_id, ())), tuple(interventions.get(goal_id, ())))
        )
    return goals


def _group(connection: sqlite3.Connection, sql: str, params: dict[str, str]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for owner_id, text in connection.execute(sql, params):
        grouped.setdefault(owner_id, []).append(text)
    return grouped
