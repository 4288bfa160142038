"""Feature ablation (Deepak et al. eq. 6-8): the output change when one angle x phase window
(rows: one feature) is set to the baseline, segment by segment (gaitops.explain.ablation)."""

from __future__ import annotations

from gaitops.explain.ablation import SegmentAblation


class FeatureAblation(SegmentAblation):
    """Remove each angle x phase window (rows: each feature) in turn."""

    name = "feature_ablation"
    description = "feature ablation (paper eq. 6-8): output change removing each segment"
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})


EXPLAINER = FeatureAblation
