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
