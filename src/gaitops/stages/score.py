"""Stage score: every registered score that applies to the task, on the stored explanations."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from gaitops.config import Settings, task_of
from gaitops.evaluation.classification import mean_and_sd
from gaitops.evaluation.protocol import protocol_record
from gaitops.explain.baselines import baseline_for
from gaitops.io import write_json
from gaitops.models.store import load_model
from gaitops.paths import Paths
from gaitops.scoring.base import Score, ScoreInputs
from gaitops.scoring.registry import SCORES
from gaitops.stages import MapFn, serial_map
from gaitops.stages.applicability import explanations_missing_reason, not_applicable
from gaitops.stages.validated import validated_dataset

log = logging.getLogger("gaitops")


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """Pooled scores over all explanations; per-fold scores with each fold's model (mean ± sd)."""
    task = task_of(settings)
    if (reason := explanations_missing_reason(paths)) is not None:
        return not_applicable(settings, paths, "score", reason)
    scores: list[Score] = [cls() for cls in SCORES.values() if cls.applies_to(task)]
    if not scores:
        reason = f"no registered score applies to {task.input_kind} {task.objective}"
        return not_applicable(settings, paths, "score", reason)
    data, source = validated_dataset(settings, paths)
    stored = np.load(paths.explanations_dir / "attributions.npz")
    attributions, index, folds = stored["attributions"], stored["sample_index"], stored["folds"]
    options = settings.score.model_dump()
    metrics: dict[str, Any] = {
        "method": settings.explain.method,
        "protocol": protocol_record(settings.train),
        "source": source,
    }
    for score in (s for s in scores if s.scope == "pooled"):
        given = ScoreInputs(data.x[index], data.y[index], attributions, np.empty(0), options=options)
        metrics[score.name] = score.evaluate(given).value
    fold_scores = [s for s in scores if s.scope == "fold"]
    per_fold = []
    for fold in sorted(set(folds.tolist())) if fold_scores else []:
        mine = folds == fold
        model, _ = load_model(paths.models_dir / f"fold_{fold}.pt")
        given = ScoreInputs(
            inputs=data.x[index[mine]],
            targets=data.y[index[mine]],
            attributions=attributions[mine],
            baseline=baseline_for(model, settings.score.baseline).numpy(),
            model=model,
            options=options,
        )
        entry: dict[str, Any] = {"fold": fold}
        for score in fold_scores:
            value = score.evaluate(given)
            entry |= {score.name: value.value, **value.details}
        per_fold.append(entry)
    if fold_scores:
        metrics |= mean_and_sd(per_fold, tuple(s.name for s in fold_scores))
        metrics["folds"] = per_fold
    metrics["directions"] = {s.name: s.direction() for s in scores}
    metrics["categories"] = {s.name: s.category for s in scores}
    write_json(paths.metrics("score"), metrics)
    log.info(
        "scores of %s: %s",
        settings.explain.method,
        ", ".join(f"{s.name} ({s.direction()})" for s in scores),
    )
    return metrics
