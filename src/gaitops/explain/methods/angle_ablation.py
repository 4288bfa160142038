"""Angle ablation: feature ablation of whole angle curves, the output change when one curve is
set to the baseline (gaitops.explain.ablation); curves only."""

from __future__ import annotations

from gaitops.explain.ablation import SegmentAblation
from gaitops.explain.base import SegmentOptions
from gaitops.explain.segments import Grouping


class AngleAblationOptions(SegmentOptions):
    """explain.options.angle_ablation."""

    grouping: Grouping = "angle"  # whole curves


class AngleAblation(SegmentAblation):
    """Remove each whole angle curve in turn (curves only)."""

    name = "angle_ablation"
    description = "feature ablation of whole angle curves: output change removing each angle"
    input_kinds = frozenset({"curves"})
    objectives = frozenset({"classification", "regression"})
    options_model = AngleAblationOptions


EXPLAINER = AngleAblation
