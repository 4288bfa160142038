"""The attribution atlas: the trusted explainer's mean |attribution| per class."""

from __future__ import annotations

from pathlib import Path

from gaitops.explain.store import ClassMeans
from gaitops.report.figures import attribution_heatmaps, feature_importance_bars
from gaitops.report.names import clinical_name
from gaitops.tasks import Task


def atlas_figure(
    path: Path, by_class: ClassMeans, sides: dict[str, str], title: str, task: Task
) -> None:
    """A method's mean |attribution| per class: heatmaps of channels x % of the gait cycle for
    curves, bars per feature otherwise (`by_class`: a method's stored class means)."""
    classes = list(by_class.classes)
    channels = [clinical_name(c, sides) for c in by_class.channels]
    draw = attribution_heatmaps if task.input_kind == "curves" else feature_importance_bars
    draw(path, by_class.mean_abs, classes, channels, title)
