"""Classification metrics per fold, their mean and sd across folds, and curve points for plots."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)

SCALAR_METRICS = ("accuracy", "balanced_accuracy", "macro_precision", "macro_recall", "macro_f1")


def classification_metrics(
    y_true: np.ndarray, y_pred: np.ndarray, n_classes: int
) -> dict[str, Any]:
    labels = list(range(n_classes))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
        "macro_precision": float(precision.mean()),
        "macro_recall": float(recall.mean()),
        "macro_f1": float(
            f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)
        ),
        "per_class": {
            "precision": precision.tolist(),
            "recall": recall.tolist(),
            "f1": f1.tolist(),
            "support": support.tolist(),
        },
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "n": len(y_true),
    }


def one_vs_rest_auc(
    y_true: np.ndarray, probabilities: np.ndarray, classes: list[str]
) -> dict[str, dict[str, float]]:
    """ROC AUC and average precision (PR AUC) per class, where the class is present and absent."""
    out: dict[str, dict[str, float]] = {}
    for k, name in enumerate(classes):
        positive = y_true == k
        if positive.all() or not positive.any():
            continue
        out[name] = {
            "roc_auc": float(roc_auc_score(positive, probabilities[:, k])),
            "pr_auc": float(average_precision_score(positive, probabilities[:, k])),
        }
    return out


MAX_CURVE_POINTS = 500  # per class and curve: what a chart can draw (a curve has one per sample)


def thinned(*columns: np.ndarray, most: int = MAX_CURVE_POINTS) -> tuple[np.ndarray, ...]:
    """At most `most` points of a curve, evenly spaced along it, its first and last kept; a
    shorter curve is returned whole. Without this, a task with a point per row (150,000 rows)
    wrote millions of curve points, which no chart (nor `dvc plots show`) can draw."""
    n = len(columns[0])
    if n <= most:
        return columns
    keep = np.unique(np.linspace(0, n - 1, most).round().astype(int))
    return tuple(column[keep] for column in columns)


def curve_points(
    y_true: np.ndarray, probabilities: np.ndarray, classes: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One-vs-rest ROC (fpr, tpr) and PR (recall, precision) points per class, for DVC plots
    (at most MAX_CURVE_POINTS each)."""
    roc, pr = [], []
    for k, name in enumerate(classes):
        positive = y_true == k
        if positive.all() or not positive.any():
            continue
        fpr, tpr = thinned(*roc_curve(positive, probabilities[:, k])[:2])
        precision, recall = thinned(*precision_recall_curve(positive, probabilities[:, k])[:2])
        roc.append(pd.DataFrame({"class": name, "fpr": fpr, "tpr": tpr}))
        pr.append(pd.DataFrame({"class": name, "recall": recall, "precision": precision}))
    return pd.concat(roc, ignore_index=True), pd.concat(pr, ignore_index=True)


def subject_vote(
    subjects: np.ndarray, y_true: np.ndarray, probabilities: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per subject: its true class and the class of its mean predicted probability."""
    frame = pd.DataFrame(probabilities).assign(subject=subjects, y=y_true)
    grouped = frame.groupby("subject", sort=True)
    if (grouped["y"].nunique() > 1).any():
        raise ValueError("a subject has samples of more than one class: no subject-level label")
    mean_probabilities = grouped[list(range(probabilities.shape[1]))].mean().to_numpy()
    return grouped["y"].first().to_numpy(), mean_probabilities.argmax(axis=1)


def mean_and_sd(
    per_fold: list[dict[str, Any]], keys: tuple[str, ...] = SCALAR_METRICS
) -> dict[str, Any]:
    """Mean and sample sd (ddof=1) of each scalar metric across folds (sd 0 for one fold)."""
    out: dict[str, Any] = {}
    for key in keys:
        values = np.array([fold[key] for fold in per_fold], dtype=float)
        out[key] = {
            "mean": float(values.mean()),
            "sd": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
        }
    return out
