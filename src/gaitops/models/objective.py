"""Training as an objective: one hyper-parameter configuration on one subject-wise split -> its
validation score. Writes nothing: this is what the tuners call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytorch_lightning as pl

from gaitops.data.dataset import GaitDataset
from gaitops.data.splits import Fold
from gaitops.models.training import FitResult, fit_network, validation_split
from gaitops.settings.models import OptimisationSettings
from gaitops.tasks import Task


@dataclass(frozen=True)
class TuningSplit:
    """Fit and validation parts drawn from one fold's training part, by subject (its test part
    stays unseen, for the final evaluation)."""

    fit_index: np.ndarray
    validation_index: np.ndarray
    seed: int


def tuning_split(
    data: GaitDataset, fold: Fold, validation_fraction: float, seed: int
) -> TuningSplit:
    fit, validation = validation_split(data.subjects, fold.train_index, validation_fraction, seed)
    if len(validation) == 0:
        raise ValueError(
            "tuning needs validation subjects: raise train.validation_fraction above 0"
        )
    return TuningSplit(fit, validation, seed)


def configure(settings: OptimisationSettings, overrides: dict[str, Any]) -> OptimisationSettings:
    """The model section with `overrides` applied and validated (a bad value raises)."""
    return type(settings).model_validate({**settings.model_dump(), **overrides})


def evaluate_configuration(
    data: GaitDataset,
    task: Task,
    split: TuningSplit,
    architecture: str,
    settings: OptimisationSettings,
    callbacks: list[pl.Callback] | None = None,
) -> FitResult:
    """Fit one configuration; its ``best_validation_metric`` is the task's headline metric on the
    validation subjects at the best epoch (higher is better when ``task.higher_is_better``)."""
    return fit_network(
        data,
        split.fit_index,
        split.validation_index,
        architecture,
        settings,
        split.seed,
        task=task,
        callbacks=callbacks,
    )
