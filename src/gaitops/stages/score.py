"""Stage score@METHOD: the configured scores of one explainer's stored explanations.

Each score in ``score.scores`` runs where it applies: to the task (input kind, objective) and to
what the method produced (attributions, counterfactual examples, a re-explainable method).
Per-fold scores use each fold's own model (mean ± sd over folds); pooled scores use every
explanation at once. Writes metrics/score/METHOD.json and plots/score/METHOD/SCORE.csv.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import torch

from gaitops.config import Settings, task_of
from gaitops.data.dataset import GaitDataset
from gaitops.data.sources.synthetic import ground_truth
from gaitops.evaluation.classification import mean_and_sd
from gaitops.evaluation.protocol import protocol_record
from gaitops.explain.baselines import baseline_for
from gaitops.explain.folds import explainer_for, fold_context, training_part
from gaitops.explain.subsets import evenly_spaced
from gaitops.io import atomic_directory, write_csv
from gaitops.models.registry import get_model
from gaitops.models.store import load_model
from gaitops.paths import Paths
from gaitops.records import publish
from gaitops.report.panels import mean_over_folds, panel, panels
from gaitops.scoring.base import ExplainFn, Score, ScoreInputs, ScoreValue
from gaitops.scoring.registry import get_score
from gaitops.stages import MapFn, serial_map
from gaitops.stages.applicability import explanations_missing_reason, not_applicable
from gaitops.stages.validated import held_out, validated_dataset

log = logging.getLogger("gaitops")


def available_outputs(stored: Any, gives_attributions: bool, truth: bool) -> frozenset[str]:
    """What a score may need that this method's stored explanations (and the data) offer."""
    available = {name for name in ("attributions", "examples") if name in stored}
    if gives_attributions and "attributions" in available:
        available.add("explain")
    if truth:
        available.add("truth")
    return frozenset(available)


def ground_truth_of(
    settings: Settings, data: GaitDataset, source: dict[str, Any]
) -> np.ndarray | None:
    """(samples, channels, time) 0/1 masks of the planted effect, when the data is synthetic
    and its labels are the generator's (None otherwise: real data has no ground truth)."""
    planted = (
        source["name"] == "synthetic"
        and data.input_kind == "curves"
        and data.classes is not None
        and settings.train.label in ("group", "condition")
    )
    if not planted:
        return None
    assert data.classes is not None
    masks = ground_truth(settings.synthetic, settings.train.label, data.classes, data.input_names)
    return masks[data.y]


def _details(stored: Any, mine: np.ndarray) -> dict[str, np.ndarray]:
    return {
        k.removeprefix("detail_"): stored[k][mine] for k in stored.files if k.startswith("detail_")
    }


def _optional(stored: Any, key: str, mine: np.ndarray) -> np.ndarray | None:
    return stored[key][mine] if key in stored.files else None


def _explain_function(
    data: GaitDataset,
    model: torch.nn.Module,
    held: np.ndarray,
    settings: Settings,
    method: str,
    fold: int,
    scores: list[Score],
) -> ExplainFn | None:
    """The method as a function of (model, inputs, targets), for scores that explain again
    (None when none of `scores` does)."""
    if not any("explain" in score.needs for score in scores):
        return None
    explainer = explainer_for(method, settings)
    context = fold_context(data, model, held, explainer, settings, fold)

    def explain(m: torch.nn.Module, x: torch.Tensor, targets: torch.Tensor | None) -> torch.Tensor:
        attributions = explainer.explain(m, x, targets, context).attributions
        assert attributions is not None
        return attributions.detach()

    return explain


def _subset(given: ScoreInputs, part: np.ndarray, explain: ExplainFn | None) -> ScoreInputs:
    """The same inputs for the samples `part` only, with the explain function."""

    def rows(values: np.ndarray | None) -> np.ndarray | None:
        return None if values is None else values[part]

    return replace(
        given,
        inputs=given.inputs[part],
        targets=given.targets[part],
        attributions=rows(given.attributions),
        subjects=rows(given.subjects),
        examples=rows(given.examples),
        details={k: v[part] for k, v in given.details.items()},
        explain=explain,
    )


