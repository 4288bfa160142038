"""Scoring one method's stored explanations: per fold with that fold's model, or pooled over
every explanation; what the stored explanations offer a score, and the planted ground truth.

The score stage (``gaitops.stages.score``) chooses the scores and writes what they give.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import torch

from gaitops.config import Settings
from gaitops.data.dataset import GaitDataset
from gaitops.data.sources.synthetic import ground_truth
from gaitops.explain.baselines import baseline_for
from gaitops.explain.folds import explainer_for, fold_context, training_part
from gaitops.explain.store import Explanations
from gaitops.models.store import load_model
from gaitops.paths import Paths
from gaitops.scoring.base import ExplainFn, Score, ScoreInputs, ScoreValue
from gaitops.subsets import evenly_spaced


def available_outputs(
    stored: Explanations, gives_attributions: bool, truth: bool
) -> frozenset[str]:
    """What a score may need that this method's stored explanations (and the data) offer."""
    available = set(stored.outputs())
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
        and data.task.is_classification
        and settings.train.label in ("group", "condition")
    )
    if not planted:
        return None
    assert data.classes is not None
    masks = ground_truth(settings.synthetic, settings.train.label, data.classes, data.input_names)
    return masks[data.y]


def _details(stored: Explanations, mine: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[mine] for k, v in stored.details.items()}


def _optional(stored: Explanations, key: str, mine: np.ndarray) -> np.ndarray | None:
    value = getattr(stored, key)
    return None if value is None else value[mine]


def explain_function(
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
    stored: Explanations,
    held: dict[int, np.ndarray],
    scores: list[Score],
    settings: Settings,
    paths: Paths,
    method: str,
) -> dict[str, Any]:
    """Every per-fold score of one fold's explanations, with that fold's model."""
    mine = stored.of_fold(fold)
    index = stored.sample_index[mine]
    model, _ = load_model(paths.fold_model(fold))
    explain = explain_function(data, model, held[fold], settings, method, fold, scores)
    reference = training_part(data, held[fold])
    everything = ScoreInputs(
        inputs=data.x[index],
        targets=data.y[index],
        attributions=_optional(stored, "attributions", mine),
        baseline=baseline_for(model, settings.score.baseline).numpy(),
        model=model,
        seed=settings.score.seed,
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


def pooled_score(
    score: Score, data: GaitDataset, stored: Explanations, truth: np.ndarray | None
) -> ScoreValue:
    index, every = stored.sample_index, np.arange(len(stored.sample_index))
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
