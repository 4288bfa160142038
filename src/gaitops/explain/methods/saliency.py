"""Captum Saliency: the absolute input gradient, a weak reference for the other explainers."""

from __future__ import annotations

import torch
from captum.attr import Saliency as CaptumSaliency
from torch import nn

from gaitops.explain.base import ExplainContext, Explainer, Explanation


class Saliency(Explainer):
    """|d output / d input| at the sample itself (Simonyan et al. 2014); ignores the baseline."""

    name = "saliency"
    description = "Saliency (Captum): absolute gradient of the target output at the input"
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})

    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        context: ExplainContext,
    ) -> Explanation:
        # inputs that already require gradients: Captum would set it itself, with a warning
        attributions = CaptumSaliency(model).attribute(
            inputs.clone().requires_grad_(), target=targets, abs=True
        )
        return Explanation(attributions=attributions.detach())


EXPLAINER = Saliency
