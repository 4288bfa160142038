"""Robustness: how consistent a class's explanations are across its samples."""

from __future__ import annotations

import numpy as np

from gaitops.explain.aggregate import l1_normalised
from gaitops.scoring.base import Score, ScoreInputs, ScoreValue, mean_within_group_sd


def within_class_dispersion(attributions: np.ndarray, labels: np.ndarray) -> float:
    """Mean over classes of the mean per-feature sd of L1-normalised |attributions| (lower = steadier)."""
    normalised = l1_normalised(attributions).reshape(len(attributions), -1)
    return mean_within_group_sd(normalised, labels)[0]


class WithinClassDispersion(Score):
    name = "robustness_dispersion"
    description = (
        "mean within-class sd of L1-normalised |attributions|, over every explained sample"
    )
    category = "robustness"
    higher_is_better = False
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification"})
    scope = "pooled"
    needs_model = False

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        return ScoreValue(within_class_dispersion(given.attributions, given.targets))
