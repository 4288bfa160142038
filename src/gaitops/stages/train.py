"""Stage train: cross-validate the configured task and model; save fold models, metrics, plots."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

import pandas as pd

from gaitops.config import Settings, task_of
from gaitops.data.drift import profile
from gaitops.evaluation.baseline_runs import run_baselines
from gaitops.evaluation.fold_report import fold_report, predictions_frame
from gaitops.evaluation.protocol import plan_folds, protocol_record
from gaitops.io import atomic_directory, sha256_of, write_csv
from gaitops.models.estimate import estimate_training
from gaitops.models.final import FinalModel, fit_final
from gaitops.models.registry import check_models, model_options
from gaitops.models.store import save_model
from gaitops.models.training import FoldResult, train_fold
from gaitops.paths import PREDICTIONS_FILE, Paths, fold_model_name
from gaitops.records import publish
from gaitops.stages import MapFn, serial_map
from gaitops.stages.validated import validated_dataset
from gaitops.tasks import Task
from gaitops.tuning import tuned

log = logging.getLogger("gaitops")


def headline_keys(task: Task) -> tuple[str, ...]:
    """The metric `dvc metrics show` lists for train (mean and sd over folds): the task's
    headline metric; every other figure stays in the record."""
    return (task.headline_metric,)


def final_model_about(
    settings: Settings,
    paths: Paths,
    metrics: dict[str, Any],
    final: FinalModel,
    hyperparameters: dict[str, Any],
) -> dict[str, Any]:
    """What a user of the final model needs beside its weights: the task, how the inputs were
    made (source, conventions, curve inputs), the data and params it came from, and the
    cross-validated figure it was judged by."""
    metric = task_of(settings).headline_metric
    return {
        "task": metrics["task"],
        "model": metrics["model"],
        "label": settings.train.label,
        "channels": settings.train.channels,
        "curve_inputs": settings.train.inputs,
        "source": metrics["source"],
        "data_sha256": sha256_of(paths.canonical_table),
        "samples": metrics["samples"],
        "subjects": metrics["subjects"],
        "train": settings.train.model_dump(mode="json"),
        "hyperparameters": hyperparameters,
        "epochs": final.epochs,
        "epochs_from": final.epochs_from,
        "training_profile": profile(
            pd.read_parquet(paths.canonical_table)
        ),  # drift is measured against it
        "cross_validated": {
            "metric": metric,
            "mean": metrics[metric]["mean"],
            "sd": metrics[metric]["sd"],
            "protocol": settings.train.protocol,
            "folds": len(metrics["folds"]),
        },
    }


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """One model per fold, held-out predictions, metrics and plot tables; then the model to
    use, fitted on every subject (data/models/final.pt)."""
    check_models(settings)
    task = task_of(settings)
    data, source = validated_dataset(settings, paths)
    folds = plan_folds(data, settings.train)
    architecture = settings.train.model
    chosen, hyperparameters = tuned.hyperparameters(settings, paths.tuned_parameters, paths.root)
    baselines = [(name, model_options(settings, name)) for name in settings.train.baseline_models()]
    estimate = estimate_training(
        data, folds, (architecture, chosen), baselines, settings.train.seed
    )
    log.info("%s", estimate.line(), extra={"training_estimate_seconds": estimate.seconds})
    fit = partial(
        train_fold,
        data,
        architecture=architecture,
        settings=chosen,
        seed=settings.train.seed,
        validation_fraction=settings.train.selection_fraction(),
        task=task,
        of_folds=len(folds),
    )
    results: list[FoldResult] = map_items(fit, folds)
    report, plots = fold_report(
        data, results, subject_level=task.subject_level_vote, metric=task.headline_metric
    )
    inputs = data.input_names
    metrics = {
        "task": task.name,
        "model": architecture,
        "protocol": protocol_record(settings.train, results),
        "hyperparameters": hyperparameters,
        "source": source,
        "classes": data.classes,
        "inputs": inputs if len(inputs) <= 64 else f"{len(inputs)} features",
        "n_inputs": len(inputs),
        "samples": len(data),
        "subjects": len(set(data.subjects)),
        "curve_inputs": settings.train.inputs,
        **report,
        **run_baselines(settings, data, folds, task, report, map_items),
    }
    final = fit_final(data, architecture, chosen, settings.train.seed, results, task)
    metrics["final_model"] = {
        "path": "data/models/final.pt",
        "fitted_on": f"all {metrics['samples']} samples of {metrics['subjects']} subjects",
        "epochs": final.epochs,
        "epochs_from": final.epochs_from,
    }
    about = final_model_about(settings, paths, metrics, final, hyperparameters)
    with atomic_directory(paths.models_dir) as tmp:
        for result in results:
            save_model(
                tmp / fold_model_name(result.fold),
                result.spec,
                result.state_dict,
                data.classes,
                inputs,
            )
        save_model(tmp / "final.pt", final.spec, final.state_dict, data.classes, inputs, about)
        write_csv(tmp / PREDICTIONS_FILE, predictions_frame(data, results))
    with atomic_directory(paths.train_plots_dir) as tmp:
        for name, frame in plots.items():
            write_csv(tmp / f"{name}.csv", frame)
    publish(metrics, paths.record("train"), paths.metrics("train"), headline_keys(task))
    headline = task.headline_metric
    log.info(
        "%s %s: %s %.3f ± %.3f (%s)",
        task.name,
        architecture,
        headline,
        metrics[headline]["mean"],
        metrics[headline]["sd"],
        settings.train.protocol,
    )
    return metrics
