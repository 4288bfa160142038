"""The stage modules: each is a module of this package with a
``run(settings, paths, map_items=serial_map)`` function. It reads its inputs, calls the domain
packages, and writes its outputs atomically. It knows nothing of Prefect or DVC. A stage that
loops over folds takes ``map_items`` so an orchestrator can run each item as its own task.
Modules are imported only when their stage runs, so a stage pays only for the libraries it uses.
Their order and names: gaitops.pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
# (function, items[, label]) -> results in item order; `label` names the items' tasks apart from
# the stage's own (e.g. a baseline's folds beside the model's)
MapFn = Callable[..., list[R]]


def serial_map(function: Callable[[T], R], items: list[T], label: str | None = None) -> list[R]:
    return [function(item) for item in items]
