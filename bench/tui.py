"""How fast is kasse's TUI on 10,000 persons? Start to queue, a filter keystroke, opening a family, peak memory.

    python bench/tui.py [--persons 10000] [--runs 5]

The caseload (demo generator, written with import_families) is built in a
process of its own. Each run is then a fresh process (interpreter start and
imports count, as for a caseworker) that runs the app headless with
`App.run_test` at 160x48 and prints its own figures:

- start: from the parent's clock just before it spawned the process to the
  first frame drawn after the queue's table was filled;
- a filter keystroke: a key sent as the terminal driver sends it (no test
  pilot waits in between) to the first frame drawn after the rows changed;
- opening a family: Enter on a queue row to the family screen's first frame;
- peak memory: ru_maxrss at the end.

Targets: start <= 1.0 s, keystroke <= 100 ms, family <= 150 ms, <= 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import TODAY

TARGETS = {"start_s": 1.0, "filter_ms": 100.0, "open_family_ms": 150.0, "peak_mb": 200.0}

# Runs in the child process; `started` is the parent's clock just before it spawned the child.
CHILD = r"""
import asyncio, json, resource, sys, time
from datetime import date

started = float(sys.argv[3])
from kasse.tui.app import make_app
from textual import events
from textual.widgets import DataTable
imported = time.time()


def rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def watch_renders(screen, renders):
    original = screen._compositor_refresh

    def refreshed(*args, **kwargs):
        result = original(*args, **kwargs)
        renders.append(time.perf_counter())
        return result

    screen._compositor_refresh = refreshed


def watch_refills(screen, refills):
    original = screen.refresh_rows

    def refilled(*args, **kwargs):
        result = original(*args, **kwargs)
        refills.append(time.perf_counter())
        return result

    screen.refresh_rows = refilled


async def first_render_after(refills, renders, since, what):
    give_up = time.perf_counter() + 20
    while True:
        await asyncio.sleep(0.0005)
        later = [r for r in renders if refills and r >= refills[-1] and refills[-1] >= since]
        if later:
            return later[0]
        if time.perf_counter() > give_up:
            raise TimeoutError(f"{what}: refills {refills[-3:]} renders {renders[-5:]} since {since}")


async def measure():
    app = make_app(sys.argv[1], date.fromisoformat(sys.argv[2]))
    async with app.run_test(size=(160, 48)) as pilot:
        queue = app.screen
        renders, refills = [], []
        watch_renders(queue, renders)
        watch_refills(queue, refills)
        # The rows are on screen at the first frame drawn after the table was filled with them.
        shown = await first_render_after(refills, renders, 0.0, "start")
        on_screen = time.time() - (time.perf_counter() - shown)
        stages = {"queue": rss_mb()}

        await pilot.press("slash")
        await pilot.pause()
        keystrokes = []
        for char in "ahm":
            # The key goes in as the terminal driver sends it, with no test pilot waiting in between.
            before = time.perf_counter()
            app._driver.send_message(events.Key(char, char))
            keystrokes.append((await first_render_after(refills, renders, before, char) - before) * 1000)
        rows_after_filter = len(queue.matching)
        stages["filter"] = rss_mb()
        await pilot.press("escape")
        await pilot.pause()

        family_renders = []
        from kasse.tui.screens import family as family_module
        original_mount = family_module.FamilyScreen.on_mount

        def mounted(screen):
            original_mount(screen)
            watch_renders(screen, family_renders)

        family_module.FamilyScreen.on_mount = mounted
        before = time.perf_counter()
        app._driver.send_message(events.Key("enter", "\r"))
        while not family_renders:
            await asyncio.sleep(0.0005)
        open_family = (family_renders[0] - before) * 1000
        stages["family"] = rss_mb()
        await app.workers.wait_for_complete()
        stages["write path warmed up"] = rss_mb()

    print(json.dumps({
        "import_s": imported - started,
        "start_s": on_screen - started,
        "filter_ms": max(keystrokes),
        "filter_each_ms": keystrokes,
        "rows_after_filter": rows_after_filter,
        "open_family_ms": open_family,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "persons": app.snapshot.person_count,
        "rss_by_stage_mb": stages,
    }))


asyncio.run(measure())
"""


def child_env(cache: Path) -> dict[str, str]:
    """Bytecode cached as an installed package has it (the warm-up run writes it, outside the repo),
    even where PYTHONDONTWRITEBYTECODE is set: compiling kasse on every start is not what users pay."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def one_run(db: Path) -> dict:
    started = time.time()
    result = subprocess.run([sys.executable, "-c", CHILD, str(db), TODAY.isoformat(), repr(started)],
                            check=False, capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent.parent,
                            env=child_env(db.parent / "pycache"))
    if result.returncode:
        raise SystemExit(f"the measuring process failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def build_in_child(db: Path, persons: int) -> int:
    """Build the caseload in its own process: a child forked from a big parent starts with the
    parent's resident memory in its ru_maxrss, which would then be measured as the app's."""
    code = "import sys; from pathlib import Path; from bench.common import build_caseload; " \
           "print(build_caseload(Path(sys.argv[1]), int(sys.argv[2])))"
    result = subprocess.run([sys.executable, "-c", code, str(db), str(persons)], check=True, capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parent.parent)
    return int(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        persons = build_in_child(db, args.persons)
        one_run(db)  # warm-up: file cache, .pyc files
        runs = [one_run(db) for _ in range(args.runs)]

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    count = f"{persons:,}".replace(",", ".")
    print(f"kasse TUI, {count} persons, median of {args.runs} runs (160x48, headless)")
    print(f"  imports (process start to kasse.tui.app imported)  {median('import_s') * 1000:7.0f} ms")
    rows = [
        ("process start to queue on screen", median("start_s"), TARGETS["start_s"], "s"),
        ("filter keystroke to updated rows (worst of 3)", median("filter_ms"), TARGETS["filter_ms"], "ms"),
        ("opening a family", median("open_family_ms"), TARGETS["open_family_ms"], "ms"),
        ("peak memory (ru_maxrss)", median("peak_mb"), TARGETS["peak_mb"], "MB"),
    ]
    for label, value, target, unit in rows:
        verdict = "ok" if value <= target else "OVER"
        shown = f"{value:.2f} s" if unit == "s" else f"{value:.0f} {unit}"
        goal = f"{target:.1f} s" if unit == "s" else f"{target:.0f} {unit}"
        print(f"  {label:<47} {shown:>9}   target <= {goal:<7} {verdict}")
    stages = ", ".join(f"{stage} {mb} MB" for stage, mb in runs[len(runs) // 2]["rss_by_stage_mb"].items())
    print(f"  memory by stage (one run): {stages}")
    each = ", ".join(f"{ms:.0f}" for ms in runs[len(runs) // 2]["filter_each_ms"])
    print(f"  keystrokes 'a', 'h', 'm' (one run): {each} ms")


if __name__ == "__main__":
    main()
