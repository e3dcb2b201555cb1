"""The audit chain's figures: `verify` over 1,000,000 rows (target: a few seconds, <= 5 s) and `append` of them.

Run: python -m bench.audit_chain [ROWS]. Beside each figure, a floor measured
in the same process: reading every row's id and chain alone (no hashing),
and inserting the rows with plain `executemany` (no chain).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

VERIFY_TARGET_S = 5.0


def _entries(rows: int):
    from kasse.data.audit_chain import AuditEntry

    for n in range(rows):
        yield AuditEntry(
            f"2026-11-{1 + n % 28:02d}T10:15:00.000+00:00",
            f"sagsbehandler{n % 7}",
            "person",
            f"P-{n % 9999:04d}",
            "danish.hours_per_week" if n % 3 else "*",
            None if n % 5 == 0 else "17.5",
            '{"name": "Amina Hassan", "family": "F-2025-001"}' if n % 3 == 0 else "20.0",
        )


def _database(path: Path) -> sqlite3.Connection:
    from kasse.data.db import open_database

    open_database(path).close()
    return sqlite3.connect(path, isolation_level=None)


def main(rows: int = 1_000_000) -> int:
    from kasse.data.audit_chain import append, verify

    with tempfile.TemporaryDirectory() as folder:
        floor_db = _database(Path(folder) / "floor.db")
        started = time.perf_counter()
        floor_db.execute("BEGIN")
        floor_db.executemany(
            "INSERT INTO audit (at, actor, table_name, record, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((e.at, e.actor, e.table_name, e.record, e.field, e.old, e.new) for e in _entries(rows)),
        )
        floor_db.execute("COMMIT")
        insert_floor = time.perf_counter() - started

        connection = _database(Path(folder) / "kasse.db")
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        append(connection, _entries(rows))
        connection.execute("COMMIT")
        appended = time.perf_counter() - started

        started = time.perf_counter()
        cursor = connection.execute("SELECT id, chain FROM audit ORDER BY id")
        while cursor.fetchmany(10_000):
            pass
        read_floor = time.perf_counter() - started
        started = time.perf_counter()
        report = verify(connection)
        verified = time.perf_counter() - started

    print(f"audit rows:  {rows:,}")
    print(
        f"verify:      {verified:.2f} s (target <= {VERIFY_TARGET_S:.0f} s; reading id and chain alone {read_floor:.2f} s)"
    )
    print(f"append:      {appended:.2f} s (plain executemany without a chain {insert_floor:.2f} s)")
    print(f"chain intact: {report.ok}")
    return 0 if report.ok and verified <= VERIFY_TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
