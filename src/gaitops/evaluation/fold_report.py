"""Fold results -> the train stage's metrics, plot tables and held-out predictions.

Metrics come per fold, as mean ± sd across folds, and pooled over all held-out predictions
(the figure that means something under leave-one-subject-out, where a test part is one subject).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from gaitops.data.dataset import GaitDataset
from gaitops.metrics.classification import (
    SCALAR_METRICS,
    classification_metrics,
    curve_points,
    mean_and_sd,
    one_vs_rest_auc,
    subject_vote,
)
from gaitops.metrics.regression import SCALAR_METRICS as REGRESSION_METRICS
from gaitops.metrics.regression import regression_metrics
from gaitops.models.training import FoldResult
from gaitops.panels import angle_bins, count_matrix, panel, panels

PLOT_SAMPLE_ROWS = 3000  # rows kept in per-point plot files (tabular tasks have ~10^5 points)


def fold_report(
    data: GaitDataset,
    results: list[FoldResult],
    subject_level: bool = False,
    metric: str = "headline metric",
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """Metrics and plot tables (panels: curves.csv, heatmap: matrix.csv; see gaitops.panels);
    `subject_level` adds a mean-probability vote per subject; `metric` names the validation
    metric the fits recorded per epoch."""
    if not data.task.is_classification:
        return _regression_report(data, results, metric)
    return _classification_report(data, results, subject_level, metric)


def _classification_report(
    data: GaitDataset, results: list[FoldResult], subject_level: bool, metric: str
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    classes = data.classes or []
    per_fold = []
    for result in results:
        y_true = data.y[result.test_index]
        entry = {
            "fold": result.fold,
            **classification_metrics(y_true, result.outputs.argmax(axis=1), len(classes)),
        }
        entry["one_vs_rest"] = one_vs_rest_auc(y_true, result.outputs, classes)
        per_fold.append(entry)
    index = np.concatenate([r.test_index for r in results])
    probabilities = np.concatenate([r.outputs for r in results])
    y_true = data.y[index]
    pooled = classification_metrics(y_true, probabilities.argmax(axis=1), len(classes))
    report: dict[str, Any] = {
        **mean_and_sd(per_fold),
        "pooled": {k: pooled[k] for k in (*SCALAR_METRICS, "per_class", "confusion_matrix", "n")},
        "one_vs_rest": one_vs_rest_auc(y_true, probabilities, classes),
    }
    if subject_level:
        report["subject_level"] = _subject_level(data, results)
    report["folds"] = per_fold
    names = np.array(classes)
    roc, pr = curve_points(y_true, probabilities, classes)
    held_out = "held-out predictions, all folds"
    curves = panels(
        panel(
            roc,
            f"ROC per class, one against the rest ({held_out}): false-positive rate → "
            "true-positive rate",
            "fpr",
            "tpr",
            series="class",
        ),
        panel(
            pr,
            f"Precision-recall per class, one against the rest ({held_out}): recall → precision",
            "recall",
            "precision",
            series="class",
        ),
        epoch_panels(results, metric),
    )
    matrix = count_matrix(
        list(names[y_true]), list(names[probabilities.argmax(axis=1)]), list(classes)
    )
    return report, {"curves": curves, "matrix": matrix}


def _subject_level(data: GaitDataset, results: list[FoldResult]) -> dict[str, Any]:
    """Metrics of a mean-probability vote per subject, where each subject has a single label."""
    labels_per_subject = pd.Series(data.y).groupby(data.subjects).nunique()
    if (labels_per_subject > 1).any():
        return {
            "applicable": False,
            "reason": "the label varies within subjects (a within-subject design)",
        }
    n_classes = len(data.classes or [])
    per_fold, truths, votes = [], [], []
    for result in results:
        truth, vote = subject_vote(
            data.subjects[result.test_index], data.y[result.test_index], result.outputs
        )
        per_fold.append(classification_metrics(truth, vote, n_classes))
        truths.append(truth)
        votes.append(vote)
    pooled = classification_metrics(np.concatenate(truths), np.concatenate(votes), n_classes)
    return {
        "vote": "mean predicted probability over a subject's samples in the test part",
        **mean_and_sd(per_fold, ("accuracy", "balanced_accuracy", "macro_f1")),
        "pooled": {k: pooled[k] for k in ("accuracy", "balanced_accuracy", "macro_f1", "n")},
    }


def _regression_report(
    data: GaitDataset, results: list[FoldResult], metric: str
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    per_fold = [
        {"fold": r.fold, **regression_metrics(data.y[r.test_index], r.outputs)} for r in results
    ]
    actual = np.concatenate([data.y[r.test_index] for r in results])
    predicted = np.concatenate([r.outputs for r in results])
    keep = _plot_rows(len(actual))
    points = pd.DataFrame(
        {
            "actual": actual[keep],
            "predicted": predicted[keep],
            "residual": predicted[keep] - actual[keep],
        }
    )
    report = {
        **mean_and_sd(per_fold, REGRESSION_METRICS),
        "pooled": regression_metrics(actual, predicted),
        "folds": per_fold,
    }
    sample = f"held-out, all folds, {len(points)} of {len(actual)} rows"
    curves = panels(
        panel(
            points,
            f"Predicted against actual ({sample}): actual → predicted",
            "actual",
            "predicted",
            mark="point",
            name="rows",
        ),
        panel(
            points,
            f"Residual against actual ({sample}): actual → predicted − actual",
            "actual",
            "residual",
            mark="point",
            name="rows",
        ),
        epoch_panels(results, metric),
    )
    actual_bins, predicted_bins, labels = angle_bins(actual, predicted)
    return report, {"curves": curves, "matrix": count_matrix(actual_bins, predicted_bins, labels)}


def epoch_panels(results: list[FoldResult], metric: str) -> pd.DataFrame:
    """Per-epoch training loss, validation loss and validation metric, one series per fold."""
    records = pd.DataFrame(
        [
            {**asdict(e), "fold": f"fold {r.fold}", "epoch": e.epoch + 1}
            for r in results
            for e in r.history
        ]
    )
    if records.empty:
        return records
    titles = {
        "train_loss": "Training loss per fold: epoch → loss on the fit subjects",
        "validation_loss": "Validation loss per fold: epoch → loss (the kept epoch has the lowest)",
        "validation_metric": f"Validation {metric} per fold: epoch → {metric}",
    }
    return panels(
        *(
            panel(records.dropna(subset=[column]), title, "epoch", column, series="fold")
            for column, title in titles.items()
            if records[column].notna().any()
        )
    )


def _plot_rows(n: int) -> np.ndarray:
    """A fixed, evenly spaced subset of rows for plot files (all rows when few)."""
    return (
        np.arange(n)
        if n <= PLOT_SAMPLE_ROWS
        else np.linspace(0, n - 1, PLOT_SAMPLE_ROWS).astype(int)
    )


def predictions_frame(data: GaitDataset, results: list[FoldResult]) -> pd.DataFrame:
    """One row per held-out sample (or row): its fold, the truth, the prediction (and probabilities)."""
    frames = []
    for result in results:
        frame = pd.DataFrame(
            {
                "sample": [data.sample_ids[i] for i in result.test_index],
                "subject": data.subjects[result.test_index],
                "fold": result.fold,
            }
        )
        if not data.task.is_classification:
            frame["actual"] = data.y[result.test_index]
            frame["predicted"] = result.outputs
        else:
            names = np.array(data.classes)
            frame["actual"] = names[data.y[result.test_index]]
            frame["predicted"] = names[result.outputs.argmax(axis=1)]
            for k, name in enumerate(data.classes):
                frame[f"p_{name}"] = result.outputs[:, k]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
