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


class Unscaled(Standardise):
    """Passes raw degrees through (for models that scale their own features) while keeping the
    training mean curve and spread that explainers take their baselines from."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    def origin(self) -> torch.Tensor:
        return torch.zeros_like(self.mean_curve)


class GlobalStandardise(Standardise):
    """(x - one mean) / one sd over every channel and point of the training part.

    Keeps each curve's waveform, offset and range relative to the others, which a convolution
    with global pooling needs to tell a small range of motion from a large one (subtracting the
    mean curve and scaling channels apart erased that: gaitops' deep curve models generalised
    near chance on cohorts a linear model separates). The mean curve and per-channel spread are
    still kept for explainers' baselines.
    """

    def __init__(
        self,
        mean_curve: torch.Tensor,
        scale: torch.Tensor,
        centre: torch.Tensor | float = 0.0,
        global_scale: torch.Tensor | float = 1.0,
    ) -> None:
        super().__init__(mean_curve, scale)
        self.register_buffer("centre", torch.as_tensor(centre, dtype=torch.float32).reshape(()))
        self.register_buffer(
            "global_scale",
            torch.as_tensor(global_scale, dtype=torch.float32).reshape(()).clamp_min(1e-6),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.centre) / self.global_scale

    def origin(self) -> torch.Tensor:
        return self.centre.expand_as(self.mean_curve)

    @classmethod
    def fit(cls, x: torch.Tensor) -> GlobalStandardise:
        per_channel = Standardise.fit(x)
        return cls(per_channel.mean_curve, per_channel.scale, x.mean(), x.std())
