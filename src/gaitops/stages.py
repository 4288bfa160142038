"""One function per pipeline stage: settings + paths in, files out. No Prefect, no DVC here.

Stages that loop over folds take a ``map_folds`` function (default: a plain loop) so an
orchestrator can run each fold as its own task without restating the stage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import torch

from gaitops.config import Settings
from gaitops.data.cycles import CycleSet, build_cycles
from gaitops.data.fetch import data_dir_from_env
from gaitops.data.sources import LoadedSource, SourceInfo, registry
from gaitops.data.splits import Fold, subject_kfold
from gaitops.data.validate import validate_table
from gaitops.errors import DataSourceError, PipelineStateError, ValidationFailed
from gaitops.evaluation.classification import classification_metrics, mean_and_sd
from gaitops.explain import get_explainer
from gaitops.explain.aggregate import mean_abs_by_class
from gaitops.io import atomic_directory, read_json, sha256_of, write_csv, write_json, write_npz
from gaitops.models.store import load_model, save_model
from gaitops.models.training import FoldResult, train_fold
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
        "table": str(paths.canonical_table),
        "table_sha256": sha256_of(paths.canonical_table),
        "source": read_json(paths.source_info),
        "summary": report.summary(),
        **report.as_dict(),
    }
    with atomic_directory(paths.validation_dir) as tmp:
        write_json(tmp / paths.validation_report.name, payload)
        (tmp / "summary.txt").write_text(report.summary() + "\n")
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


def plan_folds(cycles: CycleSet, settings: Settings) -> list[Fold]:
    return subject_kfold(cycles.subjects, cycles.y, settings.train.folds, settings.train.seed)


def _protocol(settings: Settings) -> dict[str, Any]:
    return {
        "name": settings.train.protocol,
        "folds": settings.train.folds,
        "seed": settings.train.seed,
        "description": "stratified k-fold grouped by subject: no subject in both training and test",
    }


def train(settings: Settings, paths: Paths, map_folds: MapFn = serial_map) -> dict[str, Any]:
    """Cross-validate the curve classifier subject-wise; save fold models, metrics and plots."""
    cycles, source = load_cycles(settings, paths)
    folds = plan_folds(cycles, settings)
    results: list[FoldResult] = map_folds(
        partial(train_fold, cycles, settings=settings.train), folds
    )
    per_fold = []
    rows = []
    for result in results:
        y_true = cycles.y[result.test_index]
        y_pred = result.probabilities.argmax(axis=1)
        per_fold.append(
            {
                "fold": result.fold,
                "subjects_on_both_sides": result.subjects_on_both_sides,
                **classification_metrics(y_true, y_pred, len(cycles.classes)),
            }
        )
        for i, sample in enumerate(result.test_index):
            rows.append(
                {
                    "sample": cycles.sample_ids[sample],
                    "subject": cycles.subjects[sample],
                    "fold": result.fold,
                    "actual": cycles.classes[y_true[i]],
                    "predicted": cycles.classes[y_pred[i]],
                    **{
                        f"p_{c}": float(result.probabilities[i, k])
                        for k, c in enumerate(cycles.classes)
                    },
                }
            )
    predictions = pd.DataFrame(rows).sort_values(["fold", "sample"]).reset_index(drop=True)
    metrics = {
        "task": f"{settings.train.label}_classification",
        "model": settings.train.model,
        "protocol": _protocol(settings),
        "source": source,
        "classes": cycles.classes,
        "channels": cycles.channels,
        "samples": len(cycles.y),
        "subjects": len(set(cycles.subjects)),
        **mean_and_sd(per_fold),
        "folds": per_fold,
    }
    with atomic_directory(paths.models_dir) as tmp:
        for result in results:
            save_model(
                tmp / f"fold_{result.fold}.pt",
                result.spec,
                result.state_dict,
                cycles.classes,
                cycles.channels,
            )
        write_csv(tmp / "predictions.csv", predictions)
    write_csv(paths.plots_dir / "train_confusion.csv", predictions[["fold", "actual", "predicted"]])
    write_json(paths.metrics("train"), metrics)
    log.info(
        "balanced accuracy %.3f ± %.3f (%s, %d folds)",
        metrics["balanced_accuracy"]["mean"],
        metrics["balanced_accuracy"]["sd"],
        settings.train.protocol,
        settings.train.folds,
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


def explain(settings: Settings, paths: Paths, map_folds: MapFn = serial_map) -> dict[str, Any]:
    """Explain every held-out prediction; save attributions, per-class summaries and a figure."""
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
            f"{settings.explain.method}: mean |attribution| on held-out samples ({settings.train.protocol})",
        )
    top = (
        channel_importance.sort_values("mean_abs_attribution", ascending=False)
        .groupby("class")
        .head(3)
    )
    metrics = {
        "method": settings.explain.method,
        "protocol": _protocol(settings),
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
        per_fold.append(
            {
                "fold": fold,
                "fidelity": result.fidelity,
                "accuracy": result.accuracy,
                "accuracy_without_top": result.accuracy_without_top,
                "accuracy_without_bottom": result.accuracy_without_bottom,
            }
        )
    metrics = {
        "method": settings.explain.method,
        "protocol": _protocol(settings),
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
