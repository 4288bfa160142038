"""Rewards: the source paper's 1 / (1 + loss) (at most 1.0), or the headline metric itself,
plus MIM's scaled mutual information, capped at the paper's maximum reward of 1.0."""

from __future__ import annotations

import math
from typing import Literal

RewardKind = Literal["inverse_loss", "metric"]
MAX_REWARD = 1.0  # the paper's maximum reward


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
    """MIM: the base reward plus `weight` x the normalised mutual information, at most 1.0."""
    return min(MAX_REWARD, base + weight * (mutual_information or 0.0))
