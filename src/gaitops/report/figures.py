"""Figures, rendered off-screen and written atomically."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from gaitops.io import atomic_path


def attribution_heatmaps(
    path: Path, by_class: np.ndarray, classes: list[str], channels: list[str], title: str
) -> None:
    """One heatmap per class: channel (rows) x % of gait cycle (columns), mean |attribution|."""
    figure, axes = plt.subplots(
        1, len(classes), figsize=(4.5 * len(classes), 0.32 * len(channels) + 2), squeeze=False
    )
    for axis, name, grid in zip(axes[0], classes, by_class, strict=True):
        image = axis.imshow(
            grid, aspect="auto", cmap="magma", extent=(0, 100, len(channels) - 0.5, -0.5)
        )
        axis.set_title(name)
        axis.set_xlabel("% of gait cycle")
        axis.set_yticks(range(len(channels)))
        axis.set_yticklabels(channels if axis is axes[0][0] else [], fontsize=7)
        figure.colorbar(image, ax=axis, fraction=0.046, pad=0.02)
    figure.suptitle(title)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=110)
    plt.close(figure)


def feature_importance_bars(
    path: Path,
    by_group: np.ndarray,
    groups: list[str],
    features: list[str],
    title: str,
    top: int = 20,
) -> None:
    """One horizontal bar chart per group: the `top` features by mean |attribution|."""
    figure, axes = plt.subplots(
        1, len(groups), figsize=(5 * len(groups), 0.28 * min(top, len(features)) + 2), squeeze=False
    )
    for axis, name, values in zip(axes[0], groups, by_group, strict=True):
        order = np.argsort(-np.nan_to_num(values), kind="stable")[:top][::-1]
        axis.barh(range(len(order)), values[order], color="#8c2d04")
        axis.set_yticks(range(len(order)))
        axis.set_yticklabels([features[i] for i in order], fontsize=7)
        axis.set_title(name)
        axis.set_xlabel("mean |attribution|")
    figure.suptitle(title)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=110)
    plt.close(figure)
