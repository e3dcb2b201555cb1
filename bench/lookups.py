"""How fast is `kasse overdue --json` on 10,000 persons, against a bare sqlite3 read and Taskwarrior?

    python bench/lookups.py [--persons 10000] [--runs 15] [--today 2028-11-23] [--rules auto|2015|2016]

Each figure is the median wall-clock time of whole processes, so start-up
(imports) counts as it does for a caseworker. Targets: median <= 200 ms,
<= 3x the bare read, faster than Taskwarrior's `task overdue`.

The heavy case pins the 2015 rules on a later day (`--rules 2015 --today 2028-11-23`): most of
the caseload is then overdue and the lookup prints some 13,000 rows.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import TODAY, build_caseload, median_ms, time_processes

BARE_READ = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
rows = sum(len(conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
print(rows)
"""


def kasse_argv() -> list[str]:
    script = Path(sys.executable).with_name("kasse")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kasse"]


def taskwarrior_command(open_deadlines: list[dict], workdir: Path) -> tuple[list[str], dict] | None:
    """`task overdue` over the same open deadlines; None when Taskwarrior is not installed."""
    task = shutil.which("task")
    if task is None:
        return None
    rc = workdir / "taskrc"
    rc.write_text(f"data.location={workdir / 'task'}\nconfirmation=off\nverbose=nothing\nhooks=off\n")
    env = {**os.environ, "TASKRC": str(rc)}
    tasks = [
        {"description": f"{d['title']} {d['person'] or d['family']}", "status": "pending",
         "due": d["due"].replace("-", "") + "T000000Z", "entry": "20260101T000000Z",
         "uuid": f"00000000-0000-4000-8000-{index:012d}"}
        for index, d in enumerate(open_deadlines)
    ]
    source = workdir / "tasks.json"
    source.write_text(json.dumps(tasks))
    subprocess.run([task, "import", str(source)], check=True, capture_output=True, env=env)
    return [task, "rc.gc=off", "overdue"], env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--today", default=TODAY.isoformat(), help="the lookup's day (the caseload is the demo's)")
    parser.add_argument("--rules", default="auto", choices=("auto", "2015", "2016"))
    args = parser.parse_args()
    # An installed wheel has its bytecode compiled by pip; an editable checkout under
    # PYTHONDONTWRITEBYTECODE would recompile kasse on every run and time the compiler.
    import kasse

    compileall.compile_dir(Path(kasse.__file__).parent, quiet=1)

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        db = workdir / "bench.db"
        persons = build_caseload(db, args.persons)
        lookup = [*kasse_argv(), "overdue", "--json", "--today", args.today, "--rules", args.rules, "--db", str(db)]
        overdue = json.loads(subprocess.run(lookup, check=True, capture_output=True, text=True).stdout)
        open_deadlines = json.loads(subprocess.run(
            [*kasse_argv(), "deadlines", "--json", "--today", args.today, "--rules", args.rules, "--db", str(db)],
            check=True, capture_output=True, text=True).stdout)

        commands = {"kasse": (lookup, None), "bare": ([sys.executable, "-c", BARE_READ, str(db)], None)}
        taskwarrior = taskwarrior_command(open_deadlines, workdir)
        if taskwarrior is not None:
            commands["task"] = taskwarrior
        timings = time_processes(commands, args.runs)

    kasse_ms, bare_ms = median_ms(timings["kasse"]), median_ms(timings["bare"])
    print(f"caseload: {persons} persons, {len(open_deadlines)} open deadlines, {len(overdue)} overdue"
          f" on {args.today} under --rules {args.rules}")
    print(f"(medians of {args.runs} rounds; each round runs every command once, in turn)")
    print(f"kasse overdue --json      median {kasse_ms:7.1f} ms  (min {min(timings['kasse']) * 1000:.1f})")
    print(f"bare sqlite3 read of all  median {bare_ms:7.1f} ms  -> kasse is {kasse_ms / bare_ms:.2f}x (target <= 3x)")
    if "task" not in timings:
        print("taskwarrior: not installed (Debian package 'taskwarrior'); comparison skipped")
    else:
        task_ms = median_ms(timings["task"])
        faster = sum(k < t for k, t in zip(timings["kasse"], timings["task"], strict=True))
        print(f"task overdue              median {task_ms:7.1f} ms  -> kasse is {kasse_ms / task_ms:.2f}x (target < 1x);"
              f" kasse faster in {faster} of {args.runs} rounds")
    print(f"target median <= 200 ms: {'met' if kasse_ms <= 200 else 'NOT met'}")


if __name__ == "__main__":
    main()
