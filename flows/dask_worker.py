"""What each Dask worker process of a stage's cluster loads as it starts (Dask's `--preload`):
what every mapped item's function needs (torch, Lightning, gaitops' models), imported by all
workers at once, uncollected (`gaitops.garbage_collection`); and, as the worker closes, a
process exit that does not walk those objects once more (about 2 s a worker with torch loaded,
which the stage's process waited for as its cluster shut down)."""

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
