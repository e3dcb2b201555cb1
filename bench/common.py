"""Shared by the benchmarks: a demo caseload of a given size and a process timer."""

from __future__ import annotations

import statistics
import subprocess
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 23)


def build_caseload(db_path: Path, persons: int, seed: int = 7) -> int:
    """Write a demo caseload of about `persons` persons to a new database; returns the exact count."""
    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families
    from kasse.demo import demo_persons

    families = demo_persons(persons, seed=seed, today=TODAY)
    database = open_database(db_path)
    try:
        import_families(Store(database, actor="bench"), families)
    finally:
        database.close()
    return sum(len(family.members) for family in families)


def time_processes(commands: dict[str, tuple[list[str], dict | None]], runs: int) -> dict[str, list[float]]:
    """Wall-clock seconds of whole runs of each command, taken in turns (one of each per round, after a
    warm-up round) so that a machine that speeds up or slows down affects all of them alike."""
    for argv, env in commands.values():
        subprocess.run(argv, check=True, capture_output=True, env=env)
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():
            started = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, env=env)
            timings[name].append(time.perf_counter() - started)
    return timings


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000
