"""One function per pipeline stage: settings + paths in, files out. No Prefect, no DVC here.

Stages that loop over folds take a ``map_folds`` function (default: a plain loop) so an
orchestrator can run each fold as its own task without restating the stage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import torch

from gaitops.config import Settings, model_settings
from gaitops.data.cycles import CycleSet, build_cycles
from gaitops.data.encode import encode_angle_regression, encode_joint_classification
from gaitops.data.fetch import data_dir_from_env
from gaitops.data.sources import LoadedSource, SourceInfo, registry
from gaitops.data.splits import DESCRIPTIONS, LEAKS_SUBJECTS, Fold, make_folds
from gaitops.data.validate import validate_table
from gaitops.errors import DataSourceError, PipelineStateError, ValidationFailed
from gaitops.evaluation.classification import mean_and_sd
from gaitops.evaluation.fold_report import fold_report, predictions_frame
from gaitops.explain import get_explainer
from gaitops.explain.aggregate import mean_abs_by_class
from gaitops.io import atomic_directory, read_json, sha256_of, write_csv, write_json, write_npz
from gaitops.models.store import load_model, save_model
from gaitops.models.training import FoldResult, TrainingData, train_fold
from gaitops.paths import Paths
from gaitops.report.figures import attribution_heatmaps
from gaitops.scoring.fidelity import channel_fidelity
from gaitops.scoring.registry import SCORES
from gaitops.scoring.robustness import within_class_dispersion

log = logging.getLogger("gaitops")
T = TypeVar("T")
R = TypeVar("R")
MapFn = Callable[[Callable[[T], R], list[T]], list[R]]


def serial_map(function: Callable[[T], R], items: list[T]) -> list[R]:
    return [function(item) for item in items]


# ---------------------------------------------------------------- ingest


def load_source(settings: Settings, data_dir: Path | None = None) -> LoadedSource:
    """The configured source, or the configured fallback (with the reason recorded)."""
    sources = registry()
    data_dir = data_dir or data_dir_from_env()
    try:
        return sources[settings.data.source](settings, data_dir)
    except DataSourceError as exc:
        if settings.data.fallback is None or settings.data.fallback == settings.data.source:
            raise
        reason = f"{settings.data.source} unavailable: {exc}"
        log.warning("DATA SOURCE FALLBACK: %s -> running on %s", reason, settings.data.fallback)
        loaded = sources[settings.data.fallback](settings, data_dir)
        info = loaded.info
        fallback = SourceInfo(info.name, info.files, info.description, fallback_reason=reason)
        return LoadedSource(loaded.table, fallback)


def ingest(settings: Settings, paths: Paths, data_dir: Path | None = None) -> SourceInfo:
    """Write the canonical table and its provenance (one directory, replaced whole)."""
    loaded = load_source(settings, data_dir)
    with atomic_directory(paths.canonical_dir) as tmp:
        loaded.table.to_parquet(tmp / paths.canonical_table.name, index=False)
        write_json(
            tmp / paths.source_info.name, {**loaded.info.as_dict(), "rows": len(loaded.table)}
        )
    log.info(
        "ingested %d rows from %s into %s",
        len(loaded.table),
        loaded.info.name,
        paths.canonical_table,
    )
    return loaded.info


# ---------------------------------------------------------------- validate


def validate(settings: Settings, paths: Paths) -> dict[str, Any]:
    """Run the Great Expectations gate; save its report; raise ValidationFailed on failure."""
    if not paths.canonical_table.exists():
        raise PipelineStateError(f"{paths.canonical_table}: missing. Run the ingest stage first.")
    table = pd.read_parquet(paths.canonical_table)
    report = validate_table(table, settings.validate_)
    payload = {
        "table": str(paths.canonical_table.relative_to(paths.root)),
        "table_sha256": sha256_of(paths.canonical_table),
        "source": read_json(paths.source_info),
        "summary": report.summary(),
        "success": report.success,
        "checks": report.as_dict()["checks"],
    }
    write_json(paths.validation_raw, report.raw_results)
    write_json(paths.validation_report, payload)  # deterministic: what the train stage depends on
    if not report.success:
        raise ValidationFailed(
            f"{paths.canonical_table} failed validation; nothing downstream was run.\n"
            f"{report.summary()}\nFull result: {paths.validation_report}"
        )
    log.info(report.summary())
    return payload


def validated_table(paths: Paths) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The canonical table, only if the saved validation report passed for these exact bytes."""
    if not paths.validation_report.exists():
        raise PipelineStateError(
            f"{paths.validation_report}: missing. Run the validate stage first."
        )
    report = read_json(paths.validation_report)
    if not report["success"]:
        raise PipelineStateError(f"{paths.canonical_table} failed validation: {report['summary']}")
    if report["table_sha256"] != sha256_of(paths.canonical_table):
        raise PipelineStateError(
            f"{paths.canonical_table} changed since it was validated. Run the validate stage again."
        )
    return pd.read_parquet(paths.canonical_table), report["source"]


