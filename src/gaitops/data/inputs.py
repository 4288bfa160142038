"""A task's model inputs from the validated canonical table: curves or the paper's tabular rows."""

from __future__ import annotations

import pandas as pd

from gaitops.data.cycles import build_cycles
from gaitops.data.dataset import GaitDataset
from gaitops.data.encode import encode_angle_regression, encode_joint_classification
from gaitops.tasks import Task


def build_dataset(
    table: pd.DataFrame, task: Task, label: str = "group", channels: list[str] | str = "all"
) -> GaitDataset:
    """Curves (label and channels apply) or one-hot tabular rows, as the task says."""
    if task.input_kind == "curves":
        return build_cycles(table, label, channels)
    if task.objective == "regression":
        return encode_angle_regression(table)
    return encode_joint_classification(table)
