"""Angle rankings from attributions, as Lan et al. (Sci Rep 2026) compute them.

For each class, mean |attribution| over its samples (channels x time); the class maps are added
(each class weighs the same), min-max normalised over the whole map, averaged over the gait
cycle, and min-max normalised again over the angles. Rows (tabular inputs) are treated as
curves of one point, so a feature plays the part of an angle.
"""

from __future__ import annotations

import numpy as np


def as_curves(values: np.ndarray) -> np.ndarray:
    """(samples, channels, time): rows become curves of one time point."""
    return values if values.ndim == 3 else values[:, :, None]


def min_max(values: np.ndarray) -> np.ndarray:
    """Scaled to [0, 1] over all of `values` (all equal: zeros)."""
    span = values.max() - values.min()
    return (values - values.min()) / span if span > 0 else np.zeros_like(values)


def angle_importance(attributions: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
    """Lan's normalised importance per angle (channel), in [0, 1]."""
    magnitude = np.abs(as_curves(attributions)).astype(np.float64)
    groups = np.zeros(len(magnitude), dtype=np.int64) if labels is None else labels
    summed = sum(magnitude[groups == k].mean(axis=0) for k in np.unique(groups))
    return min_max(min_max(np.asarray(summed)).mean(axis=1))


def angle_ranking(attributions: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
    """Channel indexes, most important first (ties: lower index first)."""
    return np.argsort(-angle_importance(attributions, labels), kind="stable")


def sample_angle_profile(attributions: np.ndarray) -> np.ndarray:
    """(samples, channels): each sample's |attribution| min-max normalised over its whole map,
    averaged over the cycle, normalised again over the angles (Lan's steps, per sample)."""
    magnitude = np.abs(as_curves(attributions)).astype(np.float64)
    flat = magnitude.reshape(len(magnitude), -1)
    low, high = flat.min(axis=1), flat.max(axis=1)
    span = np.where(high > low, high - low, 1.0)
    scaled = (magnitude - low[:, None, None]) / span[:, None, None]
    per_angle = scaled.mean(axis=2)
    low, high = per_angle.min(axis=1, keepdims=True), per_angle.max(axis=1, keepdims=True)
    return (per_angle - low) / np.where(high > low, high - low, 1.0)
