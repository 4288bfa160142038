"""The explainer registry: name -> attribution function and the data and tasks it applies to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from gaitops.errors import ConfigError
from gaitops.explain.integrated_gradients import integrated_gradients

# (model, inputs, baseline, targets, options) -> (attributions shaped like inputs, per-sample error)
AttributionFn = Callable[
    [nn.Module, torch.Tensor, torch.Tensor, torch.Tensor, dict], tuple[torch.Tensor, torch.Tensor]
]


@dataclass(frozen=True)
class Explainer:
    name: str
    attribute: AttributionFn
    data: tuple[str, ...]  # "curves", "tabular"
    tasks: tuple[str, ...]  # "classification", "regression"


EXPLAINERS: dict[str, Explainer] = {
    "integrated_gradients": Explainer(
        "integrated_gradients",
        integrated_gradients,
        ("curves", "tabular"),
        ("classification", "regression"),
    ),
}


def get_explainer(name: str) -> Explainer:
    try:
        return EXPLAINERS[name]
    except KeyError:
        raise ConfigError(f"explain.method: {name!r} is not one of {sorted(EXPLAINERS)}.") from None
