"""Tabulate a finite space: every configuration x training seed, every epoch's validation loss,
headline metric and representation information, and the lookup of a trial from that table."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytorch_lightning as pl

from gaitops.config import OptimisationSettings
from gaitops.data.dataset import GaitDataset
from gaitops.models.objective import TuningSplit, configure, evaluate_configuration
from gaitops.tasks import Task
from gaitops.tuning.benchmark.problems import with_seed
from gaitops.tuning.mutual_information import penultimate, representation_information
from gaitops.tuning.objective import TrialOutcome
from gaitops.tuning.space import SearchSpace

COLUMNS = (
    "configuration",
    "training_seed",
    "epoch",
    "validation_loss",
    "metric",
    "information",
    "seconds",
)


class EpochInformation(pl.Callback):
    """The representation's mutual information with the target after every epoch."""

    def __init__(self, measure: Callable[[object], float]) -> None:
        self.measure = measure
        self.values: list[float] = []

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self.values.append(self.measure(pl_module.network))


def tabulate(
    data: GaitDataset,
    task: Task,
    split: TuningSplit,
    architecture: str,
    base: OptimisationSettings,
    space: SearchSpace,
    epochs: int,
    training_seeds: list[int],
) -> pd.DataFrame:
    """One row per (configuration, training seed, epoch)."""
    x_val, y_val = data.x[split.validation_index], data.y[split.validation_index]
    rows = []
    for index, action in enumerate(space.actions):
        settings = configure(base, {**space.decode(action), "max_epochs": epochs})
        for seed in training_seeds:
            information = EpochInformation(
                lambda network, seed=seed: representation_information(
                    penultimate(network, x_val), y_val, task.is_classification, "binned", 8, seed
                )
            )
            start = time.perf_counter()
            fitted = evaluate_configuration(
                data, task, with_seed(split, seed), architecture, settings, [information]
            )
            per_epoch = (time.perf_counter() - start) / max(fitted.epochs, 1)
            for record, mi in zip(fitted.history, information.values, strict=True):
                rows.append(
                    (
                        index,
                        seed,
                        record.epoch,
                        record.validation_loss,
                        record.validation_metric,
                        mi,
                        per_epoch,
                    )
                )
    return pd.DataFrame(rows, columns=list(COLUMNS))


@dataclass(frozen=True)
class Table:
    """Lookups into a tabulated space."""

    frame: pd.DataFrame

    def outcome(self, configuration: int, training_seed: int, epochs: int) -> TrialOutcome:
        """What training `configuration` with `training_seed` for `epochs` epochs gives: the
        epoch with the lowest validation loss (first on ties), as the fit's best-weights rule."""
        rows = self.frame[
            (self.frame["configuration"] == configuration)
            & (self.frame["training_seed"] == training_seed)
            & (self.frame["epoch"] < epochs)
        ].sort_values("epoch")
        losses = rows["validation_loss"].to_numpy(dtype=float)
        finite = np.isfinite(losses)
        if finite.any():
            best = int(np.flatnonzero(finite)[np.argmin(losses[finite])])
            loss = float(losses[best])
        else:
            best, loss = len(rows) - 1, float("nan")
        chosen = rows.iloc[best]
        return TrialOutcome(
            value=float(chosen["metric"]),
            validation_loss=loss,
            mutual_information=float(chosen["information"]),
            epochs=epochs,
            best_epoch=int(chosen["epoch"]),
        )

    @property
    def seeds(self) -> list[int]:
        return sorted(self.frame["training_seed"].unique().tolist())

    def best_value(self, epochs: int) -> float:
        """The best value any configuration reaches within `epochs` epochs, mean over seeds."""
        values = [
            np.mean([self.outcome(c, s, epochs).value for s in self.seeds])
            for c in sorted(self.frame["configuration"].unique())
        ]
        return float(max(values))
