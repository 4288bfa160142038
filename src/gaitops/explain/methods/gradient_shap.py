"""Captum GradientShap: expected gradients over baselines drawn from the training part."""

from __future__ import annotations

import torch
from captum.attr import GradientShap as CaptumGradientShap
from pydantic import Field
from torch import nn

from gaitops.explain.base import ExplainContext, Explainer, ExplainerOptions, Explanation


class GradientShapOptions(ExplainerOptions):
    """explain.options.gradient_shap."""

    n_samples: int = Field(20, ge=1)  # noisy samples per baseline
    n_baselines: int = Field(32, ge=1)  # baselines drawn from the fold's training part


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
    options_model = GradientShapOptions

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


EXPLAINER = GradientShap