def load_cycles(settings: Settings, paths: Paths) -> tuple[CycleSet, dict[str, Any]]:
    table, source = validated_table(paths)
    return build_cycles(table, settings.train.label, settings.train.channels), source


# ---------------------------------------------------------------- train


def training_data(
    settings: Settings, table: pd.DataFrame
) -> tuple[TrainingData, list[str], list[str]]:
    """The task's model inputs, the names of its inputs, and an id per sample (or row)."""
    task = settings.train.task
    if task == "group_classification":
        cycles = build_cycles(table, settings.train.label, settings.train.channels)
        data = TrainingData(cycles.x, cycles.y, cycles.subjects, cycles.classes)
        return data, cycles.channels, cycles.sample_ids
    encoded = (
        encode_angle_regression(table)
        if task == "angle_regression"
        else encode_joint_classification(table)
    )
    data = TrainingData(encoded.x, encoded.y, encoded.subjects, encoded.classes)
    return data, encoded.feature_names, [f"row {i}" for i in range(len(encoded.y))]


def plan_folds(data: TrainingData, settings: Settings) -> list[Fold]:
    train = settings.train
    return make_folds(
        train.protocol,
        data.subjects,
        data.y if data.classes else None,
        train.folds,
        train.seed,
        train.paper_test_fraction,
        train.paper_seed,
    )


def protocol_record(settings: Settings, folds: list[FoldResult] | None = None) -> dict[str, Any]:
    """The split protocol as every metrics file states it."""
    train = settings.train
    record: dict[str, Any] = {
        "name": train.protocol,
        "description": DESCRIPTIONS[train.protocol],
        "leaks_subjects": LEAKS_SUBJECTS[train.protocol],
    }
    if train.protocol == "subject_kfold":
        record.update(folds=train.folds, seed=train.seed)
    if train.protocol == "paper":
        record.update(test_fraction=train.paper_test_fraction, seed=train.paper_seed)
    if folds is not None:
        record["subjects_on_both_sides"] = [f.subjects_on_both_sides for f in folds]
        record["model_selection"] = {
            "validation_fraction": train.validation_fraction,
            "kept": (
                "weights of the epoch with the lowest loss on validation subjects held out of the training part"
                if train.validation_fraction > 0
                else "weights of the last epoch (train.validation_fraction is 0)"
            ),
            "best_epoch_per_fold": [f.best_epoch for f in folds],
        }
    return record


