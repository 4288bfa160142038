"""Min-max feature scaling inside a tabular model, fitted on the training rows only."""

from __future__ import annotations

import torch
from torch import nn


class MinMaxScale(nn.Module):
    """(x - min) / (max - min) per feature; one-hot columns pass unchanged."""

    def __init__(
        self,
        minimum: torch.Tensor,
        span: torch.Tensor,
        mean: torch.Tensor,
        typical_spread: torch.Tensor | None = None,
    ) -> None:
        super().__init__()
        self.register_buffer("minimum", minimum.clone().float())
        self.register_buffer("span", span.clone().float())
        self.register_buffer("mean", mean.clone().float())  # of the training rows, for baselines
        # a typical deviation per feature (the scaling span, unless a pass-through scaler)
        spread = span if typical_spread is None else typical_spread
        self.register_buffer("typical_spread", spread.clone().float())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.minimum) / self.span

    def origin(self) -> torch.Tensor:
        """The raw input this layer maps to zero: the training minimum of each feature."""
        return self.minimum

    def training_mean(self) -> torch.Tensor:
        return self.mean

    def spread(self) -> torch.Tensor:
        return self.typical_spread

    @classmethod
    def fit(cls, x: torch.Tensor) -> MinMaxScale:
        minimum = x.min(dim=0).values
        span = x.max(dim=0).values - minimum
        return cls(minimum, torch.where(span > 0, span, torch.ones_like(span)), x.mean(dim=0))

    @classmethod
    def passthrough(cls, x: torch.Tensor) -> MinMaxScale:
        """Raw rows unchanged (zero minimum, unit span), with the training mean and spread kept
        for explainers' baselines."""
        spread = x.max(dim=0).values - x.min(dim=0).values
        return cls(torch.zeros(x.shape[1]), torch.ones(x.shape[1]), x.mean(dim=0), spread)

    @classmethod
    def identity(cls, features: int) -> MinMaxScale:
        return cls(torch.zeros(features), torch.ones(features), torch.zeros(features))
