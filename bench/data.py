"""Bulk data figures: CSV import of 10,000 persons (target <= 3 s) and a backup of that database (<= 1 s).

Run: python -m bench.data [PERSONS]. Each figure is printed beside a
baseline measured in the same process: the same person rows inserted with
plain sqlite3 `executemany` (the floor for any import), and a plain file
copy of the database (the floor for any backup).
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.common import TODAY

IMPORT_TARGET_S = 3.0
BACKUP_TARGET_S = 1.0


def _write_csv(path: Path, persons: int) -> int:
    from kasse.demo import demo_persons
    from kasse.interchange.csv_format import write_csv
    from kasse.interchange.v1 import dump_document

    return write_csv(dump_document(demo_persons(persons, seed=11, today=TODAY)), path)


def _baseline_insert(csv_path: Path, db_path: Path) -> float:
    """Seconds to insert the CSV's rows as they are into one plain table, in one transaction."""
    import csv

    with csv_path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    header, data = rows[0], rows[1:]
    started = time.perf_counter()
    connection = sqlite3.connect(db_path)
    columns = ", ".join(f'"{name}"' for name in header)
    connection.execute(f"CREATE TABLE person ({columns})")
    with connection:
        connection.executemany(f"INSERT INTO person VALUES ({', '.join('?' * len(header))})", data)
    connection.close()
    return time.perf_counter() - started


def _backup(db_path: Path, folder: Path) -> tuple[float, str]:
    """Seconds for kasse's backup (kasse.backup when present, else sqlite3's online backup API)."""
    started = time.perf_counter()
    try:
        from kasse.backup.copies import take_backup
    except ImportError:
        source, target = sqlite3.connect(db_path), sqlite3.connect(folder / "copy.db")
        with target:
            source.backup(target)
        source.close()
        target.close()
        return time.perf_counter() - started, "sqlite3.Connection.backup"
    take_backup(db_path, folder=folder)
    return time.perf_counter() - started, "kasse.backup.take_backup (verificeret)"


def main(persons: int = 10_000) -> int:
    from kasse.interchange.transfer import import_file

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        csv_path, db_path = folder / "caseload.csv", folder / "kasse.db"
        rows = _write_csv(csv_path, persons)
        baseline = _baseline_insert(csv_path, folder / "baseline.db")
        started = time.perf_counter()
        import_file(csv_path, db_path, today=TODAY)
        imported = time.perf_counter() - started
        size_mb = db_path.stat().st_size / 1e6

        started = time.perf_counter()
        shutil.copyfile(db_path, folder / "plain-copy.db")
        copied = time.perf_counter() - started
        backed_up, how = _backup(db_path, folder / "backups")

    print(f"CSV-import af {rows} personer: {imported:.2f} s (mål <= {IMPORT_TARGET_S:.0f} s); "
          f"grundlinje sqlite3 executemany af samme rækker: {baseline:.3f} s")
    print(f"Sikkerhedskopi af {size_mb:.1f} MB med {how}: {backed_up:.3f} s (mål <= {BACKUP_TARGET_S:.0f} s); "
          f"grundlinje filkopi: {copied:.3f} s")
    return 0 if imported <= IMPORT_TARGET_S and backed_up <= BACKUP_TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
