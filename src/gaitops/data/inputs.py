"""A task's model inputs from the validated canonical table: curves or the paper's tabular rows."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import pandas as pd

from gaitops.data.cycles import build_cycles
from gaitops.data.dataset import GaitDataset
from gaitops.data.encode import encode_angle_regression, encode_joint_classification
from gaitops.tasks import Task


def build_dataset(
    table: pd.DataFrame,
    task: Task,
    label: str = "group",
    channels: list[str] | str = "all",
    inputs: Literal["angles", "shape"] = "angles",
) -> GaitDataset:
    """Curves (label, channels and inputs apply) or one-hot tabular rows, as the task says.

    ``inputs: shape`` removes each curve's own mean over the cycle, so no model can lean on
    offsets (pelvis tilt, foot progression) that differ between labs more than between people.
    """
    if task.input_kind == "curves":
        data = build_cycles(table, label, channels, task)
        if inputs == "shape":
            data = replace(data, x=data.x - data.x.mean(axis=2, keepdims=True))
        return data
    data = (
        encode_angle_regression(table)
        if task.objective == "regression"
        else encode_joint_classification(table)
    )
    if data.task != task:
        raise ValueError(f"no tabular encoding for {task.name}")
    return data
