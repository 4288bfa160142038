"""Four summary numbers per curve (range, mean, minimum, maximum) and a logistic regression.

The classic clinical-gait baseline: a model that only sees how far and around which angle each
joint moves. Written in torch (min / max pass sub-gradients), so every explainer applies to it;
its weights come from a closed-form fit (``models.closed_form``).
"""

from __future__ import annotations

import torch
from pydantic import Field
from torch import Tensor, nn

from gaitops.settings.models import ClosedFormSettings


class SummaryLogisticSettings(ClosedFormSettings):
    C: float = Field(1.0, gt=0)  # logistic regression's inverse L2 strength


SUMMARIES = ("range", "mean", "min", "max")


def summary_features(x: Tensor) -> Tensor:
    """(samples, channels, time) -> (samples, channels x 4): range, mean, min, max per curve."""
    low, high = x.min(dim=-1).values, x.max(dim=-1).values
    return torch.stack([high - low, x.mean(dim=-1), low, high], dim=-1).flatten(1)


class SummaryLogistic(nn.Module):
    """Summary features, standardised with the fit part's mean and sd, then one linear layer."""

    def __init__(self, inputs: int, outputs: int) -> None:
        super().__init__()
        features = inputs * len(SUMMARIES)
        self.register_buffer("feature_mean", torch.zeros(features))
        self.register_buffer("feature_scale", torch.ones(features))
        self.head = nn.Linear(features, outputs)

    def features(self, x: Tensor) -> Tensor:
        return (summary_features(x) - self.feature_mean) / self.feature_scale

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x))
