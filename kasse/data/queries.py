"""The small reads beside the caseload: a search, whose CPR numbers are stored, a field's audit history, which
refs are taken, whose family a person is in, and what a file holds. The SQL lives here (kasse/data is the only place with SQL); callers pass a
connection from `reader.connect` and get plain values back."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable


def _json(values: Iterable[str]) -> str:
    return json.dumps(sorted(set(values)))


def field_history(connection: sqlite3.Connection, person_ref: str, fields: Iterable[str]) -> list[tuple]:
    """(at, actor, field, old, new) of the audit rows of some of a person's fields, oldest first."""
    return connection.execute(
        "SELECT at, actor, field, old_value, new_value FROM audit WHERE table_name = 'person' AND record = ?"
        " AND field IN (SELECT value FROM json_each(?)) ORDER BY id",
        (person_ref, _json(fields)),
    ).fetchall()


def taken_refs(connection: sqlite3.Connection, refs: Iterable[str], *, in_use: bool = True) -> set[str]:
    """Which of `refs` a family or person has (unless `in_use=False`) or had before it was deleted."""
    wanted = _json(refs)
    sql = "SELECT ref FROM retired_ref WHERE ref IN (SELECT value FROM json_each(:refs))"
    if in_use:
        sql += (" UNION SELECT ref FROM family WHERE ref IN (SELECT value FROM json_each(:refs))"
                " UNION SELECT ref FROM person WHERE ref IN (SELECT value FROM json_each(:refs))")
    return {ref for (ref,) in connection.execute(sql, {"refs": wanted})}


def families_of(connection: sqlite3.Connection, person_refs: Iterable[str]) -> dict[str, str]:
    """person ref -> the ref of the family the person is in, for those of `person_refs` that exist."""
    rows = connection.execute(
        "SELECT person.ref, family.ref FROM person JOIN family ON family.id = person.family_id"
        " WHERE person.ref IN (SELECT value FROM json_each(?))",
        (_json(person_refs),),
    )
    return dict(rows.fetchall())


def has_families(connection: sqlite3.Connection) -> bool:
    return connection.execute("SELECT EXISTS (SELECT 1 FROM family)").fetchone()[0] == 1


def written_only_by(connection: sqlite3.Connection, actor: str) -> bool:
    """True when every change the audit trail records was made by `actor`."""
    return connection.execute("SELECT NOT EXISTS (SELECT 1 FROM audit WHERE actor != ?)", (actor,)).fetchone()[0] == 1


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


def cpr_owners(connection: sqlite3.Connection, cprs: Iterable[str]) -> dict[str, str]:
    """The stored persons holding these CPR numbers: cpr -> person ref (for the import's duplicate check)."""
    sql = "SELECT cpr, ref FROM person WHERE cpr IN (SELECT value FROM json_each(?))"
    return dict(connection.execute(sql, (_json(cprs),)).fetchall())
