"""Python's cyclic garbage collector in a gaitops process, kept off the libraries' objects.

Importing torch, Lightning, Great Expectations and Prefect leaves about half a million objects that
live as long as the process. Every full collection walks all of them again: measured in the
train stage's process, 9 full collections took 1.2 s of its 9 s, and the interpreter's last
collection at exit another second. Frozen (`gc.freeze`), they are skipped. Where a collection
runs never changes what a stage computes: tests/integration/test_dask.py compares the train
stage run as a flow (with this) and called directly (without), byte for byte, and
benchmarks/garbage_collection.py every stage address's outputs both ways.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache


@contextmanager
def imports_uncollected() -> Iterator[None]:
    """Import inside: no collection runs meanwhile; once the imports succeed, every object
    tracked so far (theirs included) is frozen, so that later full collections skip it. A
    failed import's leftovers stay collectable. Use it for module imports, not for work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


@cache
def no_collection_at_exit() -> None:
    """Skip the interpreter's full collection when this process exits (about a second with
    torch loaded): at exit, what is still alive is frozen before the handlers registered
    earlier run (atexit runs the newest first), and the interpreter's last collection skips
    it. As at any interpreter exit, Python does not promise to finalize what is left;
    gaitops closes what it writes before then. Registered once per process (cached)."""
    atexit.register(gc.freeze)
