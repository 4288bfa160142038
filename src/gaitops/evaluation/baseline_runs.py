"""The task's baselines trained on exactly the folds the chosen model was, then compared."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from gaitops.config import Settings
from gaitops.data.dataset import GaitDataset
from gaitops.data.splits import Fold
from gaitops.evaluation.baselines import compare_with_baselines, per_fold_metric, verdict_line
from gaitops.evaluation.fold_report import fold_report
from gaitops.models.registry import model_options
from gaitops.models.training import FoldResult, train_fold
from gaitops.tasks import Task

log = logging.getLogger("gaitops")


def run_baselines(
    settings: Settings,
    data: GaitDataset,
    folds: list[Fold],
    task: Task,
    model_report: dict[str, Any],
    map_items: Callable[..., list[FoldResult]],
) -> dict[str, Any]:
    """The task's baselines on the same folds, and the model's comparison with them."""
    names = settings.train.baseline_models()
    if not names:
        return {"baselines": {"ran": False, "reason": "train.baselines is off"}}
    metric = task.headline_metric
    per_fold: dict[str, list[float]] = {}
    for name in names:
        fit = partial(
            train_fold,
            data,
            architecture=name,
            settings=model_options(settings, name),
            seed=settings.train.seed,
            task=task,
            of_folds=len(folds),
        )
        report, _ = fold_report(data, map_items(fit, folds, f"baseline {name}"), metric=metric)
        per_fold[name] = per_fold_metric(report, metric)
        log.info(
            "baseline %s: %s %.3f ± %.3f",
            name,
            metric,
            report[metric]["mean"],
            report[metric]["sd"],
        )
    comparison = compare_with_baselines(
        task, settings.train.model, per_fold_metric(model_report, metric), per_fold
    )
    log.info("%s", verdict_line(comparison))
    return {"baselines": {"ran": True, **comparison}}
