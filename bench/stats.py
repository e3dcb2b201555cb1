"""How fast is `kasse stats` over 10,000 persons? The whole command, and its parts in this process.

    python -m bench.stats [--persons 10000] [--runs 9]

Processes (median wall-clock of whole runs, taken in turns): `kasse stats
--json` over the last 12 months; baselines `kasse deadlines --all --json`
(the same engine over the same caseload, every deadline printed) and a bare
sqlite3 read of every row. In this process (median of RUNS): the read
`kasse stats` makes (kasse/data/stats_reads.py), `statistics_of` (the pure
computation), and the Statistik screen's work -
the engine's deadlines for a snapshot once (in a worker), then a period's
counts (also in a worker, on every key that moves it). Target: `kasse stats`
under 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from bench.common import TODAY, build_caseload, median_ms, time_processes
from bench.lookups import BARE_READ, kasse_argv

TARGET_MS = 1000.0


def in_process(db: Path, runs: int) -> dict[str, float]:
    """Median ms of each part of the computation, done as the CLI and the app do it."""
    from kasse.data import reader
    from kasse.data.stats_reads import families_for_statistics
    from kasse.dates import add_years
    from kasse.policy import DEFAULT_POLICY
    from kasse.stats import statistics_of
    from kasse.tui.caseload import Snapshot
    from kasse.tui.screens.stats import counted, deadlines_to_count

    start, end = add_years(TODAY, -1) + timedelta(days=1), TODAY

    def read():
        with closing(reader.connect(db)) as connection:
            return families_for_statistics(connection)

    families = read()
    snapshot = Snapshot.build(families, TODAY, DEFAULT_POLICY)
    found = deadlines_to_count(snapshot)
    parts: dict[str, Callable[[], object]] = {
        "read (families_for_statistics)": read,
        "statistics_of (pure)": lambda: statistics_of(families, start=start, end=end, today=TODAY),
        "screen: deadlines of a snapshot": lambda: deadlines_to_count(snapshot),
        "screen: one period's counts": lambda: counted(found, start, end),
    }
    medians = {}
    for name, part in parts.items():
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            part()
            timings.append(time.perf_counter() - started)
        medians[name] = statistics.median(timings) * 1000
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = {**os.environ, "KASSE_CONFIG": os.devnull + ".kasse.toml"}
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "bench.db"
        persons = build_caseload(db, args.persons)
        day = ["--today", TODAY.isoformat(), "--db", str(db)]
        timings = time_processes({
            "stats": ([*kasse_argv(), "stats", "--json", *day], env),
            "deadlines": ([*kasse_argv(), "deadlines", "--all", "--json", *day], env),
            "bare": ([sys.executable, "-c", BARE_READ, str(db)], env),
        }, args.runs)
        parts = in_process(db, args.runs)

    stats_ms = median_ms(timings["stats"])
    print(f"caseload: {persons} persons; period: the 12 months up to {TODAY.isoformat()}")
    print(f"(processes: medians of {args.runs} rounds, each command once a round, in turn)")
    print(f"kasse stats --json              median {stats_ms:7.1f} ms  (max {max(timings['stats']) * 1000:.1f})")
    for name, words in (("deadlines", "kasse deadlines --all --json"), ("bare", "bare sqlite3 read of all")):
        other = median_ms(timings[name])
        print(f"{words:<31} median {other:7.1f} ms  -> stats is {stats_ms / other:.2f}x")
    print("in this process (medians):")
    for name, ms in parts.items():
        print(f"  {name:<34} {ms:7.1f} ms")
    print(f"target kasse stats < {TARGET_MS:.0f} ms: {'met' if stats_ms < TARGET_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
