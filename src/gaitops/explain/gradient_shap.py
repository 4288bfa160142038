"""Captum GradientShap: expected gradients over baselines drawn from the training part."""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from captum.attr import GradientShap as CaptumGradientShap
from torch import nn

from gaitops.explain.base import ExplainContext, Explainer, Explanation


class GradientShap(Explainer):
    """SHAP values approximated by gradients at random points between the input and baselines
    drawn from the fold's training inputs (Lundberg & Lee 2017; Erion et al. 2021)."""

    name = "gradient_shap"
    description = (
        "GradientShap (Captum): `n_samples` gradients per input, baselines drawn from "
        "`n_baselines` training inputs of the fold"
    )
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    needs_reference = True
    option_defaults: ClassVar[dict[str, Any]] = {"n_samples": 20, "n_baselines": 32}

    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        context: ExplainContext,
    ) -> Explanation:
        assert context.reference_inputs is not None
        generator = torch.Generator().manual_seed(context.seed)
        reference = context.reference_inputs
        chosen = torch.randperm(len(reference), generator=generator)
        baselines = reference[chosen[: self.options["n_baselines"]]]
        with torch.random.fork_rng():
            torch.manual_seed(context.seed)
            attributions = CaptumGradientShap(model).attribute(
                inputs,
                baselines=baselines,
                n_samples=self.options["n_samples"],
                target=targets,
            )
        return Explanation(attributions=attributions.detach())
