"""The reads of a write transaction, through its own connection: row ids, versions and records by ref."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from kasse.data.reader import read_families
from kasse.domain import Family, Person
from kasse.errors import KasseError


def family_ids(connection: sqlite3.Connection, refs: list[str]) -> dict[str, int]:
    """family ref -> row id, for the refs already in the database."""
    sql = "SELECT ref, id FROM family WHERE ref IN (SELECT value FROM json_each(?))"
    return dict(connection.execute(sql, (json.dumps(refs),)).fetchall())


def locate_persons(connection: sqlite3.Connection, refs: list[str]) -> dict[str, tuple[int, str]]:
    """person ref -> (row id, family ref), for the refs already in the database."""
    sql = """SELECT p.ref, p.id, f.ref FROM person p JOIN family f ON f.id = p.family_id
             WHERE p.ref IN (SELECT value FROM json_each(?))"""
    rows = connection.execute(sql, (json.dumps(refs),)).fetchall()
    return {ref: (person_id, family_ref) for ref, person_id, family_ref in rows}


def version(connection: sqlite3.Connection, kind: str, ref: str) -> int:
    """The version of the family (`kind` "family") or person (`kind` "person") with this ref."""
    table = {"family": "family", "person": "person"}[kind]
    (current,) = connection.execute(f"SELECT version FROM {table} WHERE ref = ?", (ref,)).fetchone()
    return current


def persons_in(connection: sqlite3.Connection, family_refs: Iterable[str]) -> dict[str, Person]:
    """person ref -> person, for every member of these families."""
    families = read_families(connection, refs=set(family_refs))
    return {person.ref: person for family in families for person in family.members}


def read_family(connection: sqlite3.Connection, ref: str) -> Family:
    families = read_families(connection, refs=[ref])
    if not families:
        raise KasseError(f"Ukendt reference: {ref}")
    return families[0]
