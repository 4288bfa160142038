"""Plot files in the one shape `dvc plots show` draws with gaitops' templates (.dvc/plots/).

A panels file holds long rows (panel, series, point, x, y, mark): the gaitops_panels template
draws one chart per panel, one coloured series per class, fold or direction, lines or points as
each row says. Which panels a file holds depends on the task (ROC and PR for classification,
predicted against actual for regression), so `dvc.yaml` names one file, never a file a task
does not write. A matrix file (actual, predicted, their orders and a count) is drawn as a heatmap
by the gaitops_matrix template: a confusion matrix, or binned angles for regression.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Literal

import numpy as np
import pandas as pd

PANEL_COLUMNS = ["panel", "series", "point", "x", "y", "mark"]
MATRIX_COLUMNS = ["actual", "predicted", "actual_order", "predicted_order", "count"]
Mark = Literal["line", "point"]


def panel(
    frame: pd.DataFrame,
    title: str,
    x: str,
    y: str,
    series: str | None = None,
    mark: Mark = "line",
    name: str = "all",
) -> pd.DataFrame:
    """The rows of one panel: `x` against `y`, one series per value of column `series` (or one
    series called `name`), in the frame's order."""
    labels = frame[series].astype(str) if series else pd.Series(name, index=frame.index)
    return pd.DataFrame(
        {
            "panel": title,
            "series": labels.to_numpy(),
            "point": frame.groupby(labels.to_numpy(), sort=False).cumcount().to_numpy(),
            "x": frame[x].to_numpy(dtype=float),
            "y": frame[y].to_numpy(dtype=float),
            "mark": mark,
        }
    )


def panels(*parts: pd.DataFrame) -> pd.DataFrame:
    """Panels joined into one file (an empty table with the columns when there are none)."""
    kept = [p for p in parts if not p.empty]
    return pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=PANEL_COLUMNS)


def mean_over_folds(frame: pd.DataFrame, x: str, columns: list[str]) -> pd.DataFrame:
    """The mean of `columns` at each value of `x` across folds (column `fold`)."""
    return frame.groupby(x, sort=True)[columns].mean().reset_index()


def count_matrix(actual: list[str], predicted: list[str], labels: list[str]) -> pd.DataFrame:
    """Counts of (actual, predicted) pairs over `labels` in their given order, zeros included."""
    order = {label: k for k, label in enumerate(labels)}
    counts = pd.crosstab(
        pd.Categorical(actual, categories=labels),
        pd.Categorical(predicted, categories=labels),
        dropna=False,
    )
    rows = [
        {
            "actual": a,
            "predicted": p,
            "actual_order": order[a],
            "predicted_order": order[p],
            "count": int(counts.loc[a, p]),
        }
        for a in labels
        for p in labels
    ]
    return pd.DataFrame(rows, columns=MATRIX_COLUMNS)


def angle_bins(
    actual: np.ndarray, predicted: np.ndarray, bins: int = 8
) -> tuple[list[str], list[str], list[str]]:
    """Equal-width bins over the actual values' range (predictions outside it go to the end
    bins): the bin label of each actual and predicted value, and the labels in order."""
    edges = np.linspace(float(np.min(actual)), float(np.max(actual)), bins + 1)
    labels = [f"{lo:.0f} to {hi:.0f}" for lo, hi in pairwise(edges)]

    def label_of(values: np.ndarray) -> list[str]:
        index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
        return [labels[i] for i in index]

    return label_of(actual), label_of(predicted), labels
