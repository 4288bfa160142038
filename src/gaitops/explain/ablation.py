"""Segment ablation, shared by feature_ablation and angle_ablation (Deepak et al. eq. 6-8): the output change when one segment is removed.

L_j = f(X) - f(X with segment j set to the baseline), for the explained output (the target
class's probability, or the regression value). The paper's importance is |L_j| / ||L||_2 over
segments, kept per sample in ``details["normalised_importance"]``. Each element of a segment
carries an equal share of L_j, so a segment's attributions sum to its effect.
"""

from __future__ import annotations

import torch
from torch import nn

from gaitops.explain.base import (
    ExplainContext,
    Explainer,
    Explanation,
    SegmentOptions,
    model_output,
)
from gaitops.explain.segments import spread_over_segments


def segment_effects(
    model: nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor | None,
    baseline: torch.Tensor,
    segments: torch.Tensor,
    batch_size: int = 512,
) -> torch.Tensor:
    """(batch, n_segments): f(x) - f(x with segment j at the baseline), several segments of the
    whole batch per forward pass (about `batch_size` inputs each)."""
    original = model_output(model, inputs, targets)
    n_segments = int(segments.max()) + 1
    per_pass = max(1, batch_size // len(inputs))
    effects = torch.empty(len(inputs), n_segments, dtype=inputs.dtype)
    for first in range(0, n_segments, per_pass):
        chosen = torch.arange(first, min(first + per_pass, n_segments))
        masks = segments.unsqueeze(0) == chosen.reshape(-1, *([1] * segments.dim()))
        removed = torch.where(masks.unsqueeze(1), baseline, inputs.unsqueeze(0))
        flat = removed.reshape(-1, *inputs.shape[1:])
        repeated = None if targets is None else targets.repeat(len(chosen))
        outputs = model_output(model, flat, repeated).reshape(len(chosen), len(inputs))
        effects[:, chosen] = (original.unsqueeze(0) - outputs).T
    return effects


class SegmentAblation(Explainer):
    """Remove each segment in turn: the explain step shared by feature and angle ablation."""

    needs_gradients = False
    options_model = SegmentOptions

    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        context: ExplainContext,
    ) -> Explanation:
        effects = segment_effects(model, inputs, targets, context.baseline, context.segments)
        norms = effects.abs().norm(dim=1, keepdim=True)
        normalised = effects.abs() / torch.where(norms > 0, norms, torch.ones_like(norms))
        return Explanation(
            attributions=spread_over_segments(effects, context.segments),
            details={"normalised_importance": normalised},
        )
