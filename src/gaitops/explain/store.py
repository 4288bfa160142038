"""The files an explain@METHOD stage stores and the score and compare stages read, one typed
record each; their keys are spelled here only.

``explanations.npz``: every explained held-out sample with its fold, target and names, and the
method's outputs (attributions, counterfactual examples, a completeness error, details).
``by_class.npz``: the mean |attribution| per class, what the atlas draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gaitops.io import write_npz

EXPLANATIONS_FILE = "explanations.npz"
BY_CLASS_FILE = "by_class.npz"
_DETAIL = "detail_"
_OUTPUTS = ("attributions", "convergence_error", "examples")  # each optional, stored in this order


@dataclass(frozen=True)
class Explanations:
    """One method's explanations of the held-out samples, fold by fold (each fold's samples in
    dataset order)."""

    sample_index: np.ndarray  # rows of the dataset
    labels: np.ndarray  # the targets: class indexes, or values for regression
    folds: np.ndarray
    sample_ids: np.ndarray
    subjects: np.ndarray
    channels: np.ndarray  # input names
    classes: np.ndarray  # class names, or ["all samples"] for regression
    attributions: np.ndarray | None = None
    convergence_error: np.ndarray | None = None
    examples: np.ndarray | None = None  # counterfactual inputs
    details: dict[str, np.ndarray] = field(default_factory=dict)  # per sample, method-specific

    def outputs(self) -> frozenset[str]:
        """Which of the method's outputs are stored ("attributions", "examples")."""
        return frozenset(n for n in ("attributions", "examples") if getattr(self, n) is not None)

    def of_fold(self, fold: int) -> np.ndarray:
        """The positions of `fold`'s samples."""
        return np.flatnonzero(self.folds == fold)

    def write(self, folder: Path) -> None:
        method = {name: getattr(self, name) for name in _OUTPUTS}
        write_npz(
            folder / EXPLANATIONS_FILE,
            **{k: v for k, v in method.items() if v is not None},
            **{_DETAIL + k: v for k, v in self.details.items()},
            sample_index=self.sample_index,
            labels=self.labels,
            folds=self.folds,
            sample_ids=self.sample_ids,
            subjects=self.subjects,
            channels=self.channels,
            classes=self.classes,
        )

    @classmethod
    def read(cls, folder: Path) -> Explanations:
        with np.load(folder / EXPLANATIONS_FILE) as stored:
            arrays: dict[str, Any] = {key: stored[key] for key in stored.files}
        details = {
            k.removeprefix(_DETAIL): arrays.pop(k) for k in list(arrays) if k.startswith(_DETAIL)
        }
        return cls(**arrays, details=details)


@dataclass(frozen=True)
class ClassMeans:
    """Mean |attribution| per class: (classes, channels, time) for curves, (classes, features)
    for rows."""

    mean_abs: np.ndarray
    channels: np.ndarray
    classes: np.ndarray

    def write(self, folder: Path) -> None:
        write_npz(
            folder / BY_CLASS_FILE,
            mean_abs=self.mean_abs,
            channels=self.channels,
            classes=self.classes,
        )

    @classmethod
    def read(cls, folder: Path) -> ClassMeans:
        with np.load(folder / BY_CLASS_FILE) as stored:
            return cls(**{key: stored[key] for key in stored.files})

    @staticmethod
    def stored_in(folder: Path) -> bool:
        """Whether the method stored attributions to average (not so for counterfactual-only
        methods and methods that did not apply)."""
        return (folder / BY_CLASS_FILE).exists()
