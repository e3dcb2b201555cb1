"""Import fuzzing at volume: tens of thousands of hostile files per format, counted by outcome and timed.

Run: python -m bench.fuzz_import [--count N] [--seed S] [--formats json,csv,xlsx] [--store] [--keep DIR]

Each file (tests/hostile_files.py: a valid kasse file broken at random; "journal-csv" a journal's or tasks'
CSV file beside a valid caseload's) is read and validated as `kasse import` does. Its outcome is one of: accepted, refused (one Danish line), bug (any other exception - a
traceback for a user), slow (over --limit seconds, stopped). Target: 0 bugs, 0 slow, 0 faulty messages (over
8 KB, or holding a raw control character). With --store, every accepted file is also saved in a rolled-back
transaction on a database holding a caseload: what validation lets through, SQLite must hold. --keep saves
each bug's file there to reproduce it.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.hostile_files import FORMATS, Outcome, hostile_files, message_faults, parse_outcome, place_file


class _TooSlow(BaseException):
    """Raised by the timer; a BaseException, so that no `except Exception` on the way takes it for a broken file."""


def _stop(_signal, _frame):
    raise _TooSlow


def _outcome(path: Path, kind: str, limit: float) -> Outcome:
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return parse_outcome(path, kind)
    except _TooSlow:
        return Outcome("slow")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _stored(store, accepted: Outcome) -> Outcome:
    from kasse.data.journal import save_records
    from kasse.errors import KasseError

    try:
        with store.transaction(dry_run=True) as transaction:
            save_records(transaction, list(accepted.families), accepted.notes, accepted.tasks)
    except KasseError as error:
        return Outcome("refused", error.message)
    except Exception as error:  # noqa: BLE001 - a value validation let through and the database would not hold
        return Outcome("bug", f"store: {type(error).__name__}")
    return Outcome("accepted")


def _caseload_store(folder: Path):
    import json

    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families
    from kasse.interchange.v1 import parse_document
    from tests.hostile_files import base_documents

    database = open_database(folder / "kasse.db")
    store = Store(database, actor="fuzz")
    import_families(store, parse_document(json.loads(base_documents()[0])))
    return database, store


def run(kind: str, count: int, seed: int, limit: float, store, keep: Path | None, folder: Path) -> None:
    outcomes: Counter[str] = Counter()
    bugs: Counter[str] = Counter()
    faults = 0
    largest = 0
    seconds: list[float] = []
    started = time.perf_counter()
    for name, data in hostile_files(kind, count, seed):
        path = place_file(folder, name, kind, data)
        begun = time.perf_counter()
        outcome = _outcome(path, kind, limit)
        if outcome.kind == "accepted" and store is not None:
            outcome = _stored(store, outcome)
        seconds.append(time.perf_counter() - begun)
        outcomes[outcome.kind] += 1
        if outcome.kind == "refused":
            largest = max(largest, len(outcome.message.encode("utf-8", "surrogatepass")))
            faults += bool(message_faults(outcome.message))
        elif outcome.kind in {"bug", "slow"}:
            bugs[outcome.message.split(":")[0] or outcome.kind] += 1
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"{name}.{kind}").write_bytes(data)
    total = time.perf_counter() - started
    shown = ", ".join(f"{key} {outcomes[key]}" for key in ("accepted", "refused", "bug", "slow"))
    print(f"{kind:5} {count:6} filer: {shown}; meddelelser med fejl {faults}, største {largest} bytes")
    print(
        f"      {total:6.1f} s i alt, pr. fil: median {statistics.median(seconds) * 1000:.1f} ms, "
        f"p99 {statistics.quantiles(seconds, n=100)[98] * 1000:.1f} ms, max {max(seconds) * 1000:.0f} ms"
    )
    for kind_of_bug, number in bugs.most_common(10):
        print(f"      fejl: {kind_of_bug} x {number}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="filer pr. format (standard 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--limit", type=float, default=10.0, help="sekunder pr. fil før den regnes for 'slow'")
    parser.add_argument("--store", action="store_true", help="gem også de godkendte filer (rullet tilbage)")
    parser.add_argument("--keep", type=Path, help="mappe til filer, der gav en fejl")
    arguments = parser.parse_args()
    signal.signal(signal.SIGALRM, _stop)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        database, store = _caseload_store(folder) if arguments.store else (None, None)
        try:
            for kind in arguments.formats.split(","):
                run(kind, arguments.count, arguments.seed, arguments.limit, store, arguments.keep, folder)
        finally:
            if database is not None:
                database.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
