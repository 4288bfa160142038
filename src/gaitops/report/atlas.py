"""The attribution atlas: the trusted explainer's mean |attribution| per class."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gaitops.report.figures import attribution_heatmaps, feature_importance_bars
from gaitops.report.names import clinical_name


def atlas_figure(path: Path, by_class: Any, sides: dict[str, str], title: str) -> None:
    """A method's mean |attribution| per class: heatmaps of channels x % of the gait cycle for
    curves, bars per feature otherwise (`by_class`: a method's stored by_class.npz)."""
    classes = list(by_class["classes"])
    channels = [clinical_name(c, sides) for c in by_class["channels"]]
    if by_class["mean_abs"].ndim == 3:
        attribution_heatmaps(path, by_class["mean_abs"], classes, channels, title)
    else:
        feature_importance_bars(path, by_class["mean_abs"], classes, channels, title)
