"""Stage explain@METHOD: one explainer on every held-out prediction (each fold's own model).

DVC runs this stage once per method in ``explain.methods`` (``foreach``), so adding a method runs
only its own stage. Outputs go to data/explanations/METHOD/ (gaitops.explain.store) and
records/explain/METHOD.json.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from gaitops.config import Settings, task_of
from gaitops.data.dataset import GaitDataset
from gaitops.evaluation.protocol import protocol_record
from gaitops.explain.aggregate import importance_table, mean_abs_by_class, top_inputs
from gaitops.explain.folds import explain_held_out, explainer_for
from gaitops.explain.registry import applicability, get_explainer
from gaitops.explain.store import ClassMeans, Explanations
from gaitops.io import atomic_directory, write_csv, write_json
from gaitops.models.store import load_model
from gaitops.paths import Paths
from gaitops.records import publish
from gaitops.report.figures import attribution_heatmaps, feature_importance_bars
from gaitops.stages import MapFn, serial_map
from gaitops.stages.applicability import NOT_APPLICABLE_FILE, not_applicable
from gaitops.stages.validated import held_out, validated_dataset


def explain_fold(
    data: GaitDataset,
    fold_and_held: tuple[int, np.ndarray],
    paths: Paths,
    settings: Settings,
    method: str,
) -> dict[str, Any]:
    """One fold's model explained on its held-out samples (a task of the stage's map)."""
    fold, held = fold_and_held
    model, _ = load_model(paths.fold_model(fold))
    return {"fold": fold, **explain_held_out(data, model, fold, held, settings, method)}


def _joined(parts: list[dict[str, Any]], key: str) -> np.ndarray | None:
    return np.concatenate([p[key] for p in parts]) if key in parts[0] else None


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
    details = [k for k in parts[0] if k.startswith("detail_")]
    explanations = Explanations(
        sample_index=index,
        labels=data.y[index],
        folds=np.concatenate([np.full(len(p["index"]), p["fold"]) for p in parts]),
        sample_ids=np.array(data.sample_ids)[index],
        subjects=np.asarray(data.subjects)[index].astype(str),  # not pickled objects
        channels=np.array(data.input_names),
        classes=np.array(
            data.classes if data.task.is_classification and data.classes else ["all samples"]
        ),
        attributions=_joined(parts, "attributions"),
        convergence_error=_joined(parts, "convergence_error"),
        examples=_joined(parts, "examples"),
        details={k.removeprefix("detail_"): np.concatenate([p[k] for p in parts]) for k in details},
    )
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
        explanations.write(tmp)
        if explanations.attributions is not None:
            metrics |= _summaries(tmp, data, explanations, method, settings)
    if (errors := explanations.convergence_error) is not None:
        metrics["completeness_error"] = {"mean": float(errors.mean()), "max": float(errors.max())}
    return publish(metrics, paths.item_record("explain", method), None)


def _summaries(
    tmp: Path, data: GaitDataset, explanations: Explanations, method: str, settings: Settings
) -> dict[str, Any]:
    """Per-class mean |attribution| (file, table, figure) and the top inputs per class."""
    assert explanations.attributions is not None
    groups = [str(c) for c in explanations.classes]
    labels = explanations.labels
    group_of = labels if data.task.is_classification else np.zeros(len(labels), dtype=np.int64)
    by_group = mean_abs_by_class(explanations.attributions, group_of, len(groups))
    importance = importance_table(by_group, groups, data.input_names, data.input_kind)
    ClassMeans(by_group, explanations.channels, explanations.classes).write(tmp)
    title = (
        f"{method} on {settings.train.model}: mean |attribution| on held-out samples "
        f"({settings.train.protocol})"
    )
    curves = data.input_kind == "curves"
    write_csv(tmp / ("channel_importance.csv" if curves else "feature_importance.csv"), importance)
    draw = attribution_heatmaps if curves else feature_importance_bars
    draw(tmp / "attributions_by_class.png", by_group, groups, data.input_names, title)
    return top_inputs(importance)
