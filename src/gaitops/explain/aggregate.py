"""Summaries of attributions: mean |attribution| per class, channel and % of gait cycle."""

from __future__ import annotations

import numpy as np


def mean_abs_by_class(attributions: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """(classes, channels, time): mean |attribution| over the samples of each class (NaN if none)."""
    out = np.full((n_classes, *attributions.shape[1:]), np.nan, dtype=np.float64)
    for k in range(n_classes):
        members = labels == k
        if members.any():
            out[k] = np.abs(attributions[members]).mean(axis=0)
    return out


def l1_normalised(attributions: np.ndarray) -> np.ndarray:
    """Each sample's |attribution| scaled to sum to 1 (all-zero samples stay zero)."""
    magnitude = np.abs(attributions).reshape(len(attributions), -1)
    totals = magnitude.sum(axis=1, keepdims=True)
    return (magnitude / np.where(totals > 0, totals, 1.0)).reshape(attributions.shape)
