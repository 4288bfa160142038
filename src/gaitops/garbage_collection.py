"""Python's cyclic garbage collector in a gaitops process, kept off the libraries' objects.

Importing torch, Lightning, Great Expectations and Prefect leaves about a million objects that
live as long as the process. Every full collection walks all of them again: measured in the
train stage's process, 9 full collections took 1.2 s of its 9 s, and the interpreter's last
collection at exit another second. Frozen (`gc.freeze`), they are skipped. Where a collection
runs never changes what a stage computes (tests/integration/test_dask.py compares a stage run
with this and a direct call without it, byte for byte).
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def imports_uncollected() -> Iterator[None]:
    """Import inside: no collection runs meanwhile, and what the imports made is frozen after,
    so that later full collections skip it. Objects created inside live on uncollected: use
    it for module imports, not for work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def no_collection_at_exit() -> None:
    """Skip the interpreter's full collection when this process exits (about a second with
    torch loaded): everything still alive is frozen as the exit handlers run (this one
    last, when registered first). As at any interpreter exit, Python does not promise
    to finalize what is left; gaitops closes what it writes before then."""
    atexit.register(gc.freeze)
