"""Pausing Python's cycle collector around a batch that builds many short-lived objects.

A sink batch of ten thousand messages builds a few hundred thousand small objects (rows, column
values, lookup results), none in a reference cycle, all freed by reference counting when the batch
ends. With the collector running, their number alone sets it off: hundreds of young-generation passes
a batch, and survivors promoted until a full collection walks every object the process holds (in a
classifying process, the model's as well). Paused for the batch, none of that runs, and what the batch
frees on its way out lowers the allocation count again, so the deferred work is small. A cycle made
meanwhile is not lost, only collected at the next pass after the pause.

Nested and concurrent pauses count: the collector resumes when the last one ends, and only if it was
running when the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_collector() -> Iterator[None]:
    """Run the block with the cycle collector paused (reference counting still frees what it can)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
