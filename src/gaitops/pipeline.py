"""The pipeline's stages, in order: the one list the flows, CLI, demo, summary, tests and
benchmarks derive from. A leaf module: naming the stages imports none of them.

A stage with ``foreach`` runs once per item of that params list (``explain.methods``): DVC
expands it into ``NAME@ITEM`` stages, and ``run`` gets the item as ``item=``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Stage:
    name: str
    summary: str
    item_task: str | None = None  # name of the per-item task when the stage maps over folds
    writes_metrics: bool = False
    foreach: str | None = None  # dotted params key of the list DVC expands the stage over

    @property
    def module(self) -> str:
        return f"gaitops.stages.{self.name}"

    def function(self) -> Callable[..., Any]:
        """The stage's ``run``, importing its module (and its libraries) now."""
        return importlib.import_module(self.module).run


STAGES: tuple[Stage, ...] = (
    Stage("ingest", "one source adapter -> the canonical long table and its provenance"),
    Stage("validate", "the Great Expectations gate on the canonical table"),
    Stage("tune", "the tuner on one subject-wise split (off unless tune.enabled)", "trial", True),
    Stage("train", "cross-validated training of the task's model", "train fold", True),
    Stage(
        "select",
        "sequential angle selection with retraining (off unless select.enabled)",
        "fit",
        True,
    ),
    Stage(
        "explain",
        "one explainer on every held-out prediction",
        "explain fold",
        True,
        "explain.methods",
    ),
    Stage(
        "score", "the scores of one explainer's explanations", "score fold", True, "explain.methods"
    ),
    Stage("compare", "the explainers side by side: which one to trust", None, True),
    Stage("report", "one self-contained HTML page of the run (data/report/index.html)"),
)
STAGE_NAMES: tuple[str, ...] = tuple(stage.name for stage in STAGES)


def get_stage(name: str) -> Stage:
    for stage in STAGES:
        if stage.name == name:
            return stage
    raise KeyError(f"{name!r} is not a stage; stages: {', '.join(STAGE_NAMES)}")


def items_of(stage: Stage, settings: Any) -> list[str | None]:
    """The items a stage runs for under `settings` ([None] for a stage DVC runs once)."""
    if stage.foreach is None:
        return [None]
    value: Any = settings
    for key in stage.foreach.split("."):
        value = getattr(value, key)
    return list(value)


def addresses(settings: Any) -> list[str]:
    """Every DVC stage address of the pipeline under `settings`, in pipeline order."""
    return [
        stage.name if item is None else f"{stage.name}@{item}"
        for stage in STAGES
        for item in items_of(stage, settings)
    ]


def split_address(address: str) -> tuple[Stage, str | None]:
    """A DVC stage address (``train``, ``explain@deeplift``) as the stage and its item."""
    name, _, item = address.partition("@")
    stage = get_stage(name)
    if (stage.foreach is None) != (not item):
        raise KeyError(
            f"{address!r}: stage {name} "
            + ("takes no item" if stage.foreach is None else f"runs per item of {stage.foreach}")
        )
    return stage, item or None
