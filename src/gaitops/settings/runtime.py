"""The `runtime` section: where mapped work runs (never a stage dependency: it changes where, not
what)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gaitops.settings.base import Strict


class RuntimeSettings(Strict):
    """Where mapped work (folds, trials, explanation and score folds) runs: never tracked by a
    stage, since it changes where work runs, not its results."""

    runner: Literal["serial", "dask"] = "serial"
    workers: int = Field(2, ge=1)  # dask: a local cluster of this many single-threaded processes
    address: str | None = None  # dask: an existing scheduler (tcp://host:8786) instead
    torch_threads: int | None = Field(None, ge=1)  # per fit; None: torch's default in the stage
