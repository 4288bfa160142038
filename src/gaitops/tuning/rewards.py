"""Rewards: the source paper's 1 / (1 + loss) (at most 1.0), or the headline metric itself,
plus MIM's scaled mutual information."""

from __future__ import annotations

import math
from typing import Literal

RewardKind = Literal["inverse_loss", "metric"]
SUCCESS_REWARD = 0.8  # the paper's "success" threshold


def base_reward(kind: RewardKind, validation_loss: float | None, metric: float | None) -> float:
    """inverse_loss: 1 / (1 + validation loss); metric: the headline metric clipped to [0, 1].
    A missing or non-finite figure earns 0."""
    if kind == "inverse_loss":
        if validation_loss is None or not math.isfinite(validation_loss):
            return 0.0
        return 1.0 / (1.0 + max(validation_loss, 0.0))
    if metric is None or not math.isfinite(metric):
        return 0.0
    return min(max(metric, 0.0), 1.0)


def mim_reward(base: float, mutual_information: float | None, weight: float) -> float:
    """MIM: the base reward plus `weight` x the normalised mutual information."""
    return base + weight * (mutual_information or 0.0)
