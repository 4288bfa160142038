"""Tabulate a finite space: every configuration x training seed, every epoch's validation loss,
headline metric, representation information and seconds (gaitops.tuning.benchmark.tabular reads
the tables). Tabulating writes one file per configuration into a folder, so a run can be split over
processes (`shard`) and resumed: a configuration already written is not trained again."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytorch_lightning as pl

from gaitops.data.dataset import GaitDataset
from gaitops.models.objective import TuningSplit, configure, evaluate_configuration
from gaitops.settings.models import OptimisationSettings
from gaitops.tasks import Task
from gaitops.tuning.benchmark.problems import with_seed
from gaitops.tuning.mutual_information import information_probe
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
    configurations: list[int] | None = None,
) -> pd.DataFrame:
    """One row per (configuration, training seed, epoch); `configurations`: these indices only."""
    x_val, y_val = data.x[split.validation_index], data.y[split.validation_index]
    rows = []
    chosen = range(len(space.actions)) if configurations is None else configurations
    for index in chosen:
        action = space.actions[index]
        settings = configure(base, {**space.decode(action), "max_epochs": epochs})
        for seed in training_seeds:
            information = EpochInformation(
                information_probe(x_val, y_val, task.is_classification, "binned", 8, seed)
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


def shard_configurations(total: int, shard: int, shards: int) -> list[int]:
    """The configurations of one of `shards` processes (every shards-th, from `shard`)."""
    return list(range(shard, total, shards))


def tabulate_into(
    folder: Path,
    data: GaitDataset,
    task: Task,
    split: TuningSplit,
    architecture: str,
    base: OptimisationSettings,
    space: SearchSpace,
    epochs: int,
    training_seeds: list[int],
    configurations: list[int],
) -> int:
    """Tabulate each of `configurations` not yet in `folder` into its own file; returns how many
    were trained. A file is written whole (to a temporary name, then renamed)."""
    folder.mkdir(parents=True, exist_ok=True)
    trained = 0
    for index in configurations:
        path = folder / f"configuration_{index:05d}.csv"
        if path.exists():
            continue
        frame = tabulate(
            data, task, split, architecture, base, space, epochs, training_seeds, [index]
        )
        partial = path.with_suffix(".partial")
        frame.to_csv(partial, index=False)
        partial.replace(path)
        trained += 1
    return trained


def merge_folder(folder: Path, configurations: int) -> pd.DataFrame:
    """Every configuration's file in `folder` as one table (all `configurations` must be there)."""
    missing = [
        i for i in range(configurations) if not (folder / f"configuration_{i:05d}.csv").exists()
    ]
    if missing:
        raise FileNotFoundError(
            f"{folder}: {len(missing)} of {configurations} configurations not tabulated yet "
            f"(first: {missing[0]}); run tabulate again to resume"
        )
    frames = [pd.read_csv(folder / f"configuration_{i:05d}.csv") for i in range(configurations)]
    return pd.concat(frames, ignore_index=True)
