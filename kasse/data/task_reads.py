"""The tasks' reads: the lists the deadline lookups and the app need, names, and a uid from its start.

Plain sqlite3 on a connection from `kasse.data.reader.connect`, and no
SQLAlchemy, so `kasse tasks` and `--tasks` keep the lookups' start-up
budget (tests/test_cli_lookups.py). The writes are kasse/data/tasks.py's.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime

from kasse.errors import KasseError
from kasse.journal import Task

_MIN_PREFIX = 4  # the shortest start of a uid that names a task

# A member's task has the member's family: the one they are in now.
_TASKS = """
    SELECT t.uid, coalesce(pf.ref, f.ref), p.ref, t.title, t.due, t.done, t.created_at, t.author
    FROM task t LEFT JOIN family f ON f.id = t.family_id
    LEFT JOIN person p ON p.id = t.person_id LEFT JOIN family pf ON pf.id = p.family_id
"""


def tasks(
    connection: sqlite3.Connection,
    *,
    open_only: bool = False,
    due_until: date | None = None,
    family_ref: str | None = None,
    person_ref: str | None = None,
) -> list[Task]:
    """The tasks, by due date then as created: only open ones (not done), those due on or before
    `due_until`, those of one family (its own and its members'), or of one person, as asked."""
    conditions, params = ["1"], {}
    if open_only:
        conditions.append("t.done IS NULL")
    if due_until is not None:
        conditions.append("t.due <= :until")
        params["until"] = due_until.isoformat()
    if family_ref is not None:
        conditions.append("coalesce(pf.ref, f.ref) = :family")
        params["family"] = family_ref
    if person_ref is not None:
        conditions.append("p.ref = :person")
        params["person"] = person_ref
    return read_tasks(connection, " AND ".join(conditions), params)


def task_names(connection: sqlite3.Connection, found: Iterable[Task]) -> dict[str, str]:
    """The name each task is shown under: its person's, or its family's (the applicant's, else the first
    member's, else the ref - `Family.display_name`), keyed by that person's or family's ref."""
    found = list(found)
    persons = json.dumps(sorted({task.person_ref for task in found if task.person_ref is not None}))
    families = json.dumps(sorted({task.family_ref for task in found if task.person_ref is None}))
    rows = connection.execute(
        """SELECT ref, name FROM person WHERE ref IN (SELECT value FROM json_each(:persons))
           UNION ALL
           SELECT f.ref, coalesce((SELECT p.name FROM person p WHERE p.family_id = f.id
                                   ORDER BY p.role = 'applicant' DESC, p.id LIMIT 1), f.ref)
           FROM family f WHERE f.ref IN (SELECT value FROM json_each(:families))""",
        {"persons": persons, "families": families},
    )
    return dict(rows.fetchall())


def task_uid(connection: sqlite3.Connection, text: str) -> str:
    """The uid of the task `text` names: its uid, or the start of one (at least four characters) that no
    other task's uid starts with - as a caseworker types it after `kasse task done`."""
    wanted = text.strip()
    rows = connection.execute(
        "SELECT uid FROM task WHERE uid = :text OR (length(:text) >= :least AND substr(uid, 1, length(:text)) = :text)"
        " ORDER BY uid = :text DESC LIMIT 2",
        {"text": wanted, "least": _MIN_PREFIX},
    ).fetchall()
    if not rows:
        raise KasseError(f"Ingen opgave har id '{wanted}'")
    if len(rows) > 1 and rows[0][0] != wanted:
        raise KasseError(f"Flere opgaver har et id, der begynder med '{wanted}' - skriv flere tegn")
    return rows[0][0]


def read_tasks(connection: sqlite3.Connection, where: str, params: dict[str, str]) -> list[Task]:
    rows = connection.execute(f"{_TASKS} WHERE {where} ORDER BY t.due, t.created_at, t.id", params)
    return [_task(row) for row in rows]


def _task(row: tuple) -> Task:
    uid, family_ref, person_ref, title, due, done, created_at, author = row
    done = None if done is None else date.fromisoformat(done)
    created = datetime.fromisoformat(created_at)
    return Task(uid, family_ref, person_ref, title, date.fromisoformat(due), done, created, author)
