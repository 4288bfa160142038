"""Interpretable segments of one input: which elements perturbation methods treat as one feature.

Curves (channels x 101 points): ``angle`` (a whole curve), ``angle_phase`` (a curve within one
of `windows` equal windows of the gait cycle) or ``scalar`` (every point its own feature, as Lan
et al. ran LIME). Rows: every feature its own segment whatever the grouping.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import torch

from gaitops.phases import phase_window_of

Grouping = Literal["angle", "angle_phase", "scalar"]
GROUPINGS: tuple[str, ...] = ("angle", "angle_phase", "scalar")


def segments_for(shape: tuple[int, ...], grouping: Grouping, windows: int = 10) -> torch.Tensor:
    """Segment ids for one input of `shape` ((channels, time) for curves, (features,) for rows)."""
    if len(shape) == 1 or grouping == "scalar":
        return torch.arange(int(np.prod(shape)), dtype=torch.int64).reshape(shape)
    channels, time_points = shape
    if grouping == "angle":
        ids = np.repeat(np.arange(channels)[:, None], time_points, axis=1)
    elif grouping == "angle_phase":
        ids = (
            np.arange(channels)[:, None] * windows + phase_window_of(time_points, windows)[None, :]
        )
    else:
        raise ValueError(f"grouping {grouping!r} is not one of {GROUPINGS}")
    return torch.from_numpy(ids.astype(np.int64))


def segment_values(attributions: torch.Tensor, segments: torch.Tensor) -> torch.Tensor:
    """(batch, n_segments): each segment's summed attribution."""
    flat = attributions.reshape(len(attributions), -1)
    ids = segments.reshape(-1).expand(len(attributions), -1)
    out = torch.zeros(len(attributions), int(segments.max()) + 1, dtype=attributions.dtype)
    return out.scatter_add_(1, ids, flat)


def spread_over_segments(values: torch.Tensor, segments: torch.Tensor) -> torch.Tensor:
    """Inverse of `segment_values`: each segment's value shared evenly by its elements."""
    sizes = torch.bincount(segments.reshape(-1)).to(values.dtype)
    per_element = (values / sizes)[:, segments.reshape(-1)]
    return per_element.reshape(len(values), *segments.shape)
