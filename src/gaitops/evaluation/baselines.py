"""The chosen model beside its baselines on the same folds: paired differences and a verdict.

Each baseline is trained on exactly the folds the model was, so a fold's difference compares
two models on the same test subjects. The difference to the best baseline (the one with the
best mean headline metric) gets a 95 % t interval over folds; its half-width is also the
smallest difference this comparison could have told from zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from gaitops.tasks import Task

CONFIDENCE = 0.95


def per_fold_metric(report: dict[str, Any], metric: str) -> list[float]:
    """The headline metric of each fold, in fold order, from a fold report."""
    return [float(entry[metric]) for entry in sorted(report["folds"], key=lambda e: e["fold"])]


def paired_difference(model: list[float], baseline: list[float]) -> dict[str, Any]:
    """Mean of (model - baseline) per fold with its 95 % t interval (None with one fold)."""
    differences = np.asarray(model, dtype=float) - np.asarray(baseline, dtype=float)
    mean = float(differences.mean())
    if len(differences) < 2:
        return {"mean": mean, "ci95": None, "half_width": None, "per_fold": differences.tolist()}
    sd = float(differences.std(ddof=1))
    half = float(
        stats.t.ppf(0.5 + CONFIDENCE / 2, len(differences) - 1) * sd / np.sqrt(len(differences))
    )
    return {
        "mean": mean,
        "ci95": [mean - half, mean + half],
        "half_width": half,
        "per_fold": differences.tolist(),
    }


def compare_with_baselines(
    task: Task, model: str, model_folds: list[float], baselines: dict[str, list[float]]
) -> dict[str, Any]:
    """The record of the model beside its baselines, with the verdict a user reads first."""
    metric = task.headline_metric
    sign = 1.0 if task.higher_is_better else -1.0
    means = {name: float(np.mean(values)) for name, values in baselines.items()}
    best = max(means, key=lambda name: sign * means[name])
    difference = paired_difference(model_folds, baselines[best])
    oriented = sign * difference["mean"]  # > 0: the model is better
    interval = difference["ci95"]
    significant = interval is not None and (interval[0] > 0 or interval[1] < 0)
    if oriented > 0:
        verdict = "beats its baselines"
    elif oriented == 0:
        verdict = f"ties its best baseline: {best}"
    else:
        verdict = f"a baseline is better: {best}"
    return {
        "metric": metric,
        "higher_is_better": task.higher_is_better,
        "model": {"name": model, "mean": float(np.mean(model_folds)), "per_fold": model_folds},
        "baselines": {
            name: {"mean": means[name], "sd": _sd(values), "per_fold": values}
            for name, values in baselines.items()
        },
        "best_baseline": best,
        "difference_to_best": {
            **difference,
            "paired_by": "fold (the same test subjects)",
            "significant": significant,
        },
        "detectable": (
            None
            if difference["half_width"] is None
            else f"differences smaller than ±{difference['half_width']:.3f} {metric} could not be "
            f"told from zero with {len(model_folds)} folds"
        ),
        "verdict": verdict,
    }


def _sd(values: list[float]) -> float:
    return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def verdict_line(comparison: dict[str, Any]) -> str:
    """One line for the console and the run summary."""
    difference = comparison["difference_to_best"]
    interval = difference["ci95"]
    spread = "" if interval is None else f", 95 % CI [{interval[0]:+.3f}, {interval[1]:+.3f}]"
    noise = "" if difference["significant"] else "; the folds cannot tell the two apart"
    return (
        f"{comparison['model']['name']} {comparison['verdict']} "
        f"({comparison['metric']} difference to {comparison['best_baseline']} "
        f"{difference['mean']:+.3f}{spread}, paired by fold{noise})"
    )
