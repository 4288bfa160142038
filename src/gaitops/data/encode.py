"""Canonical table -> the source paper's tabular rows: one row per sample point.

Categorical attributes are one-hot encoded (an attribute with a single value is left out,
so the UCI data gives the paper's 29 SDNN predictors and 27 DFFN features); time, and the
angle where it is an input, stay numeric (the model scales them with training-fold min-max).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gaitops.data.dataset import GaitDataset
from gaitops.tasks import TASKS

CATEGORICAL = ("subject", "condition", "cycle", "side", "joint", "plane")


def _row_ids(n: int) -> list[str]:
    return [f"row {i}" for i in range(n)]


def _one_hot(table: pd.DataFrame, columns: list[str]) -> tuple[list[np.ndarray], list[str]]:
    blocks, names = [], []
    for column in columns:
        values = table[column].astype(str)
        levels = sorted(values.unique())
        if len(levels) < 2:
            continue  # constant in this data set: carries no information
        codes = pd.Categorical(values, categories=levels).codes
        blocks.append(np.eye(len(levels), dtype=np.float32)[codes])
        names += [f"{column}={level}" for level in levels]
    return blocks, names


def encode_angle_regression(table: pd.DataFrame) -> GaitDataset:
    """Inputs: one-hot subject, condition, cycle, side, joint (and plane), time -> angle."""
    blocks, names = _one_hot(table, list(CATEGORICAL))
    x = np.concatenate([*blocks, table[["time"]].to_numpy(np.float32)], axis=1)
    return GaitDataset(
        task=TASKS["angle_regression"],
        x=x,
        y=table["angle"].to_numpy(np.float32).copy(),
        input_names=[*names, "time"],
        classes=None,
        subjects=table["subject"].astype(str).to_numpy(),
        sample_ids=_row_ids(len(table)),
    )


def encode_joint_classification(table: pd.DataFrame) -> GaitDataset:
    """Inputs: the other one-hot attributes, time and angle -> joint class."""
    blocks, names = _one_hot(table, [c for c in CATEGORICAL if c != "joint"])
    x = np.concatenate([*blocks, table[["time", "angle"]].to_numpy(np.float32)], axis=1)
    classes = sorted(table["joint"].unique())
    y = pd.Categorical(table["joint"], categories=classes).codes.astype(np.int64)
    return GaitDataset(
        task=TASKS["joint_classification"],
        x=x,
        y=y,
        input_names=[*names, "time", "angle"],
        classes=classes,
        subjects=table["subject"].astype(str).to_numpy(),
        sample_ids=_row_ids(len(table)),
    )
