"""Pausing Python's cycle collector while kasse builds many small values.

Reading a caseload, running the engine over it or generating a demo makes
tens or hundreds of thousands of frozen values that hold no reference
cycles. The collector's passes over them find nothing and cost 10-40 % of
the work, so the builders pause it; reference counting still frees them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