def train(settings: Settings, paths: Paths, map_folds: MapFn = serial_map) -> dict[str, Any]:
    """Cross-validate the configured task and model; save fold models, metrics and plots."""
    table, source = validated_table(paths)
    data, inputs, sample_ids = training_data(settings, table)
    folds = plan_folds(data, settings)
    architecture = settings.train.model
    fit = partial(
        train_fold,
        data,
        architecture=architecture,
        settings=model_settings(settings),
        seed=settings.train.seed,
        validation_fraction=settings.train.validation_fraction,
    )
    results: list[FoldResult] = map_folds(fit, folds)
    report, plots = fold_report(
        data, results, subject_level=settings.train.task == "group_classification"
    )
    metrics = {
        "task": settings.train.task,
        "model": architecture,
        "protocol": protocol_record(settings, results),
        "source": source,
        "classes": data.classes,
        "inputs": inputs if len(inputs) <= 64 else f"{len(inputs)} features",
        "n_inputs": len(inputs),
        "samples": len(data.y),
        "subjects": len(set(data.subjects)),
        **report,
    }
    predictions = predictions_frame(data, results, sample_ids)
    with atomic_directory(paths.models_dir) as tmp:
        for result in results:
            save_model(
                tmp / f"fold_{result.fold}.pt", result.spec, result.state_dict, data.classes, inputs
            )
        write_csv(tmp / "predictions.csv", predictions)
    with atomic_directory(paths.train_plots_dir) as tmp:
        for name, frame in plots.items():
            write_csv(tmp / f"{name}.csv", frame)
    write_json(paths.metrics("train"), metrics)
    headline = "r2" if data.classes is None else "balanced_accuracy"
    log.info(
        "%s %s: %s %.3f ± %.3f (%s)",
        settings.train.task,
        architecture,
        headline,
        metrics[headline]["mean"],
        metrics[headline]["sd"],
        settings.train.protocol,
    )
    return metrics


def _held_out(cycles: CycleSet, paths: Paths) -> dict[int, np.ndarray]:
    """Fold number -> indexes (into `cycles`) of the samples that fold's model never saw."""
    predictions = pd.read_csv(paths.models_dir / "predictions.csv")
    position = {sample: i for i, sample in enumerate(cycles.sample_ids)}
    missing = set(predictions["sample"]) - set(position)
    if missing:
        raise PipelineStateError(
            f"{paths.models_dir}: models were trained on other samples (e.g. {sorted(missing)[:3]}). "
            "Run the train stage again."
        )
    return {
        int(fold): np.array([position[s] for s in group["sample"]])
        for fold, group in predictions.groupby("fold", sort=True)
    }


# ---------------------------------------------------------------- explain


def explain_fold(
    cycles: CycleSet, fold_and_index: tuple[int, np.ndarray], paths: Paths, settings: Settings
) -> dict[str, Any]:
    """Attributions of one fold's model on its held-out samples, toward their true class."""
    fold, index = fold_and_index
    model, _ = load_model(paths.models_dir / f"fold_{fold}.pt")
    explainer = get_explainer(settings.explain.method)
    inputs = torch.from_numpy(cycles.x[index])
    baseline = model[0].mean_curve.unsqueeze(0)  # the training fold's mean curve
    attributions, error = explainer.attribute(
        model, inputs, baseline, torch.from_numpy(cycles.y[index]), settings.explain.model_dump()
    )
    return {
        "fold": fold,
        "index": index,
        "attributions": attributions.numpy(),
        "error": error.numpy(),
    }


def _not_explained(settings: Settings, paths: Paths, stage: str) -> dict[str, Any] | None:
    """For tasks the explainers do not cover yet: record why, instead of failing or faking."""
    if settings.train.task == "group_classification":
        return None
    metrics = {
        "applicable": False,
        "task": settings.train.task,
        "reason": f"the {stage} stage covers curve classifiers (train.task: group_classification)",
        "protocol": protocol_record(settings),
        "source": read_json(paths.source_info),
    }
    if stage == "explain":
        with atomic_directory(paths.explanations_dir) as tmp:
            write_json(tmp / "not_applicable.json", metrics)
    write_json(paths.metrics(stage), metrics)
    log.info("%s: %s", stage, metrics["reason"])
    return metrics


