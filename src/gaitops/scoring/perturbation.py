"""What the perturbation scores share: batching, the targets to explain, the model's typical
input deviation."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch
from torch import nn

BATCH_SIZE = 256  # samples per step of a perturbation score


def batch_slices(n: int, size: int = BATCH_SIZE) -> Iterator[slice]:
    """Consecutive slices of at most `size` samples covering 0..n."""
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def is_classifier(model: nn.Module, inputs: np.ndarray) -> bool:
    """Whether the model outputs one logit per class (else one value per sample)."""
    with torch.no_grad():
        output = model(torch.as_tensor(inputs[:1], dtype=torch.float32))
    return output.ndim == 2 and output.shape[1] > 1


def explained_targets(
    model: nn.Module, inputs: np.ndarray, targets: np.ndarray
) -> torch.Tensor | None:
    """Class indexes as a tensor for a classifier; None for a regression model."""
    if is_classifier(model, inputs):
        return torch.as_tensor(np.asarray(targets), dtype=torch.long)
    return None


def input_spread(model: nn.Module, like: torch.Tensor) -> torch.Tensor:
    """The input scaler's typical deviation per input element (1 where the model has none)."""
    scaler = model[0] if isinstance(model, nn.Sequential) else None
    spread = getattr(scaler, "spread", None)
    if spread is None:
        return torch.ones_like(like)
    return spread().to(like.dtype).expand_as(like)


def take(targets: torch.Tensor | None, part: slice) -> torch.Tensor | None:
    return None if targets is None else targets[part]


def repeated(targets: torch.Tensor | None, times: int) -> torch.Tensor | None:
    """Each sample's target `times` times in a row (the layout of repeat_interleave)."""
    return None if targets is None else targets.repeat_interleave(times)
