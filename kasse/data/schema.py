"""Does a database hold exactly the schema kasse's migrations build - no table, view, index or trigger more or less?

A crafted file could carry a trigger that rewrites or leaks data on every
save, and a tampered database could lose the triggers that keep the audit
trail append-only. The reference is not a list kept by hand: the
migrations are run up to the file's revision on an empty database in
memory (about a second, once per process), and the two `sqlite_master`s
are compared object by object - a table by its columns, an index by its
columns, a trigger or view by its SQL text.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass

Shape = tuple[object, ...]


@dataclass(frozen=True)
class SchemaProblem:
    kind: str  # table, index, trigger, view
    name: str
    problem: str  # "unknown", "missing", "changed"

    def __str__(self) -> str:
        words = {"table": "tabel", "index": "indeks", "trigger": "trigger", "view": "view"}
        what = {"unknown": "findes, men hører ikke til kasse", "missing": "mangler", "changed": "er ændret"}
        return f"{words.get(self.kind, self.kind)} {self.name} {what[self.problem]}"


def schema_problems(connection: sqlite3.Connection, revision: str) -> list[SchemaProblem]:
    """How the database behind `connection` differs from the schema of `revision`; empty when it matches."""
    expected = expected_schema(revision)
    found = schema_of(connection)
    problems = [SchemaProblem(kind, name, "unknown") for kind, name in sorted(found.keys() - expected.keys())]
    problems += [SchemaProblem(kind, name, "missing") for kind, name in sorted(expected.keys() - found.keys())]
    problems += [
        SchemaProblem(kind, name, "changed")
        for kind, name in sorted(found.keys() & expected.keys())
        if found[kind, name] != expected[kind, name]
    ]
    return problems


@functools.cache
def expected_schema(revision: str) -> dict[tuple[str, str], Shape]:
    """The schema the migrations build up to `revision`, from an empty database in memory."""
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    from kasse.data.db import WRITES_ALLOWED, alembic_config

    engine = create_engine("sqlite://", poolclass=StaticPool)
    config = alembic_config()
    try:
        with engine.connect() as connection:
            connection.execution_options(**{WRITES_ALLOWED: True})
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
            return schema_of(connection.connection.driver_connection)
    finally:
        engine.dispose()


def schema_of(connection: sqlite3.Connection) -> dict[tuple[str, str], Shape]:
    """Each schema object by (type, name): tables by their columns, indexes by theirs, triggers and views by SQL."""
    shapes: dict[tuple[str, str], Shape] = {}
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    for kind, name, table, sql in rows.fetchall():
        if kind == "table":
            shapes[kind, name] = _table_shape(connection, name)
        elif kind == "index":
            columns = connection.execute(f'PRAGMA index_info("{_quoted(name)}")').fetchall()
            # Not by SQL text, which the SQLAlchemy of the day renders: by table, columns, uniqueness and
            # any WHERE (a partial index).
            where = _normal(sql).upper().partition(" WHERE ")[2]
            shapes[kind, name] = (table, tuple(column[2] for column in columns), "UNIQUE" in (sql or "").upper(), where)
        else:
            shapes[kind, name] = (table, _normal(sql))
    return shapes


def _table_shape(connection: sqlite3.Connection, table: str) -> Shape:
    """Columns (name, type, not null, default, key), foreign keys with their actions, and unique constraints."""
    quoted = _quoted(table)
    columns = tuple(
        (column[1], column[2].upper(), column[3], column[4], column[5])
        for column in connection.execute(f'PRAGMA table_info("{quoted}")').fetchall()
    )
    foreign = tuple(
        sorted((key[2], key[3], key[4], key[5], key[6]) for key in connection.execute(
            f'PRAGMA foreign_key_list("{quoted}")').fetchall())
    )
    unique = tuple(
        sorted(
            tuple(column[2] for column in connection.execute(f'PRAGMA index_info("{_quoted(index[1])}")'))
            for index in connection.execute(f'PRAGMA index_list("{quoted}")').fetchall()
            if index[2] and index[3] in ("u", "pk")  # unique, made by a UNIQUE or PRIMARY KEY constraint
        )
    )
    return columns, foreign, unique


def _normal(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def _quoted(name: str) -> str:
    return name.replace('"', '""')
