"""Contrastive explanation (Deepak et al. eq. 4-5): how much noise on a segment moves the output.

On min-max scaled inputs (the fold's training range), x_con = clip(x + N(0, sigma^2), 0, 1)
on one segment at a time; a segment's attribution is the mean |f(x) - f(x_con)| over `draws`
draws. The paper's whole-input contrast (noise on every element) is kept per sample in
``details["contrastive_change"]``.
"""

from __future__ import annotations

import torch
from pydantic import Field
from torch import nn

from gaitops.explain.base import (
    ExplainContext,
    Explainer,
    Explanation,
    SegmentOptions,
    model_output,
)
from gaitops.explain.segments import spread_over_segments


def _noisy(
    inputs: torch.Tensor,
    where: torch.Tensor,
    low: torch.Tensor,
    span: torch.Tensor,
    sigma: float,
    generator: torch.Generator,
) -> torch.Tensor:
    """Inputs with noise of sd `sigma` (in training-range units) where `where`, kept in range."""
    scaled = (inputs - low) / span
    noise = torch.randn(inputs.shape, generator=generator, dtype=inputs.dtype) * sigma
    contrast = torch.clamp(scaled + noise * where, 0.0, 1.0)
    return torch.where(where, contrast * span + low, inputs)


class ContrastiveOptions(SegmentOptions):
    """explain.options.contrastive."""

    sigma: float = Field(0.1, gt=0)  # noise sd, as a share of the training range
    draws: int = Field(8, ge=1)  # noise draws per segment


class Contrastive(Explainer):
    """Mean |output change| under noise on each segment (angle x phase window; rows: a feature)."""

    name = "contrastive"
    needs_gradients = False
    description = "contrastive (paper eq. 4-5): mean |output change| under noise on each segment"
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    needs_reference = True
    options_model = ContrastiveOptions

    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        context: ExplainContext,
    ) -> Explanation:
        assert context.reference_inputs is not None
        low = context.reference_inputs.min(dim=0).values
        span = (context.reference_inputs.max(dim=0).values - low).clamp_min(1e-6)
        sigma, draws = self.options["sigma"], self.options["draws"]
        generator = torch.Generator().manual_seed(context.seed)
        original = model_output(model, inputs, targets)
        changes = torch.zeros(len(inputs), context.n_segments, dtype=inputs.dtype)
        for j in range(context.n_segments):
            where = context.segments == j
            for _ in range(draws):
                noisy = _noisy(inputs, where, low, span, sigma, generator)
                changes[:, j] += (original - model_output(model, noisy, targets)).abs() / draws
        everywhere = torch.ones_like(context.segments, dtype=torch.bool)
        whole = (
            original
            - model_output(model, _noisy(inputs, everywhere, low, span, sigma, generator), targets)
        ).abs()
        return Explanation(
            attributions=spread_over_segments(changes, context.segments),
            details={"contrastive_change": whole},
        )


EXPLAINER = Contrastive
