"""Sparseness: how concentrated an explanation is (Chalasani et al. 2020, Gini index)."""

from __future__ import annotations

import numpy as np

from gaitops.scoring.base import Score, ScoreInputs, ScoreValue


def gini_sparseness(attributions: np.ndarray) -> np.ndarray:
    """Per sample, the Gini index of |attribution| over all inputs: 0 = uniform, 1 = one input."""
    magnitude = np.sort(np.abs(attributions).reshape(len(attributions), -1), axis=1)
    n = magnitude.shape[1]
    totals = magnitude.sum(axis=1)
    ranks = np.arange(1, n + 1)
    weighted = (magnitude * (2 * ranks - n - 1)).sum(axis=1)
    return np.where(totals > 0, weighted / (n * np.where(totals > 0, totals, 1.0)), 0.0)


class Sparseness(Score):
    name = "sparseness"
    description = (
        "mean Gini index of each explanation's |attributions| (1: a single input, 0: uniform)"
    )
    category = "complexity"
    higher_is_better = True
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    scope = "pooled"
    needs_model = False

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        return ScoreValue(float(gini_sparseness(given.attributions).mean()))
