"""Pausing Python's cycle collector while kasse builds many small values.

Reading a caseload, running the engine over it or generating a demo makes
tens or hundreds of thousands of frozen values that hold no reference
cycles. The collector's passes over them find nothing and cost 10-40 % of
the work, so the builders pause it; reference counting still frees them.

A lookup process (`kasse overdue`) lives a fraction of a second: it runs
without the collector from start-up (kasse/__main__.py) to exit. Every
other command gets it back through `resume_unless_quick`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

QUICK_COMMANDS = frozenset({"overdue", "due", "deadlines", "show", "search", "backups"})


def resume_unless_quick(command: str | None) -> None:
    """Turn the collector on for `command` (None: the app) unless it is a quick read that exits at once."""
    if command not in QUICK_COMMANDS:
        gc.enable()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cycle collector for the block; nested pauses leave it as the outer one found it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
