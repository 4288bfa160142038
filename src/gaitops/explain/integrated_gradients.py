"""Captum Integrated Gradients against a baseline input."""

from __future__ import annotations

import torch
from captum.attr import IntegratedGradients as CaptumIntegratedGradients
from torch import nn

from gaitops.explain.base import Explainer, Explanation


class IntegratedGradients(Explainer):
    """Path integral of gradients from the baseline to the input (Sundararajan et al. 2017)."""

    name = "integrated_gradients"
    description = "Integrated Gradients (Captum), Riemann sum over `n_steps`"
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    gives_convergence_error = True

    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        baseline: torch.Tensor,
    ) -> Explanation:
        """Attributions and the completeness error |sum(attr) - (f(x) - f(baseline))| per sample."""
        attributions, delta = CaptumIntegratedGradients(model).attribute(
            inputs,
            baselines=baseline.expand_as(inputs),
            target=targets,
            n_steps=self.options.get("n_steps", 32),
            internal_batch_size=self.options.get("internal_batch_size", 64),
            return_convergence_delta=True,
        )
        return Explanation(attributions=attributions.detach(), convergence_error=delta.detach().abs())
