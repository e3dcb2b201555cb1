"""The CLI's progress bar for long work (import, export): on standard error, only on a terminal, and only once the
work has run for a second."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(description: str, steps: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on standard error that appears only once the work has run for a second, and only on a
    terminal; yields `step(description)` to call as each phase begins."""
    if not sys.stderr.isatty():
        yield lambda _text: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task(description, total=steps)
    done = [0]

    def step(text: str) -> None:
        bar.update(task, description=text, completed=done[0])
        done[0] += 1

    timer = threading.Timer(1.0, bar.start)
    timer.daemon = True
    timer.start()
    try:
        yield step
    finally:
        timer.cancel()
        bar.stop()