def score_fold(
    fold: int,
    data: GaitDataset,
    stored: Any,
    held: dict[int, np.ndarray],
    scores: list[Score],
    settings: Settings,
    paths: Paths,
    method: str,
) -> dict[str, Any]:
    """Every per-fold score of one fold's explanations, with that fold's model."""
    mine = np.flatnonzero(stored["folds"] == fold)
    index = stored["sample_index"][mine]
    model, _ = load_model(paths.models_dir / f"fold_{fold}.pt")
    explain = _explain_function(data, model, held[fold], settings, method, fold, scores)
    reference = training_part(data, held[fold])
    everything = ScoreInputs(
        inputs=data.x[index],
        targets=data.y[index],
        attributions=_optional(stored, "attributions", mine),
        baseline=baseline_for(model, settings.score.baseline).numpy(),
        model=model,
        options=settings.score.model_dump(),
        subjects=np.asarray(data.subjects)[index],
        examples=_optional(stored, "examples", mine),
        details=_details(stored, mine),
        reference_inputs=data.x[reference],
        reference_targets=data.y[reference],
    )
    # scores that explain again use at most score.max_samples_per_fold samples of the fold
    again = evenly_spaced(np.arange(len(mine)), settings.score.max_samples_per_fold)
    fewer = _subset(everything, again, explain)
    entry: dict[str, Any] = {"fold": fold}
    curves: dict[str, dict[str, list[float]]] = {}
    for score in scores:
        given = fewer if "explain" in score.needs else everything
        value = score.evaluate(given)
        entry |= {
            score.name: value.value,
            **{f"{score.name}.{k}": v for k, v in value.details.items()},
        }
        if value.curve:
            curves[score.name] = value.curve
    return {"entry": entry, "curves": curves}


def _pooled(score: Score, data: GaitDataset, stored: Any, truth: np.ndarray | None) -> ScoreValue:
    index, every = stored["sample_index"], np.arange(len(stored["sample_index"]))
    return score.evaluate(
        ScoreInputs(
            inputs=data.x[index],
            targets=data.y[index],
            attributions=_optional(stored, "attributions", every),
            baseline=np.empty(0),
            subjects=np.asarray(data.subjects)[index],
            examples=_optional(stored, "examples", every),
            details=_details(stored, every),
            truth=None if truth is None else truth[index],
        )
    )


def _curve_table(parts: list[dict[str, Any]], name: str) -> pd.DataFrame:
    rows = []
    for part in parts:
        curve = part["curves"].get(name)
        if curve is None:
            continue
        x_name, *series = curve
        for i, x in enumerate(curve[x_name]):
            rows.append(
                {"fold": part["entry"]["fold"], x_name: x, **{s: curve[s][i] for s in series}}
            )
    return pd.DataFrame(rows)


def _curve_panels(table: pd.DataFrame, score: Score, method: str) -> pd.DataFrame:
    """A score's curves, mean over folds: one series per removal order (top, bottom, random…)."""
    x_name, *series = [c for c in table.columns if c != "fold"]
    mean = mean_over_folds(table, x_name, series)
    folds = table["fold"].nunique()
    title = (
        f"{score.name} of {method}, mean of {folds} folds: {x_name.replace('_', ' ')} → "
        f"{score.curve_y}"
    )
    return panels(*(panel(mean, title, x_name, s, name=s) for s in series))


def run(
    settings: Settings, paths: Paths, map_items: MapFn = serial_map, item: str | None = None
) -> dict[str, Any]:
    """Score method `item`'s explanations; pooled scores once, per-fold scores per fold."""
    method = item or settings.explain.methods[0]
    task = task_of(settings)
    if (reason := explanations_missing_reason(paths, method)) is not None:
        return not_applicable(
            settings, paths, "score", reason, method, paths.item_metrics("score", method)
        )
    explainer = explainer_for(method, settings)
    stored = np.load(paths.explanations_of(method) / "explanations.npz")
    data, source = validated_dataset(settings, paths)
    truth = ground_truth_of(settings, data, source)
    available = available_outputs(stored, explainer.gives_attributions, truth is not None)
    chosen = [get_score(name)() for name in settings.score.scores]
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
        return not_applicable(
            settings,
            paths,
            "score",
            f"no configured score applies: {skipped}",
            method,
            paths.item_metrics("score", method),
        )
    data, source = validated_dataset(settings, paths)
    metrics: dict[str, Any] = {
        "method": method,
        "protocol": protocol_record(settings.train),
        "source": source,
    }
    for score in (s for s in scores if s.scope == "pooled"):
        value = _pooled(score, data, stored, truth)
        metrics[score.name] = value.value if np.isfinite(value.value) else None  # undefined here
        metrics |= {f"{score.name}.{k}": v for k, v in value.details.items()}
    fold_scores = [s for s in scores if s.scope == "fold"]
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
            sorted(set(stored["folds"].tolist())),
        )
        entries = [p["entry"] for p in parts]
        metrics |= mean_and_sd(entries, tuple(k for k in entries[0] if k != "fold"))
        metrics["folds"] = entries
        with atomic_directory(paths.score_plots_of(method)) as tmp:
            for score in fold_scores:
                table = _curve_table(parts, score.name)
                if not table.empty:
                    write_csv(tmp / f"{score.name}.csv", _curve_panels(table, score, method))
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
