"""The audit trail's hash chain: every row seals the one before it, so a changed or removed row shows.

A row's `chain` is the hex SHA-256 of the previous row's chain followed by
the row's canonical encoding: its id, at, actor, table_name, record, field,
old and new value as the UTF-8 bytes SQLite holds, joined by the byte 0xFF,
with NULL written as the byte 0xFE. UTF-8 holds neither byte, so no two rows
encode alike. The first row chains from the empty string.

The encoding is written twice, each where it is fast: in Python for rows
about to be written (`encode`, used through `AuditTail` by `append` and by
the store), and as an SQL expression for stored rows (`verify`, and the
migration that seals older rows): a million rows read as one value each
instead of nine keep `verify` within a few seconds. tests/test_audit_chain.py
holds both to the definition above.

The chain shows an edited or deleted row, not a cut-off tail: the last rows
can go without a trace in the rows before them. Triggers (migration 0005)
keep plain SQL from changing or deleting rows at all; the chain is for
whoever lifts them with the file in hand.

Standard library only: `kasse check` and restore use it without SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = b""
_SEPARATOR = b"\xff"
_NULL = b"\xfe"
_COLUMNS = ("id", "at", "actor", "table_name", "record", "field", "old_value", "new_value")
_BATCH = 10_000  # rows fetched at a time
_INSERT = f"INSERT INTO audit ({', '.join(_COLUMNS)}, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


# The canonical encoding of a stored row, computed by SQLite: `encode` in SQL.
ENCODED_SQL = "CAST(" + " || X'FF' || ".join(f"ifnull({column}, X'FE')" for column in _COLUMNS) + " AS BLOB)"
_STORED_ROWS = f"SELECT id, {ENCODED_SQL}, CAST(chain AS BLOB) FROM audit ORDER BY id"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit row's content, before it has an id and a chain."""

    at: str
    actor: str
    table_name: str
    record: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class AuditChainReport:
    rows: int
    first_broken_id: int | None  # the first row whose chain does not match (or whose id does not rise)

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def encode(row_id: int, entry: AuditEntry) -> bytes:
    """The canonical encoding of a row about to be written, as the UTF-8 SQLite will hold."""
    texts = (str(row_id), entry.at, entry.actor, entry.table_name, entry.record, entry.field, entry.old, entry.new)
    # surrogatepass: the driver refuses a lone surrogate on insert, with its own error, not this encoding.
    return _SEPARATOR.join([_NULL if text is None else text.encode("utf-8", "surrogatepass") for text in texts])


def link(previous: bytes, encoded: bytes) -> bytes:
    """The chain (hex, as ASCII bytes) of a row encoded as `encoded`, after a row whose chain is `previous`."""
    return hashlib.sha256(previous + encoded).hexdigest().encode("ascii")


class AuditTail:
    """The end of the trail as one transaction extends it: the last id and the chain to continue from.

    Read once per transaction, under its write lock; `extend` numbers and chains the next rows.
    """

    def __init__(self, last_id: int, last_chain: bytes) -> None:
        self.last_id = last_id
        self.last_chain = last_chain

    @classmethod
    def read(cls, connection: sqlite3.Connection) -> AuditTail:
        row = connection.execute("SELECT id, CAST(chain AS BLOB) FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        return cls(0, GENESIS) if row is None else cls(row[0], row[1] or GENESIS)

    def extend(self, entries: Iterable[AuditEntry]) -> list[tuple]:
        """The rows to insert for `entries`, in order: (id, at, actor, table_name, record, field, old, new, chain)."""
        rows = []
        for entry in entries:
            self.last_id += 1
            self.last_chain = link(self.last_chain, encode(self.last_id, entry))
            rows.append((self.last_id, entry.at, entry.actor, entry.table_name, entry.record, entry.field,
                         entry.old, entry.new, self.last_chain.decode("ascii")))  # fmt: skip
        return rows


def append(connection: sqlite3.Connection, entries: Iterable[AuditEntry]) -> int:
    """Insert rows after the current last one, chained; returns how many. Runs in the caller's transaction."""
    rows = AuditTail.read(connection).extend(entries)
    connection.executemany(_INSERT, rows)
    return len(rows)


def chain_existing_rows(connection: sqlite3.Connection) -> int:
    """Give every row its chain, in id order (migration 0005, before the triggers exist); returns how many."""
    sql = f"SELECT id, {ENCODED_SQL} FROM audit WHERE id > ? ORDER BY id LIMIT {_BATCH}"
    previous, last_id, count = GENESIS, 0, 0  # ids start at 1
    # A page at a time, each read finished before its rows are updated.
    while batch := connection.execute(sql, (last_id,)).fetchall():
        sealed = []
        for row_id, encoded in batch:
            previous = link(previous, encoded)
            sealed.append((previous.decode("ascii"), row_id))
        connection.executemany("UPDATE audit SET chain = ? WHERE id = ?", sealed)
        last_id, count = batch[-1][0], count + len(batch)
    return count


def verify(connection: sqlite3.Connection) -> AuditChainReport:
    """Recompute the chain over every row in id order (one read snapshot); reports the first row that breaks it."""
    own_transaction = not connection.in_transaction
    if own_transaction:
        connection.execute("BEGIN")
    try:
        (rows,) = connection.execute("SELECT count(*) FROM audit").fetchone()
        cursor = connection.execute(_STORED_ROWS)
        previous, previous_id = GENESIS, None
        while batch := cursor.fetchmany(_BATCH):
            for row_id, encoded, stored in batch:
                expected = link(previous, encoded)
                if expected != stored or (previous_id is not None and row_id <= previous_id):
                    return AuditChainReport(rows, row_id)
                previous, previous_id = expected, row_id
        return AuditChainReport(rows, None)
    finally:
        if own_transaction:
            connection.execute("COMMIT")
