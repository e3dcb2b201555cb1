"""Running kasse as a user does: a real process, a real database file, a fixed today."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_kasse(*args: str, db: Path | None = None, env: dict | None = None, stdin: str | None = None) -> Result:
    argv = [sys.executable, "-m", "kasse", *args]
    if db is not None:
        argv += ["--db", str(db)]
    # The user's own database and config never leak into a test: no file at KASSE_CONFIG means the defaults.
    environment = {key: value for key, value in os.environ.items() if key not in {"KASSE_DB", "KASSE_RULES"}}
    environment.update({"NO_COLOR": "1", "COLUMNS": "200", "KASSE_CONFIG": os.devnull + ".kasse.toml", **(env or {})})
    done = subprocess.run(argv, check=False, capture_output=True, text=True, env=environment,
                          input=stdin, timeout=120)
    return Result(done.returncode, done.stdout, done.stderr)
