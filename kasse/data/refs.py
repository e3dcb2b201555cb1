"""Refs are never reused: a deleted record's ref is retired for good, and a new record takes only a free ref.

Deleting a family or person writes its ref to `retired_ref`; a new record
with a retired ref is refused, or its audit trail would mix with the
deleted one's. A record created in the app must also not take a ref in use:
the store would take it for an update, or move that person. Both checks run
inside the write transaction, so no other writer can take the ref between
the check and the save.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from sqlalchemy import Connection, insert

from kasse.data.queries import taken_refs
from kasse.data.rows import RETIRED
from kasse.errors import KasseError, problem_list

_KIND_WORDS = {"family": "familie", "person": "person"}


def require_unique(what: str, refs: Iterable[str]) -> None:
    """Refuse a batch that names a record twice ("Familien F-1 optræder mere end én gang"); `what` names the kind."""
    seen: set[str] = set()
    for ref in refs:
        if ref in seen:
            raise KasseError(f"{what} {ref} optræder mere end én gang")
        seen.add(ref)


def refuse_retired(connection: sqlite3.Connection, refs: list[str]) -> None:
    """Refuse (KasseError, in Danish) when any of `refs` belonged to a deleted family or person."""
    if not refs:
        return
    sql = "SELECT ref, kind FROM retired_ref WHERE ref IN (SELECT value FROM json_each(?)) ORDER BY ref"
    retired = connection.execute(sql, (json.dumps(refs),)).fetchall()
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


def require_free(connection: sqlite3.Connection, refs: list[str]) -> None:
    """Refuse (KasseError, in Danish) when any of `refs` is retired or in use by a family or person."""
    refuse_retired(connection, refs)
    taken = sorted(taken_refs(connection, refs))
    if len(taken) == 1:
        raise KasseError(f"Referencen {taken[0]} er allerede i brug - vælg en anden.")
    if taken:
        raise KasseError(f"Referencerne {', '.join(taken)} er allerede i brug - vælg andre.")


def retire(connection: Connection, refs: list[tuple[str, str]], at: str) -> None:
    """Tombstones for deleted records: (ref, "family" or "person"); a ref retired twice keeps its first."""
    rows = [{"ref": ref, "kind": kind, "retired_at": at} for ref, kind in refs]
    connection.execute(insert(RETIRED).prefix_with("OR IGNORE"), rows)