def explain(settings: Settings, paths: Paths, map_folds: MapFn = serial_map) -> dict[str, Any]:
    """Explain every held-out prediction; save attributions, per-class summaries and a figure."""
    if (skipped := _not_explained(settings, paths, "explain")) is not None:
        return skipped
    cycles, source = load_cycles(settings, paths)
    held_out = _held_out(cycles, paths)
    parts = map_folds(
        partial(explain_fold, cycles, paths=paths, settings=settings), sorted(held_out.items())
    )
    index = np.concatenate([p["index"] for p in parts])
    attributions = np.concatenate([p["attributions"] for p in parts]).astype(np.float32)
    errors = np.concatenate([p["error"] for p in parts])
    folds = np.concatenate([np.full(len(p["index"]), p["fold"]) for p in parts])
    labels = cycles.y[index]
    by_class = mean_abs_by_class(attributions, labels, len(cycles.classes))
    channel_importance = pd.DataFrame(
        [
            {"class": c, "channel": ch, "mean_abs_attribution": float(by_class[k, j].mean())}
            for k, c in enumerate(cycles.classes)
            for j, ch in enumerate(cycles.channels)
        ]
    )
    with atomic_directory(paths.explanations_dir) as tmp:
        write_npz(
            tmp / "attributions.npz",
            attributions=attributions,
            sample_index=index,
            labels=labels,
            folds=folds,
            sample_ids=np.array(cycles.sample_ids)[index],
            channels=np.array(cycles.channels),
            classes=np.array(cycles.classes),
        )
        write_npz(
            tmp / "by_class.npz",
            mean_abs=by_class,
            channels=np.array(cycles.channels),
            classes=np.array(cycles.classes),
        )
        write_csv(tmp / "channel_importance.csv", channel_importance)
        attribution_heatmaps(
            tmp / "attributions_by_class.png",
            by_class,
            cycles.classes,
            cycles.channels,
            f"{settings.explain.method} on {settings.train.model}: mean |attribution| on held-out samples "
            f"({settings.train.protocol})",
        )
    top = (
        channel_importance.sort_values("mean_abs_attribution", ascending=False)
        .groupby("class")
        .head(3)
    )
    metrics = {
        "method": settings.explain.method,
        "protocol": protocol_record(settings),
        "source": source,
        "samples_explained": len(index),
        "completeness_error": {"mean": float(errors.mean()), "max": float(errors.max())},
        "top_channels": {c: list(g["channel"]) for c, g in top.groupby("class")},
    }
    write_json(paths.metrics("explain"), metrics)
    return metrics


# ---------------------------------------------------------------- score


def score(settings: Settings, paths: Paths) -> dict[str, Any]:
    """Score the explanations: robustness (dispersion) and channel-removal fidelity, per fold."""
    if (skipped := _not_explained(settings, paths, "score")) is not None:
        return skipped
    cycles, source = load_cycles(settings, paths)
    stored = np.load(paths.explanations_dir / "attributions.npz")
    attributions, index, folds = stored["attributions"], stored["sample_index"], stored["folds"]
    per_fold = []
    for fold in sorted(set(folds.tolist())):
        mine = folds == fold
        model, _ = load_model(paths.models_dir / f"fold_{fold}.pt")
        result = channel_fidelity(
            model,
            cycles.x[index[mine]],
            cycles.y[index[mine]],
            attributions[mine],
            model[0].mean_curve.numpy(),
            settings.score.fidelity_fraction,
        )
        per_fold.append({"fold": fold, "fidelity": result.fidelity, **asdict(result)})
    metrics = {
        "method": settings.explain.method,
        "protocol": protocol_record(settings),
        "source": source,
        "robustness_dispersion": within_class_dispersion(attributions, cycles.y[index]),
        **mean_and_sd(per_fold, ("fidelity",)),
        "folds": per_fold,
        "directions": {
            name: ("higher" if info.higher_is_better else "lower") + " is better"
            for name, info in SCORES.items()
        },
    }
    write_json(paths.metrics("score"), metrics)
    log.info(
        "fidelity %.3f, robustness dispersion %.5f",
        metrics["fidelity"]["mean"],
        metrics["robustness_dispersion"],
    )
    return metrics


STAGES: dict[str, Callable[..., Any]] = {
    "ingest": ingest,
    "validate": validate,
    "train": train,
    "explain": explain,
    "score": score,
}
