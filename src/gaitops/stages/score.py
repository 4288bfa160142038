"""Stage score@METHOD: the configured scores of one explainer's stored explanations.

Each score in ``score.scores`` runs where it applies: to the task (input kind, objective) and to
what the method produced (attributions, counterfactual examples, a re-explainable method).
Per-fold scores use each fold's own model (mean ± sd over folds); pooled scores use every
explanation at once (``gaitops.scoring.evaluate``). Writes metrics/score/METHOD.json and
plots/score/METHOD/SCORE.csv.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

import numpy as np

from gaitops.config import Settings, task_of
from gaitops.evaluation.protocol import protocol_record
from gaitops.explain.folds import explainer_for
from gaitops.explain.store import Explanations
from gaitops.io import atomic_directory, write_csv
from gaitops.metrics.classification import mean_and_sd
from gaitops.models.registry import get_model
from gaitops.paths import Paths
from gaitops.records import publish
from gaitops.scoring.base import Score
from gaitops.scoring.curves import curve_panels, curve_table
from gaitops.scoring.evaluate import (
    available_outputs,
    ground_truth_of,
    pooled_score,
    score_fold,
)
from gaitops.scoring.registry import get_score
from gaitops.stages import MapFn, serial_map
from gaitops.stages.applicability import explanations_missing_reason, not_applicable
from gaitops.stages.validated import held_out, validated_dataset

log = logging.getLogger("gaitops")


def run(
    settings: Settings, paths: Paths, map_items: MapFn = serial_map, item: str | None = None
) -> dict[str, Any]:
    """Score method `item`'s explanations; pooled scores once, per-fold scores per fold."""
    method = item or settings.explain.methods[0]
    task = task_of(settings)
    if (reason := explanations_missing_reason(paths, method)) is not None:
        _write_curves(paths, method, [], [])
        return not_applicable(
            settings, paths, "score", reason, method, paths.item_metrics("score", method)
        )
    explainer = explainer_for(method, settings)
    stored = Explanations.read(paths.explanations_of(method))
    data, source = validated_dataset(settings, paths)
    truth = ground_truth_of(settings, data, source)
    available = available_outputs(stored, explainer.gives_attributions, truth is not None)
    chosen = [get_score(name)(settings.score.options.get(name)) for name in settings.score.scores]
    has_weights = get_model(settings.train.model).differentiable
    scores = [
        s
        for s in chosen
        if s.applies_to(task) and s.can_score(available) and (has_weights or not s.needs_weights)
    ]
    skipped = {
        s.name: (
            f"applies to {sorted(s.input_kinds)} {sorted(s.objectives)}"
            if not s.applies_to(task)
            else f"needs trained weights, which {settings.train.model} does not have"
            if s.needs_weights and not has_weights
            else f"needs {sorted(s.needs - available)}, which {method} does not give"
        )
        for s in chosen
        if s not in scores
    }
    if not scores:
        _write_curves(paths, method, [], [])
        return not_applicable(
            settings,
            paths,
            "score",
            f"no configured score applies: {skipped}",
            method,
            paths.item_metrics("score", method),
        )
    metrics: dict[str, Any] = {
        "method": method,
        "protocol": protocol_record(settings.train),
        "source": source,
    }
    for score in (s for s in scores if s.scope == "pooled"):
        value = pooled_score(score, data, stored, truth)
        metrics[score.name] = value.value if np.isfinite(value.value) else None  # undefined here
        metrics |= {f"{score.name}.{k}": v for k, v in value.details.items()}
    fold_scores = [s for s in scores if s.scope == "fold"]
    parts: list[dict[str, Any]] = []
    if fold_scores:
        held = held_out(data, paths)
        parts = map_items(
            partial(
                score_fold,
                data=data,
                stored=stored,
                held=held,
                scores=fold_scores,
                settings=settings,
                paths=paths,
                method=method,
            ),
            sorted(set(stored.folds.tolist())),
        )
        entries = [p["entry"] for p in parts]
        metrics |= mean_and_sd(entries, tuple(k for k in entries[0] if k != "fold"))
        metrics["folds"] = entries
    _write_curves(paths, method, fold_scores, parts)
    metrics["directions"] = {s.name: s.direction() for s in scores}
    metrics["categories"] = {s.name: s.category for s in scores}
    metrics["not_scored"] = skipped
    publish(
        metrics,
        paths.item_record("score", method),
        paths.item_metrics("score", method),
        tuple(metrics["directions"]),
        mean_only=True,
    )
    log.info("scores of %s: %s", method, ", ".join(s.name for s in scores))
    return metrics


def _write_curves(
    paths: Paths, method: str, fold_scores: list[Score], parts: list[dict[str, Any]]
) -> None:
    """The scores' curves over folds (e.g. deletion), in plots/score/METHOD: always written,
    empty when nothing was scored per fold, because DVC expects the folder of every stage."""
    with atomic_directory(paths.score_plots_of(method)) as tmp:
        for score in fold_scores:
            table = curve_table(parts, score.name)
            if not table.empty:
                write_csv(tmp / f"{score.name}.csv", curve_panels(table, score, method))
