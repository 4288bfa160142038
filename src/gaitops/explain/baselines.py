"""Reference inputs ("nothing") for attribution and removal, for curves and tabular rows alike.

Every gaitops model starts with its fitted input scaler, which knows the training data:
- ``mean``: the mean input of the model's training part (for curves, the mean curve);
- ``zero``: the raw input the scaler maps to zero, i.e. zero in the model's input space
  (curves: the mean curve again, since standardisation subtracts it; rows: each feature's
  training minimum);
- ``noise``: the mean plus Gaussian noise of one typical deviation per input, seeded.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

BaselineKind = Literal["mean", "zero", "noise"]
BASELINES: tuple[str, ...] = ("mean", "zero", "noise")


def input_scaler(model: nn.Module) -> nn.Module:
    """The fitted scaler at the front of a gaitops model."""
    scaler = model[0] if isinstance(model, nn.Sequential) else None
    if scaler is None or not hasattr(scaler, "origin"):
        raise TypeError("expected a gaitops model: nn.Sequential(input scaler, network)")
    return scaler


def baseline_for(model: nn.Module, kind: BaselineKind, seed: int = 0) -> torch.Tensor:
    """One baseline input, shaped like a single sample (no batch axis)."""
    scaler = input_scaler(model)
    if kind == "mean":
        return scaler.training_mean().detach().clone()
    if kind == "zero":
        return scaler.origin().detach().clone()
    if kind == "noise":
        mean = scaler.training_mean().detach()
        generator = torch.Generator().manual_seed(seed)
        noise = torch.randn(mean.shape, generator=generator, dtype=mean.dtype)
        return mean + noise * scaler.spread().detach()
    raise ValueError(f"baseline {kind!r} is not one of {BASELINES}")
