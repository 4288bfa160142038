"""The one dataset container every model, explainer and score takes, built per task."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitops.tasks import InputKind, Objective, Task

_DIMENSIONS: dict[InputKind, int] = {"curves": 3, "tabular": 2}


@dataclass(frozen=True)
class GaitDataset:
    """Model inputs with targets, subjects and names, and the task they were built for.

    ``x`` is (samples, channels, 101) for curves or (rows, features) for tabular rows; ``y`` holds
    class indexes (classification, ``classes`` set) or values (regression, ``classes`` None).
    A sample's subject travels with it, so no split can leak a subject. Everything that depends
    on the kind of problem asks ``task``, never the arrays' shapes.
    """

    task: Task
    x: np.ndarray
    y: np.ndarray
    subjects: np.ndarray
    classes: list[str] | None
    input_names: list[str]  # channel names (curves) or feature names (tabular)
    sample_ids: list[str]

    def __post_init__(self) -> None:
        if self.x.ndim != _DIMENSIONS[self.task.input_kind]:
            raise ValueError(
                f"{self.task.name} takes {self.task.input_kind} inputs of "
                f"{_DIMENSIONS[self.task.input_kind]} dimensions, not {self.x.ndim}"
            )
        if (self.classes is not None) != self.task.is_classification:
            raise ValueError(
                f"{self.task.name} is {self.task.objective}: classes "
                + ("are needed" if self.task.is_classification else "must be None")
            )

    @property
    def input_kind(self) -> InputKind:
        return self.task.input_kind

    @property
    def objective(self) -> Objective:
        return self.task.objective

    @property
    def n_classes(self) -> int | None:
        """How many classes (None for regression)."""
        return None if self.classes is None else len(self.classes)

    def __len__(self) -> int:
        return len(self.y)
