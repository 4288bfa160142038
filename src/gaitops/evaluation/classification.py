"""Classification metrics per fold and their mean and sd across folds."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, balanced_accuracy_score, confusion_matrix, f1_score

SCALAR_METRICS = ("accuracy", "balanced_accuracy", "macro_f1")


def classification_metrics(
    y_true: np.ndarray, y_pred: np.ndarray, n_classes: int
) -> dict[str, Any]:
    labels = list(range(n_classes))
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
        "macro_f1": float(
            f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)
        ),
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "n": len(y_true),
    }


def mean_and_sd(
    per_fold: list[dict[str, Any]], keys: tuple[str, ...] = SCALAR_METRICS
) -> dict[str, Any]:
    """Mean and sample sd (ddof=1) of each scalar metric across folds."""
    out: dict[str, Any] = {}
    for key in keys:
        values = np.array([fold[key] for fold in per_fold], dtype=float)
        out[key] = {
            "mean": float(values.mean()),
            "sd": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
        }
    return out
