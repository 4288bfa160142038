"""Captum Integrated Gradients against a baseline input."""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from captum.attr import IntegratedGradients as CaptumIntegratedGradients
from torch import nn

from gaitops.explain.base import ExplainContext, Explainer, Explanation


class IntegratedGradients(Explainer):
    """Path integral of gradients from the baseline to the input (Sundararajan et al. 2017)."""

    name = "integrated_gradients"
    description = "Integrated Gradients (Captum), Riemann sum over `n_steps`"
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    gives_convergence_error = True
    option_defaults: ClassVar[dict[str, Any]] = {"n_steps": 32, "internal_batch_size": 64}

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
