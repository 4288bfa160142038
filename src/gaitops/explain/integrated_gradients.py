"""Captum Integrated Gradients against a baseline curve."""

from __future__ import annotations

import torch
from captum.attr import IntegratedGradients
from torch import nn


def integrated_gradients(
    model: nn.Module,
    inputs: torch.Tensor,
    baseline: torch.Tensor,
    targets: torch.Tensor,
    options: dict,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Attributions (like `inputs`) and the completeness error |sum(attr) - (f(x) - f(baseline))|."""
    explainer = IntegratedGradients(model)
    attributions, delta = explainer.attribute(
        inputs,
        baselines=baseline.expand_as(inputs),
        target=targets,
        n_steps=options.get("n_steps", 32),
        internal_batch_size=options.get("internal_batch_size", 64),
        return_convergence_delta=True,
    )
    return attributions.detach(), delta.detach().abs()
