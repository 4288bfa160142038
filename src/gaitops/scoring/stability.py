"""Stability across one subject's samples: a person's cycles and sessions (for Parkinson's, the
two medication states) should be explained alike when the model's decision is alike."""

from __future__ import annotations

import numpy as np

from gaitops.explain.ranking import sample_angle_profile
from gaitops.scoring.base import Score, ScoreInputs, ScoreValue, mean_within_group_sd


def within_subject_dispersion(attributions: np.ndarray, subjects: np.ndarray) -> tuple[float, int]:
    """Mean over subjects with two or more samples of the per-angle sd of their normalised
    angle profiles (and how many subjects that is)."""
    return mean_within_group_sd(sample_angle_profile(attributions), subjects)


class SubjectStability(Score):
    name = "subject_stability"
    description = (
        "mean within-subject sd of the normalised angle profile (over a subject's cycles and "
        "sessions); the between-subject sd in details for scale"
    )
    category = "robustness"
    higher_is_better = False
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    scope = "pooled"
    needs_model = False

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        assert given.attributions is not None
        if given.subjects is None:
            raise ValueError("subject_stability needs the subject of every sample")
        value, subjects = within_subject_dispersion(given.attributions, given.subjects)
        between = float(sample_angle_profile(given.attributions).std(axis=0).mean())
        return ScoreValue(value, {"subjects": float(subjects), "overall_sd": between})
