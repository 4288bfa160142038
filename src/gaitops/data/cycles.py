"""Canonical table -> cycles tensor (sample x channel x 101) with labels and subject ids."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gaitops.data.dataset import GaitDataset
from gaitops.data.schema import JOINTS, PLANES, SIDES, TIME_POINTS, channel_name
from gaitops.errors import DataSourceError
from gaitops.tasks import TASKS, Task

SAMPLE_KEY = ["subject", "session", "cycle"]


def _channel_order(name: str) -> tuple[int, int, int]:
    side, joint, plane = name.split("/")
    return SIDES.index(side), JOINTS.index(joint), PLANES.index(plane)


def available_channels(table: pd.DataFrame) -> list[str]:
    names = {
        channel_name(s, j, p)
        for s, j, p in table[["side", "joint", "plane"]].drop_duplicates().itertuples(index=False)
    }
    return sorted(names, key=_channel_order)


def build_cycles(
    table: pd.DataFrame,
    label: str,
    channels: list[str] | str = "all",
    task: Task = TASKS["group_classification"],
) -> GaitDataset:
    """Pivot the (validated) canonical table into a cycles tensor for curve classifiers."""
    present = available_channels(table)
    chosen = present if channels == "all" else list(channels)
    unknown = [c for c in chosen if c not in present]
    if unknown:
        raise DataSourceError(
            f"train.channels: {unknown} not in the data; available: {', '.join(present)}."
        )
    frame = table.assign(channel=table["side"] + "/" + table["joint"] + "/" + table["plane"])
    frame = frame[frame["channel"].isin(chosen)]
    wide = frame.pivot_table(
        index=SAMPLE_KEY, columns=["channel", "time"], values="angle", aggfunc="first", sort=True
    )
    wide = wide.reindex(columns=pd.MultiIndex.from_product([chosen, range(TIME_POINTS)]))
    incomplete = wide.isna().any(axis=1)
    if incomplete.any():
        first = incomplete[incomplete].index[0]
        raise DataSourceError(
            f"sample {'/'.join(map(str, first))} lacks some of the channels {chosen}: "
            "choose channels every sample has (train.channels) or complete the data."
        )
    labels = frame.groupby(SAMPLE_KEY, sort=True)[label].agg(["first", "nunique"])
    if (labels["nunique"] > 1).any():
        bad = labels[labels["nunique"] > 1].index[0]
        raise DataSourceError(
            f"sample {'/'.join(map(str, bad))} has more than one `{label}` label."
        )
    classes = sorted(labels["first"].unique())
    x = wide.to_numpy(dtype=np.float32).reshape(len(wide), len(chosen), TIME_POINTS)
    index = wide.index.to_frame(index=False)
    return GaitDataset(
        task=task,
        x=np.array(x, copy=True, order="C"),  # writable: torch refuses read-only arrays
        y=labels["first"]
        .map({c: i for i, c in enumerate(classes)})
        .to_numpy(dtype=np.int64)
        .copy(),
        classes=classes,
        input_names=chosen,
        subjects=index["subject"].astype(str).to_numpy(),
        sample_ids=[f"{s}/{e}/{c}" for s, e, c in index.itertuples(index=False)],
    )
