"""Lan et al.'s fidelity and robustness (Sci Rep 2026), computed rather than by hand.

Fidelity: with the fold's angle ranking (gaitops.explain.ranking), accuracy when the bottom half
of the angles is zeroed (the top half kept) minus accuracy when the top half is zeroed; angles
are zeroed in the raw input (0 degrees), without retraining. Robustness: the mean intra-class
sd of each sample's normalised angle profile; the published code leaves its exact axes open, so
gaitops takes the sd over a class's samples per angle, averaged over angles and classes.
"""

from __future__ import annotations

import numpy as np
import torch

from gaitops.explain.ranking import angle_ranking, as_curves, sample_angle_profile
from gaitops.scoring.base import (
    Score,
    ScoreInputs,
    ScoreValue,
    mean_within_group_sd,
    model_accuracy,
)


def _zeroed(inputs: np.ndarray, channels: np.ndarray) -> np.ndarray:
    out = as_curves(inputs).copy()
    out[:, channels, :] = 0.0
    return out.reshape(inputs.shape)


def ranking_fidelity(
    model: torch.nn.Module, inputs: np.ndarray, targets: np.ndarray, ranking: np.ndarray
) -> dict[str, float]:
    """Lan's fidelity of an angle ranking (most important first) and the accuracies behind it."""
    half = len(ranking) // 2
    top, bottom = ranking[:half], ranking[half:]
    accuracy = model_accuracy(model, inputs, targets)
    top_kept = model_accuracy(model, _zeroed(inputs, bottom), targets)
    bottom_kept = model_accuracy(model, _zeroed(inputs, top), targets)
    return {
        "fidelity": top_kept - bottom_kept,
        "accuracy": accuracy,
        "delta_accuracy_top": top_kept - accuracy,
        "delta_accuracy_bottom": bottom_kept - accuracy,
    }


class LanFidelity(Score):
    name = "lan_fidelity"
    description = (
        "Lan et al.: accuracy keeping the top-ranked half of the angles minus accuracy keeping "
        "the bottom half (the other half zeroed in the raw input, no retraining)"
    )
    category = "faithfulness"
    higher_is_better = True
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification"})

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        assert given.model is not None and given.attributions is not None
        ranking = angle_ranking(given.attributions, given.targets)
        found = ranking_fidelity(given.model, given.inputs, given.targets, ranking)
        return ScoreValue(found.pop("fidelity"), found)


class LanRobustness(Score):
    name = "lan_robustness"
    description = "Lan et al.: mean intra-class sd of each sample's normalised angle profile"
    category = "robustness"
    higher_is_better = False
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification"})
    scope = "pooled"
    needs_model = False

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        assert given.attributions is not None
        value, _ = mean_within_group_sd(sample_angle_profile(given.attributions), given.targets)
        return ScoreValue(value)
