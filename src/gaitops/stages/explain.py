"""Stage explain: the configured explainer on every held-out prediction (each fold's own model)."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import torch

from gaitops.config import Settings, task_of
from gaitops.data.dataset import GaitDataset
from gaitops.evaluation.protocol import protocol_record
from gaitops.explain.aggregate import mean_abs_by_class
from gaitops.explain.base import Explainer
from gaitops.explain.baselines import baseline_for
from gaitops.explain.registry import get_explainer
from gaitops.io import atomic_directory, write_csv, write_json, write_npz
from gaitops.models.store import load_model
from gaitops.paths import Paths
from gaitops.report.figures import attribution_heatmaps, feature_importance_bars
from gaitops.stages import MapFn, serial_map
from gaitops.stages.applicability import NOT_APPLICABLE_FILE, not_applicable
from gaitops.stages.validated import held_out, validated_dataset
from gaitops.tasks import Task


def applicability(explainer: type[Explainer], task: Task) -> str | None:
    """Why `explainer` does not apply to `task` (None: it applies and gives attributions)."""
    if not explainer.applies_to(task):
        return (
            f"{explainer.name} applies to {sorted(explainer.input_kinds)} inputs and "
            f"{sorted(explainer.objectives)}; {task.name} is {task.input_kind} {task.objective}"
        )
    if not explainer.gives_attributions:
        return f"{explainer.name} gives no per-feature attributions to summarise"
    return None


def explained_part(index: np.ndarray, limit: int) -> np.ndarray:
    """At most `limit` held-out samples, evenly spaced (all when fewer): deterministic."""
    if len(index) <= limit:
        return index
    return index[np.linspace(0, len(index) - 1, limit).astype(int)]


def explain_fold(
    data: GaitDataset, fold_and_index: tuple[int, np.ndarray], paths: Paths, settings: Settings
) -> dict[str, Any]:
    """Attributions of one fold's model on its held-out samples (toward their true class)."""
    fold, index = fold_and_index
    index = explained_part(index, settings.explain.max_samples_per_fold)
    model, _ = load_model(paths.models_dir / f"fold_{fold}.pt")
    explainer = get_explainer(settings.explain.method)(settings.explain.model_dump())
    targets = torch.from_numpy(data.y[index]) if data.classes is not None else None
    baseline = baseline_for(model, settings.explain.baseline, seed=settings.train.seed + fold)
    explanation = explainer.explain(model, torch.from_numpy(data.x[index]), targets, baseline)
    assert explanation.attributions is not None
    error = explanation.convergence_error
    return {
        "fold": fold,
        "index": index,
        "attributions": explanation.attributions.numpy(),
        "error": None if error is None else error.numpy(),
    }


def _importance_table(data: GaitDataset, by_group: np.ndarray, groups: list[str]) -> pd.DataFrame:
    """Mean |attribution| per group and input (curves: averaged over the gait cycle)."""
    column = "channel" if data.input_kind == "curves" else "feature"
    return pd.DataFrame(
        [
            {
                "class": group,
                column: name,
                "mean_abs_attribution": float(np.asarray(by_group[k, j]).mean()),
            }
            for k, group in enumerate(groups)
            for j, name in enumerate(data.input_names)
        ]
    )


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """Explain every held-out prediction; save attributions, per-class summaries and a figure."""
    task = task_of(settings)
    explainer = get_explainer(settings.explain.method)
    if (reason := applicability(explainer, task)) is not None:
        with atomic_directory(paths.explanations_dir) as tmp:
            write_json(tmp / NOT_APPLICABLE_FILE, {"applicable": False, "reason": reason})
        return not_applicable(settings, paths, "explain", reason)
    data, source = validated_dataset(settings, paths)
    parts = map_items(
        partial(explain_fold, data, paths=paths, settings=settings),
        sorted(held_out(data, paths).items()),
    )
    index = np.concatenate([p["index"] for p in parts])
    attributions = np.concatenate([p["attributions"] for p in parts]).astype(np.float32)
    folds = np.concatenate([np.full(len(p["index"]), p["fold"]) for p in parts])
    labels = data.y[index]
    groups = data.classes if data.classes is not None else ["all samples"]
    group_of = labels if data.classes is not None else np.zeros(len(index), dtype=np.int64)
    by_group = mean_abs_by_class(attributions, group_of, len(groups))
    importance = _importance_table(data, by_group, groups)
    title = (
        f"{explainer.name} on {settings.train.model}: mean |attribution| on held-out samples "
        f"({settings.train.protocol})"
    )
    with atomic_directory(paths.explanations_dir) as tmp:
        write_npz(
            tmp / "attributions.npz",
            attributions=attributions,
            sample_index=index,
            labels=labels,  # the targets: class indexes, or values for regression
            folds=folds,
            sample_ids=np.array(data.sample_ids)[index],
            channels=np.array(data.input_names),
            classes=np.array(groups),
        )
        write_npz(
            tmp / "by_class.npz",
            mean_abs=by_group,
            channels=np.array(data.input_names),
            classes=np.array(groups),
        )
        if data.input_kind == "curves":
            write_csv(tmp / "channel_importance.csv", importance)
            attribution_heatmaps(
                tmp / "attributions_by_class.png", by_group, groups, data.input_names, title
            )
        else:
            write_csv(tmp / "feature_importance.csv", importance)
            feature_importance_bars(
                tmp / "attributions_by_class.png", by_group, groups, data.input_names, title
            )
    name_column = importance.columns[1]
    top = importance.sort_values("mean_abs_attribution", ascending=False).groupby("class").head(3)
    metrics: dict[str, Any] = {
        "method": explainer.name,
        "protocol": protocol_record(settings.train),
        "source": source,
        "samples_explained": len(index),
    }
    if explainer.gives_convergence_error:
        errors = np.concatenate([p["error"] for p in parts])
        metrics["completeness_error"] = {"mean": float(errors.mean()), "max": float(errors.max())}
    metrics[f"top_{name_column}s"] = {c: list(g[name_column]) for c, g in top.groupby("class")}
    metrics["baseline"] = settings.explain.baseline
    write_json(paths.metrics("explain"), metrics)
    return metrics
