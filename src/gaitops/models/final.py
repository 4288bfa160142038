"""The model to use: after cross-validation, the same configuration fitted on every subject.

No test data chooses anything about it. Its epoch count comes from the folds: with
``keep_epoch: last`` the folds trained ``max_epochs`` each, and so does the final model; with
``keep_epoch: best`` it trains for the median of the folds' best epochs (each chosen on that
fold's validation subjects, never on its test subjects).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from gaitops.data.dataset import GaitDataset
from gaitops.models.registry import MODELS
from gaitops.models.training import FitResult, FoldResult, ModelSettings, fit_network
from gaitops.tasks import Task

log = logging.getLogger("gaitops")


@dataclass(frozen=True)
class FinalModel:
    """The network fitted on all subjects, its spec and weights, and how its epochs were set."""

    spec: dict[str, Any]
    state_dict: dict[str, torch.Tensor]
    epochs: int | None  # None: fitted without epochs (closed form or estimator)
    epochs_from: str


def final_epochs(
    architecture: str, settings: ModelSettings, folds: Sequence[FoldResult]
) -> tuple[int | None, str]:
    """How many epochs the final fit runs, and why: the folds' own choice, never a test score."""
    if MODELS[architecture].fitting != "gradient":
        return None, "fitted without epochs"
    trained = [len(result.history) for result in folds if result.history]
    best = [result.best_epoch + 1 for result in folds if result.best_epoch is not None]
    if best:
        epochs = int(np.median(best))
        return epochs, f"median of the folds' best validation epochs {best}"
    epochs = max(trained) if trained else int(settings.max_epochs)  # type: ignore[union-attr]
    return epochs, f"the {epochs} epochs each fold trained (keep_epoch: last)"


def fit_final(
    data: GaitDataset,
    architecture: str,
    settings: ModelSettings,
    seed: int,
    folds: Sequence[FoldResult],
    task: Task | None = None,
) -> FinalModel:
    """Fit `architecture` with `settings` on every sample of `data` (seed `seed`)."""
    epochs, reason = final_epochs(architecture, settings, folds)
    if epochs is not None:
        settings = settings.model_copy(update={"max_epochs": epochs})
    every = np.arange(len(data))
    fitted: FitResult = fit_network(data, every, every[:0], architecture, settings, seed, task)
    log.info(
        "final model: %s fitted on all %d samples of %d subjects (%s)",
        architecture,
        len(data),
        len(set(data.subjects)),
        reason,
    )
    weights = {k: v.detach().clone() for k, v in fitted.network.state_dict().items()}
    return FinalModel(fitted.spec, weights, epochs, reason)
