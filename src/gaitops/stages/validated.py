"""What train, explain and score read: the validated table, the task's dataset, held-out folds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gaitops.config import Settings, task_of
from gaitops.data.dataset import GaitDataset
from gaitops.data.inputs import build_dataset
from gaitops.errors import PipelineStateError
from gaitops.io import read_json, sha256_of
from gaitops.paths import Paths


def validated_table(paths: Paths) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The canonical table, only if the saved validation report passed for these exact bytes."""
    if not paths.validation_report.exists():
        raise PipelineStateError(
            f"{paths.validation_report}: missing. Run the validate stage first."
        )
    report = read_json(paths.validation_report)
    if not report["success"]:
        raise PipelineStateError(f"{paths.canonical_table} failed validation: {report['summary']}")
    if report["table_sha256"] != sha256_of(paths.canonical_table):
        raise PipelineStateError(
            f"{paths.canonical_table} changed since it was validated. Run the validate stage again."
        )
    return pd.read_parquet(paths.canonical_table), report["source"]


def validated_dataset(settings: Settings, paths: Paths) -> tuple[GaitDataset, dict[str, Any]]:
    """The configured task's inputs from the validated table, and the table's source record."""
    table, source = validated_table(paths)
    train = settings.train
    return (
        build_dataset(table, task_of(settings), train.label, train.channels, train.inputs),
        source,
    )


def held_out(data: GaitDataset, paths: Paths) -> dict[int, np.ndarray]:
    """Fold number -> indexes (into `data`) of the samples that fold's model never saw."""
    predictions = pd.read_csv(paths.predictions, usecols=["sample", "fold"])
    position = {sample: i for i, sample in enumerate(data.sample_ids)}
    missing = set(predictions["sample"]) - set(position)
    if missing:
        raise PipelineStateError(
            f"{paths.models_dir}: models were trained on other samples (e.g. {sorted(missing)[:3]}). "
            "Run the train stage again."
        )
    return {
        int(fold): np.array([position[s] for s in group["sample"]])
        for fold, group in predictions.groupby("fold", sort=True)
    }
