"""Summaries of attributions: mean |attribution| per class, channel and % of gait cycle."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gaitops.tasks import InputKind


def mean_abs_by_class(attributions: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """(classes, channels, time): mean |attribution| over the samples of each class (NaN if none)."""
    out = np.full((n_classes, *attributions.shape[1:]), np.nan, dtype=np.float64)
    for k in range(n_classes):
        members = labels == k
        if members.any():
            out[k] = np.abs(attributions[members]).mean(axis=0)
    return out


def l1_normalised(attributions: np.ndarray) -> np.ndarray:
    """Each sample's |attribution| scaled to sum to 1 (all-zero samples stay zero)."""
    magnitude = np.abs(attributions).reshape(len(attributions), -1)
    totals = magnitude.sum(axis=1, keepdims=True)
    return (magnitude / np.where(totals > 0, totals, 1.0)).reshape(attributions.shape)


def importance_table(
    by_group: np.ndarray, groups: list[str], input_names: list[str], input_kind: InputKind
) -> pd.DataFrame:
    """Mean |attribution| per group and input (curves: averaged over the gait cycle), in a
    `channel` (curves) or `feature` (rows) column."""
    column = "channel" if input_kind == "curves" else "feature"
    return pd.DataFrame(
        [
            {
                "class": group,
                column: name,
                "mean_abs_attribution": float(np.asarray(by_group[k, j]).mean()),
            }
            for k, group in enumerate(groups)
            for j, name in enumerate(input_names)
        ]
    )


def top_inputs(importance: pd.DataFrame, k: int = 3) -> dict[str, dict[str, list[str]]]:
    """The `k` inputs of highest mean |attribution| per group, as the explain record states them
    (``top_channels`` or ``top_features``)."""
    name_column = importance.columns[1]
    top = importance.sort_values("mean_abs_attribution", ascending=False).groupby("class").head(k)
    return {f"top_{name_column}s": {c: list(g[name_column]) for c, g in top.groupby("class")}}
