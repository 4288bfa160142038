"""Localisation against known ground truth: does the explanation point at the planted effect?

On the synthetic cohort the generator knows which angles and phases it moved for each class
(gaitops.data.sources.synthetic.ground_truth). Relevance mass accuracy (Arras et al. 2022): the
share of a sample's |attribution| that falls inside its class's mask, averaged over samples.
Details: relevance rank accuracy (the share of the top-|mask| inputs inside the mask) and the
chance level (the mask's share of the inputs).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from gaitops.scoring.base import Need, Score, ScoreInputs, ScoreValue


def relevance_mass(attributions: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per sample, the share of |attribution| inside the mask (0 when all attributions are 0)."""
    magnitude = np.abs(attributions).reshape(len(attributions), -1)
    inside = (magnitude * truth.reshape(len(truth), -1)).sum(axis=1)
    total = magnitude.sum(axis=1)
    return np.where(total > 0, inside / np.where(total > 0, total, 1.0), 0.0)


def relevance_rank(attributions: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per sample, the share of its top-|mask| inputs (by |attribution|) that are in the mask."""
    magnitude = np.abs(attributions).reshape(len(attributions), -1)
    mask = truth.reshape(len(truth), -1) > 0
    sizes = mask.sum(axis=1)
    order = np.argsort(-magnitude, axis=1, kind="stable")
    hits = np.take_along_axis(mask, order, axis=1)
    return np.array(
        [hits[i, :k].mean() if k > 0 else np.nan for i, k in enumerate(sizes)], dtype=np.float64
    )


class Localisation(Score):
    name = "localisation"
    description = "relevance mass inside the planted effect's angles and phases (synthetic data)"
    category = "localisation"
    higher_is_better = True
    input_kinds = frozenset({"curves"})
    objectives = frozenset({"classification"})
    scope = "pooled"
    needs_model = False
    needs: ClassVar[frozenset[Need]] = frozenset({"attributions", "truth"})

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        assert given.attributions is not None and given.truth is not None
        return ScoreValue(
            float(relevance_mass(given.attributions, given.truth).mean()),
            {
                "rank_accuracy": float(np.nanmean(relevance_rank(given.attributions, given.truth))),
                "chance": float(given.truth.mean()),
            },
        )
