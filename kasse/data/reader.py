"""The fast read path: SQLite rows to domain values with the standard library only.

Lookups start here without importing SQLAlchemy, SQLModel or Alembic. One
query per table, grouped in Python; families come ordered by ref, members
in the order they were added, lists by position. This is the only mapping
from rows to domain values: the store compares against it, the TUI and the
lookups read through it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from kasse.collector import collector_paused
from kasse.data.version import SCHEMA_REVISION
from kasse.domain import (
    Answer,
    Area,
    Assessment,
    Category,
    ChecklistItem,
    Contract,
    ContractFollowUp,
    ConversationForm,
    Danish,
    ExemptReason,
    Family,
    FamilyPlan,
    FollowUp,
    Goal,
    GoalKind,
    Health,
    Housing,
    Intervention,
    InterventionStatus,
    Person,
    Phase,
    PlanOffer,
    Programme,
    Role,
    Track,
    UmDecision,
)
from kasse.errors import KasseError

BUSY_TIMEOUT_MS = 5000


def _by_value(kind: type) -> dict:
    """Stored value -> enum member, None -> None; a dict lookup is much faster than calling the enum."""
    return {None: None, **{member.value: member for member in kind}}


_CATEGORY = _by_value(Category)
_ROLE = _by_value(Role)
_HOUSING = _by_value(Housing)
_EXEMPT = _by_value(ExemptReason)
_ANSWER = _by_value(Answer)
_GOAL_KIND = _by_value(GoalKind)
_TRACK = _by_value(Track)
_AREA = _by_value(Area)
_STATUS = _by_value(InterventionStatus)
_PHASE = _by_value(Phase)
_FORM = _by_value(ConversationForm)
_BOOL = {None: None, 0: False, 1: True}


class _Dates(dict):
    """ISO text -> date, each distinct text parsed once per read; None stays None."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, text: str) -> date:
        value = self[text] = date.fromisoformat(text)
        return value


# Shared empty parts: frozen values, so one instance serves every person.
_NO_PROGRAMME = Programme()
_NO_CONTRACT = Contract()
_NO_DANISH = Danish()
_NO_PLAN_OFFER = PlanOffer()
_NO_HEALTH = Health()
_NO_ASSESSMENT = Assessment()
_NOT_ASSESSED = (None,) * 5


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
    dates = _Dates()
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


def search(connection: sqlite3.Connection, text: str) -> list[tuple[str, str | None]]:
    """(family ref, person ref) for every person whose name, ref, CPR, nationality or family ref
    contains `text`, case-insensitively; a family without members that matches gives (ref, None)."""
    # SQLite's LIKE folds ASCII only; folding both sides in Python makes "æsa" find "Æsa".
    connection.create_function("kasse_fold", 1, _fold, deterministic=True)
    folded = text.strip().casefold()
    rows = connection.execute(
        r"""
        SELECT f.ref, p.ref FROM family f LEFT JOIN person p ON p.family_id = f.id
        WHERE kasse_fold(f.ref) LIKE :pattern ESCAPE '\'
           OR kasse_fold(p.name) LIKE :pattern ESCAPE '\'
           OR kasse_fold(p.ref) LIKE :pattern ESCAPE '\'
           OR kasse_fold(p.nationality) LIKE :pattern ESCAPE '\'
           OR replace(p.cpr, '-', '') LIKE :digits ESCAPE '\'
        ORDER BY f.ref, p.id
        """,
        {"pattern": _contains(folded), "digits": _contains(folded.replace("-", ""))},
    ).fetchall()
    return [(family_ref, person_ref) for family_ref, person_ref in rows]


def _fold(text: str | None) -> str | None:
    return None if text is None else text.casefold()


