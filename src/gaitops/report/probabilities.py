"""Prediction-probability analysis per class (Deepak et al.): for the held-out samples of each
true class, how much probability the model gives each class, and how sure it is when it is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from gaitops.io import atomic_path, write_csv, write_text
from gaitops.report.tables import markdown_table

PROBABILITY_PREFIX = "p_"


def probability_columns(predictions: pd.DataFrame) -> list[str]:
    """The class-probability columns of a predictions table (none for a regression task)."""
    return [c for c in predictions.columns if c.startswith(PROBABILITY_PREFIX)]


def probability_summary(predictions: pd.DataFrame) -> pd.DataFrame:
    """One row per true class: n, recall, mean and sd of each class's predicted probability,
    and the mean top probability of the samples it got wrong (empty if there are none)."""
    columns = probability_columns(predictions)
    rows = []
    for actual, group in predictions.groupby("actual", sort=True):
        wrong = group[group["predicted"] != actual]
        row: dict[str, object] = {
            "actual": actual,
            "n": len(group),
            "recall": float((group["predicted"] == actual).mean()),
        }
        for column in columns:
            row[f"mean {column}"] = float(group[column].mean())
            row[f"sd {column}"] = float(group[column].std(ddof=1)) if len(group) > 1 else 0.0
        row["confidence when wrong"] = (
            float(wrong[columns].max(axis=1).mean()) if len(wrong) else None
        )
        rows.append(row)
    return pd.DataFrame(rows)


def probability_figure(path: Path, predictions: pd.DataFrame, title: str) -> None:
    """Per true class, a box of each class's predicted probability over its held-out samples."""
    columns = probability_columns(predictions)
    classes = sorted(predictions["actual"].unique())
    figure, axes = plt.subplots(
        1, len(classes), figsize=(3.2 * len(classes), 3.4), sharey=True, squeeze=False
    )
    for axis, actual in zip(axes[0], classes, strict=True):
        group = predictions[predictions["actual"] == actual]
        axis.boxplot(
            [group[c].to_numpy() for c in columns],
            tick_labels=[c.removeprefix(PROBABILITY_PREFIX) for c in columns],
        )
        axis.set_title(f"true: {actual} (n={len(group)})", fontsize=9)
        axis.tick_params(axis="x", labelrotation=30, labelsize=8)
        axis.set_ylim(-0.02, 1.02)
    axes[0][0].set_ylabel("predicted probability")
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=110)
    plt.close(figure)


def write_probability_analysis(
    folder: Path, predictions: pd.DataFrame, title: str
) -> dict[str, Any]:
    """The prediction-probability analysis per true class (classification tasks only):
    probabilities.csv / .md / .png; returns each class's recall and mean true-class probability."""
    if not probability_columns(predictions):
        return {}
    summary = probability_summary(predictions)
    write_csv(folder / "probabilities.csv", summary)
    write_text(folder / "probabilities.md", markdown_table(summary))
    probability_figure(folder / "probabilities.png", predictions, title)
    return {
        str(row["actual"]): {
            "recall": row["recall"],
            "true_class_probability": row[f"mean p_{row['actual']}"],
        }
        for _, row in summary.iterrows()
    }
