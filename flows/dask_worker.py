"""What each Dask worker process of a stage's cluster loads as it starts (Dask's `--preload`):
what every mapped item's function needs (torch, Lightning, gaitops' models), imported by all
workers at once and uncollected (`gaitops.garbage_collection`). Otherwise it loads as the first
item's function is unpickled, on the worker's event loop, and the broadcast copy reaches the
second worker only after the first has finished (measured: 6.1 s, then 5.5 s, before the first
fold of a tiny LOSO run began). As the worker closes: a process exit that does not walk those
objects once more (about 2 s a worker, which the stage's process waited for as its cluster
shut down)."""

from __future__ import annotations

from typing import Any

from gaitops.garbage_collection import imports_uncollected, no_collection_at_exit


def dask_setup(worker: Any) -> None:
    """Dask calls this as the worker starts (the preload's hook)."""
    with imports_uncollected():
        import gaitops.models.training  # noqa: F401  (loaded once here, not with the first item)


def dask_teardown(worker: Any) -> None:
    """Dask calls this as the worker closes, before its process exits."""
    no_collection_at_exit()
