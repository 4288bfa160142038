"""How long a train stage will take, said before its first fit.

Each model of the run (the chosen one and its baselines) is fitted a few times on small
subsets of the cohort, on this machine, with the run's own settings. From those fits comes a
cost of the form ``fixed + (per_epoch + per_sample_epoch x samples) x epochs`` (a fit without
epochs counts as one epoch), which is then summed over the run's real fits: one per fold on its training part,
and the final model on every sample. A warm-up fit comes first, so one-time costs (numba's
compilation of the ROCKET kernels, torch's first operations) are paid once here and not
projected onto every fit. Early stopping is not foreseen: the figure is for `max_epochs`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from gaitops.data.dataset import GaitDataset
from gaitops.data.splits import Fold
from gaitops.models.training import ModelSettings, fit_network
from gaitops.settings.models import OptimisationSettings

WARM_UP_SAMPLES = 8
CALIBRATION_SAMPLES = (64, 256)  # fits with epochs: 1 and 3 epochs on the first, 1 on the second
ESTIMATOR_SAMPLES = (32, 96)  # fits without epochs: these two subset sizes


@dataclass(frozen=True)
class FitCost:
    """Seconds of one fit: ``fixed + (per_epoch + per_sample_epoch x samples) x epochs``.

    The per-epoch part (Lightning's epoch loop, a batch that is mostly overhead) must stay apart
    from the per-sample part: measured on a few samples and charged per sample, it grew a DFFN
    run of 10 minutes into an estimate of 14.7 hours."""

    fixed: float
    per_sample_epoch: float
    per_epoch: float = 0.0

    def seconds(self, samples: int, epochs: int) -> float:
        return self.fixed + (self.per_epoch + self.per_sample_epoch * samples) * epochs


@dataclass(frozen=True)
class ModelEstimate:
    name: str
    fits: int
    seconds: float


@dataclass(frozen=True)
class TrainingEstimate:
    """The projected seconds of a train stage, per model, and what measuring them cost."""

    models: tuple[ModelEstimate, ...]  # the chosen model first, then its baselines
    samples: int
    subjects: int
    folds: int
    calibration_seconds: float

    @property
    def seconds(self) -> float:
        return sum(model.seconds for model in self.models)

    def line(self) -> str:
        """One log line a user reads before the first fit."""
        chosen, *baselines = self.models
        parts = f"{chosen.name} {duration(chosen.seconds)}"
        if baselines:
            names = ", ".join(b.name for b in baselines)
            parts += f", baselines {duration(sum(b.seconds for b in baselines))} ({names})"
        return (
            f"training estimate: about {duration(self.seconds)} for {self.folds} folds and the "
            f"final model on {self.samples} samples of {self.subjects} subjects ({parts}; "
            f"measured here in {self.calibration_seconds:.1f} s on small subsets, "
            "for max_epochs without early stopping)"
        )


def duration(seconds: float) -> str:
    """Seconds as a person says them: 40 s, 12 min, 2.3 h."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def calibration_order(data: GaitDataset, seed: int) -> np.ndarray:
    """Sample indices in a seeded order that cycles through the classes, so that even the
    smallest calibration subset holds every class it can."""
    order = np.random.default_rng(seed).permutation(len(data))
    if not data.task.is_classification:
        return order
    labels = data.y[order]
    rank_within_class = np.zeros(len(order), dtype=int)
    for label in np.unique(labels):
        members = labels == label
        rank_within_class[members] = np.arange(members.sum())
    return order[np.lexsort((labels, rank_within_class))]


def _timed_fit(
    data: GaitDataset, index: np.ndarray, architecture: str, settings: ModelSettings, seed: int
) -> float:
    started = time.perf_counter()
    fit_network(data, index, index[:0], architecture, settings, seed)
    return time.perf_counter() - started


def calibrate(data: GaitDataset, architecture: str, settings: ModelSettings, seed: int) -> FitCost:
    """The cost of one fit of `architecture`, measured on subsets of `data` (seeded, with its
    own generators: the run's randomness is untouched)."""
    order = calibration_order(data, seed)
    if isinstance(settings, OptimisationSettings):
        one_epoch = settings.model_copy(update={"max_epochs": 1})
        _timed_fit(data, order[:WARM_UP_SAMPLES], architecture, one_epoch, seed)
        small, large = (order[:size] for size in CALIBRATION_SAMPLES)
        first = _timed_fit(data, small, architecture, one_epoch, seed)
        three = settings.model_copy(update={"max_epochs": 3})
        more_epochs = _timed_fit(data, small, architecture, three, seed)
        more_samples = _timed_fit(data, large, architecture, one_epoch, seed)
        return epoch_cost(first, more_epochs, more_samples, len(small), len(large))
    _timed_fit(data, order[:WARM_UP_SAMPLES], architecture, settings, seed)
    small, large = (order[:size] for size in ESTIMATOR_SAMPLES)
    first = _timed_fit(data, small, architecture, settings, seed)
    second = _timed_fit(data, large, architecture, settings, seed)
    if len(large) > len(small):
        per_sample = max(second - first, 0.0) / (len(large) - len(small))
    else:
        per_sample = second / len(large)
    return FitCost(max(first - per_sample * len(small), 0.0), per_sample)


def epoch_cost(
    first: float, more_epochs: float, more_samples: float, small: int, large: int
) -> FitCost:
    """The cost of a fit with epochs from three timings: `small` samples for 1 and for 3
    epochs, and `large` samples for 1 epoch."""
    per_sample_epoch = max(more_samples - first, 0.0) / (large - small) if large > small else 0.0
    per_epoch = max((more_epochs - first) / 2 - per_sample_epoch * small, 0.0)
    fixed = max(first - per_epoch - per_sample_epoch * small, 0.0)
    return FitCost(fixed, per_sample_epoch, per_epoch)


def planned_seconds(
    cost: FitCost, folds: list[Fold], samples: int, epochs: int, with_final: bool
) -> float:
    """Seconds of the run's fits of one model: one per fold on its training part (plus a
    prediction of its test part), and the final model on every sample."""
    total = sum(
        cost.seconds(len(fold.train_index), epochs) + cost.per_sample_epoch * len(fold.test_index)
        for fold in folds
    )
    return total + (cost.seconds(samples, epochs) if with_final else 0.0)


def estimate_training(
    data: GaitDataset,
    folds: list[Fold],
    model: tuple[str, ModelSettings],
    baselines: list[tuple[str, ModelSettings]],
    seed: int,
) -> TrainingEstimate:
    """Measure each model's fit cost here and project it onto the run's folds and final fit."""
    started = time.perf_counter()
    estimates = []
    for position, (name, settings) in enumerate([model, *baselines]):
        cost = calibrate(data, name, settings, seed)
        epochs = settings.max_epochs if isinstance(settings, OptimisationSettings) else 1
        seconds = planned_seconds(cost, folds, len(data), epochs, with_final=position == 0)
        estimates.append(ModelEstimate(name, len(folds) + (position == 0), seconds))
    return TrainingEstimate(
        models=tuple(estimates),
        samples=len(data),
        subjects=len(set(data.subjects)),
        folds=len(folds),
        calibration_seconds=time.perf_counter() - started,
    )
