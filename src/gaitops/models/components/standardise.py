"""Input standardisation inside the model, so a saved model takes raw degrees."""

from __future__ import annotations

import torch
from torch import nn


class Standardise(nn.Module):
    """(x - mean curve) / per-channel scale. A zero in its output is the training mean curve."""

    def __init__(self, mean_curve: torch.Tensor, scale: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("mean_curve", mean_curve.clone().float())  # (channels, time)
        self.register_buffer("scale", scale.clone().float().clamp_min(1e-6))  # (channels,)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean_curve) / self.scale[:, None]

    def origin(self) -> torch.Tensor:
        """The raw input this layer maps to zero: the training mean curve."""
        return self.mean_curve

    def training_mean(self) -> torch.Tensor:
        return self.mean_curve

    def spread(self) -> torch.Tensor:
        """A typical deviation per input, shaped like one input (degrees)."""
        return self.scale[:, None].expand_as(self.mean_curve)

    @classmethod
    def fit(cls, x: torch.Tensor) -> Standardise:
        """From training samples (samples, channels, time): mean curve and pooled sd per channel."""
        mean_curve = x.mean(dim=0)
        scale = (
            (x - mean_curve)
            .reshape(x.shape[0], x.shape[1], -1)
            .permute(1, 0, 2)
            .reshape(x.shape[1], -1)
            .std(dim=1)
        )
        return cls(mean_curve, scale)
