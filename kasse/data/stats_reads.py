"""What `kasse stats` reads of the caseload: the deadline read plus each leaving's reason, half a full read's time.

kasse/stats.py needs of a person the dates the engine reads and, for "left
self-supporting", the reason for leaving - not goals, notes, activities or
the assessment, which make up most of a full read.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from kasse.data import reader
from kasse.domain import Family


def families_for_statistics(connection: sqlite3.Connection) -> list[Family]:
    """Every family as `reader.read_families(full=False)` gives it, each member with their reason for leaving;
    both read in one transaction, so they agree."""
    own_transaction = not connection.in_transaction
    if own_transaction:
        connection.execute("BEGIN")
    try:
        families = reader.read_families(connection, full=False)
        reasons = dict(connection.execute("SELECT ref, left_reason FROM person WHERE left_reason IS NOT NULL"))
    finally:
        if own_transaction:
            connection.execute("COMMIT")
    return [_with_reasons(family, reasons) for family in families] if reasons else families


def _with_reasons(family: Family, reasons: dict[str, str]) -> Family:
    if not any(member.ref in reasons for member in family.members):
        return family
    members = tuple(replace(member, left_reason=reasons[member.ref]) if member.ref in reasons else member
                    for member in family.members)
    return replace(family, members=members)
