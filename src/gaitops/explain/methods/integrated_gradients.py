"""Captum Integrated Gradients against a baseline input."""

from __future__ import annotations

import torch
from captum.attr import IntegratedGradients as CaptumIntegratedGradients
from pydantic import Field
from torch import nn

from gaitops.explain.base import ExplainContext, Explainer, ExplainerOptions, Explanation


class IntegratedGradientsOptions(ExplainerOptions):
    """explain.options.integrated_gradients."""

    n_steps: int = Field(32, ge=1)  # points on the path from the baseline
    internal_batch_size: int = Field(64, ge=1)  # inputs per forward pass


class IntegratedGradients(Explainer):
    """Path integral of gradients from the baseline to the input (Sundararajan et al. 2017)."""

    name = "integrated_gradients"
    description = "Integrated Gradients (Captum), Riemann sum over `n_steps`"
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    gives_convergence_error = True
    options_model = IntegratedGradientsOptions

    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        context: ExplainContext,
    ) -> Explanation:
        """Attributions and the completeness error |sum(attr) - (f(x) - f(baseline))| per sample."""
        attributions, delta = CaptumIntegratedGradients(model).attribute(
            inputs,
            baselines=context.baseline.expand_as(inputs),
            target=targets,
            n_steps=self.options["n_steps"],
            internal_batch_size=self.options["internal_batch_size"],
            return_convergence_delta=True,
        )
        return Explanation(
            attributions=attributions.detach(), convergence_error=delta.detach().abs()
        )


EXPLAINER = IntegratedGradients