def _contains(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') matching any text that contains `text` literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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
    connection: sqlite3.Connection, scope: _Scope, dates: _Dates, full: bool, members: dict[int, list[Person]]
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
            checklists.setdefault(family_id, []).append(ChecklistItem(_PHASE[phase], task, dates[done]))

    families = []
    sql = f"""SELECT id, ref, coordinating_department, housing, housing_since, plan_made_date, plan_followup_months
              FROM family {scope.family} ORDER BY ref"""
    for family_id, ref, department, housing, since, made, months in connection.execute(sql, scope.params):
        plan = FamilyPlan(dates[made], months, tuple(followups.get(family_id, ())))
        people = tuple(members.get(family_id, ()))
        if full:
            checklist = tuple(checklists.get(family_id, ()))
            families.append(Family(ref, people, department, _HOUSING[housing], dates[since], plan, checklist))
        else:
            families.append(Family(ref, people, None, None, None, plan, ()))
    return families


_DEADLINE_COLUMNS = """id, family_id, ref, name, category, role, birth_date, takeover_date, left_date,
    programme_exempt_reason, programme_start_date, um_decision_date, um_decision_offered,
    contract_signed_date, danish_start_date, danish_paused_from, danish_paused_to, danish_passed_date,
    danish_referral_date, plan_offered_date, plan_answer, health_offered_date, health_declined_date,
    health_guidance_date, health_consent, health_result_received_date, health_need, health_need_date,
    cpr, nationality"""

_OTHER_COLUMNS = """left_reason, contract_goal_kind, contract_goal,
    danish_provider, danish_track, danish_hours_per_week,
    assessment_education, assessment_work_experience, assessment_languages, assessment_literacy,
    assessment_health_summary"""

_NOT_READ = (None,) * 11  # the _OTHER_COLUMNS, when full=False


def _read_members(connection: sqlite3.Connection, scope: _Scope, dates: _Dates, full: bool) -> dict[int, list[Person]]:
    activities: dict[int, list[str]] = {}
    goals: dict[int, list[Goal]] = {}
    conversations = _read_contract_followups(connection, scope, dates, full)
    columns = _DEADLINE_COLUMNS
    if full:
        sql = f"SELECT person_id, text FROM contract_activity {scope.person_child} ORDER BY person_id, position"
        activities = _group(connection, sql, scope.params)
        goals = _read_goals(connection, scope, dates)
        columns += ", " + _OTHER_COLUMNS

    members: dict[int, list[Person]] = {}
    for row in connection.execute(f"SELECT {columns} FROM person {scope.person} ORDER BY id", scope.params):
        person_id = row[0]
        person = _person(
            row if full else row + _NOT_READ,
            dates,
            activities.get(person_id, ()),
            conversations.get(person_id, ()),
            goals.get(person_id, ()),
        )
        members.setdefault(row[1], []).append(person)
    return members


def _read_contract_followups(
    connection: sqlite3.Connection, scope: _Scope, dates: _Dates, full: bool
) -> dict[int, list[ContractFollowUp]]:
    """The follow-up conversations by person id; without `full` their dates only (what the rules count)."""
    form_and_note = "form, note" if full else "NULL, NULL"
    sql = f"""SELECT person_id, date, {form_and_note} FROM contract_followup {scope.person_child}
              ORDER BY person_id, position"""
    conversations: dict[int, list[ContractFollowUp]] = {}
    if full:
        for person_id, day, form, note in connection.execute(sql, scope.params):
            conversations.setdefault(person_id, []).append(ContractFollowUp(dates[day], _FORM[form], note))
        return conversations
    # Dates only: one shared value per day (a caseload holds far fewer days than conversations).
    on_day: dict[str, ContractFollowUp] = {}
    for person_id, day, _form, _note in connection.execute(sql, scope.params):
        talk = on_day.get(day)
        if talk is None:
            talk = on_day[day] = ContractFollowUp(dates[day])
        conversations.setdefault(person_id, []).append(talk)
    return conversations


def _person(
    row: tuple,
    dates: _Dates,
    activities: Iterable[str],
    conversations: Iterable[ContractFollowUp],
    goals: Iterable[Goal],
) -> Person:
    (
        _id, _family_id, ref, name, category, role, birth, takeover, left,
        exempt, programme_start, decision_date, decision_offered,
        signed, danish_start, paused_from, paused_to, passed,
        referral, plan_offered, plan_answer, health_offered, health_declined,
        health_guidance, consent, result_received, need, need_date,
        cpr, nationality, left_reason, goal_kind, contract_goal,
        provider, track, hours,
        education, work_experience, languages, literacy, health_summary,
    ) = row  # fmt: skip
    # Positional (in Person's field order) is a third faster than keywords;
    # the round-trip test in tests/test_reader.py guards the order.
    return Person(
        ref,
        name,
        _CATEGORY[category],
        dates[birth],
        cpr,
        _ROLE[role],
        nationality,
        dates[takeover],
        dates[left],
        left_reason,
        Programme(_EXEMPT[exempt], dates[programme_start]) if exempt or programme_start else _NO_PROGRAMME,
        UmDecision(dates[decision_date], bool(decision_offered)) if decision_date else None,
        (
            Contract(dates[signed], _GOAL_KIND[goal_kind], contract_goal, tuple(activities), tuple(conversations))
            if signed or goal_kind or contract_goal is not None or activities or conversations
            else _NO_CONTRACT
        ),
        (
            Danish(
                dates[danish_start],
                provider,
                _TRACK[track],
                hours,
                dates[paused_from],
                dates[paused_to],
                dates[passed],
                dates[referral],
            )
            if (
                danish_start or provider is not None or track or hours is not None
                or paused_from or paused_to or passed or referral
            )
            else _NO_DANISH
        ),
        PlanOffer(dates[plan_offered], _ANSWER[plan_answer]) if plan_offered or plan_answer else _NO_PLAN_OFFER,
        (
            Health(
                dates[health_offered],
                dates[health_declined],
                dates[health_guidance],
                _BOOL[consent],
                dates[result_received],
                _BOOL[need],
                dates[need_date],
            )
            if (
                health_offered or health_declined or health_guidance or consent is not None
                or result_received or need is not None or need_date
            )
            else _NO_HEALTH
        ),
        (
            Assessment(education, work_experience, languages, literacy, health_summary)
            if (education, work_experience, languages, literacy, health_summary) != _NOT_ASSESSED
            else _NO_ASSESSMENT
        ),
        tuple(goals),
    )


def _read_goals(connection: sqlite3.Connection, scope: _Scope, dates: _Dates) -> dict[int, list[Goal]]:
    sql = f"SELECT goal_id, text FROM subgoal {scope.goal_child} ORDER BY goal_id, position"
    subgoals = _group(connection, sql, scope.params)
    interventions: dict[int, list[Intervention]] = {}
    sql = f"""SELECT goal_id, title, department, start_date, end_date, status FROM intervention
              {scope.goal_child} ORDER BY goal_id, position"""
    for goal_id, title, department, start, end, status in connection.execute(sql, scope.params):
        interventions.setdefault(goal_id, []).append(
            Intervention(title, department, dates[start], dates[end], _STATUS[status])
        )
    goals: dict[int, list[Goal]] = {}
    sql = f"SELECT id, person_id, area, goal FROM goal {scope.person_child} ORDER BY person_id, position"
    for goal_id, person_id, area, text in connection.execute(sql, scope.params):
        goals.setdefault(person_id, []).append(
            Goal(_AREA[area], text, tuple(subgoals.get(goal_id, ())), tuple(interventions.get(goal_id, ())))
        )
    return goals


def _group(connection: sqlite3.Connection, sql: str, params: dict[str, str]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for owner_id, text in connection.execute(sql, params):
        grouped.setdefault(owner_id, []).append(text)
    return grouped


def cpr_owners(connection: sqlite3.Connection, cprs: Iterable[str]) -> dict[str, str]:
    """The stored persons holding these CPR numbers: cpr -> person ref (for the import's duplicate check)."""
    wanted = json.dumps(sorted(set(cprs)))
    sql = "SELECT cpr, ref FROM person WHERE cpr IN (SELECT value FROM json_each(?))"
    return dict(connection.execute(sql, (wanted,)).fetchall())
