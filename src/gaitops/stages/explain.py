"""Stage explain@METHOD: one explainer on every held-out prediction (each fold's own model).

DVC runs this stage once per method in ``explain.methods`` (``foreach``), so adding a method runs
only its own stage. Outputs go to data/explanations/METHOD/ and records/explain/METHOD.json.
"""

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
from gaitops.explain.folds import explainer_for, fold_context
from gaitops.explain.registry import get_explainer
from gaitops.io import atomic_directory, write_csv, write_json, write_npz
from gaitops.models.registry import get_model
from gaitops.models.store import load_model
from gaitops.paths import Paths
from gaitops.records import publish
from gaitops.report.figures import attribution_heatmaps, feature_importance_bars
from gaitops.stages import MapFn, serial_map
from gaitops.stages.applicability import NOT_APPLICABLE_FILE, not_applicable
from gaitops.stages.validated import held_out, validated_dataset
from gaitops.subsets import evenly_spaced
from gaitops.tasks import Task


def applicability(explainer: type[Explainer], task: Task, model: str) -> str | None:
    """Why `explainer` does not apply to `task` and `model` (None: it applies)."""
    if not explainer.applies_to(task):
        return (
            f"{explainer.name} applies to {sorted(explainer.input_kinds)} inputs and "
            f"{sorted(explainer.objectives)}; {task.name} is {task.input_kind} {task.objective}"
        )
    if explainer.needs_gradients and not get_model(model).differentiable:
        return f"{explainer.name} needs input gradients, which {model} does not give"
    return None


def explain_fold(
    data: GaitDataset,
    fold_and_index: tuple[int, np.ndarray],
    paths: Paths,
    settings: Settings,
    method: str,
) -> dict[str, Any]:
    """One fold's model explained on its held-out samples (toward their true class)."""
    fold, held = fold_and_index
    index = evenly_spaced(held, settings.explain.max_samples_per_fold)
    model, _ = load_model(paths.models_dir / f"fold_{fold}.pt")
    explainer = explainer_for(method, settings)
    targets = torch.from_numpy(data.y[index]) if data.classes is not None else None
    context = fold_context(data, model, held, explainer, settings, fold)
    explanation = explainer.explain(model, torch.from_numpy(data.x[index]), targets, context)
    arrays = {
        "attributions": explanation.attributions,
        "convergence_error": explanation.convergence_error,
        "examples": explanation.examples,
        **{f"detail_{k}": v for k, v in explanation.details.items()},
    }
    return {
        "fold": fold,
        "index": index,
        **{k: v.detach().numpy() for k, v in arrays.items() if v is not None},
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


def _joined(parts: list[dict[str, Any]], key: str) -> np.ndarray | None:
    if key not in parts[0]:
        return None
    return np.concatenate([p[key] for p in parts])


def run(
    settings: Settings, paths: Paths, map_items: MapFn = serial_map, item: str | None = None
) -> dict[str, Any]:
    """Explain every held-out prediction with method `item`; save attributions and summaries."""
    method = item or settings.explain.methods[0]
    explainer = get_explainer(method)
    out_dir = paths.explanations_of(method)
    if (reason := applicability(explainer, task_of(settings), settings.train.model)) is not None:
        with atomic_directory(out_dir) as tmp:
            write_json(tmp / NOT_APPLICABLE_FILE, {"applicable": False, "reason": reason})
        return not_applicable(settings, paths, "explain", reason, method)
    data, source = validated_dataset(settings, paths)
    parts = map_items(
        partial(explain_fold, data, paths=paths, settings=settings, method=method),
        sorted(held_out(data, paths).items()),
    )
    index = np.concatenate([p["index"] for p in parts])
    folds = np.concatenate([np.full(len(p["index"]), p["fold"]) for p in parts])
    labels = data.y[index]
    groups = data.classes if data.classes is not None else ["all samples"]
    arrays = {key: _joined(parts, key) for key in parts[0] if key not in ("fold", "index")}
    attributions = arrays.get("attributions")
    metrics: dict[str, Any] = {
        "method": method,
        "description": explainer.description,
        "protocol": protocol_record(settings.train),
        "source": source,
        "samples_explained": len(index),
        "baseline": settings.explain.baseline,
        "options": explainer_for(method, settings).options,
    }
    with atomic_directory(out_dir) as tmp:
        write_npz(
            tmp / "explanations.npz",
            **{k: v for k, v in arrays.items() if v is not None},
            sample_index=index,
            labels=labels,  # the targets: class indexes, or values for regression
            folds=folds,
            sample_ids=np.array(data.sample_ids)[index],
            subjects=np.asarray(data.subjects)[index],
            channels=np.array(data.input_names),
            classes=np.array(groups),
        )
        if attributions is not None:
            metrics |= _summaries(tmp, data, attributions, labels, groups, method, settings)
    if (errors := arrays.get("convergence_error")) is not None:
        metrics["completeness_error"] = {"mean": float(errors.mean()), "max": float(errors.max())}
    return publish(metrics, paths.item_record("explain", method), None)


def _summaries(
    tmp: Any,
    data: GaitDataset,
    attributions: np.ndarray,
    labels: np.ndarray,
    groups: list[str],
    method: str,
    settings: Settings,
) -> dict[str, Any]:
    """Per-class mean |attribution| (file, table, figure) and the top inputs per class."""
    group_of = labels if data.classes is not None else np.zeros(len(labels), dtype=np.int64)
    by_group = mean_abs_by_class(attributions, group_of, len(groups))
    importance = _importance_table(data, by_group, groups)
    title = (
        f"{method} on {settings.train.model}: mean |attribution| on held-out samples "
        f"({settings.train.protocol})"
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
    return {f"top_{name_column}s": {c: list(g[name_column]) for c, g in top.groupby("class")}}
