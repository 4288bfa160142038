"""The one dataset container every model, explainer and score takes, built per task."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitops.tasks import InputKind, Objective


@dataclass(frozen=True)
class GaitDataset:
    """Model inputs with targets, subjects and names.

    ``x`` is (samples, channels, 101) for curves or (rows, features) for tabular rows; ``y`` holds
    class indexes (classification, ``classes`` set) or values (regression, ``classes`` None).
    A sample's subject travels with it, so no split can leak a subject.
    """

    x: np.ndarray
    y: np.ndarray
    subjects: np.ndarray
    classes: list[str] | None
    input_names: list[str]  # channel names (curves) or feature names (tabular)
    sample_ids: list[str]

    @property
    def input_kind(self) -> InputKind:
        return "curves" if self.x.ndim == 3 else "tabular"

    @property
    def objective(self) -> Objective:
        return "regression" if self.classes is None else "classification"

    def __len__(self) -> int:
        return len(self.y)
