"""Captum DeepLift (rescale rule) against the baseline input."""

from __future__ import annotations

import warnings

import torch
from captum.attr import DeepLift as CaptumDeepLift
from torch import nn

from gaitops.explain.base import ExplainContext, Explainer, Explanation


class DeepLift(Explainer):
    """Differences from the baseline propagated with multipliers (Shrikumar et al. 2017).

    With one baseline this is the DeepLiftShap Lan et al. ran with a single zero baseline.
    Modules DeepLift has no rule for (an LSTM cell) fall back to gradients, as in Captum.
    """

    name = "deeplift"
    description = (
        "DeepLift (Captum, rescale rule) against the baseline; completeness error reported"
    )
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    gives_convergence_error = True

    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        context: ExplainContext,
    ) -> Explanation:
        with warnings.catch_warnings():  # Captum's notice that it hooks the activations
            warnings.filterwarnings("ignore", message="Setting forward, backward hooks")
            attributions, delta = CaptumDeepLift(model).attribute(
                inputs.clone().requires_grad_(),
                baselines=context.baseline.expand_as(inputs),
                target=targets,
                return_convergence_delta=True,
            )
        return Explanation(
            attributions=attributions.detach(), convergence_error=delta.detach().abs()
        )


EXPLAINER = DeepLift
