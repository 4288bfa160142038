"""Gradient counterfactual on min-max scaled inputs (Deepak et al. 2026, eq. 1-3).

x* = argmin_x [P(y_orig | x) - P(y_target | x)] + lambda * mean|x - x0|, with x in [0, 1] after
scaling each input element by the training part's minimum and maximum, so the counterfactual
stays within the training range. Adam, all samples at once; each sample keeps its first iterate
whose predicted class differs from the original prediction.
"""

from __future__ import annotations

import torch
from pydantic import Field
from torch import nn

from gaitops.explain.base import ExplainContext, Explainer, ExplainerOptions, Explanation
from gaitops.explain.class_targets import (
    TargetClass,
    class_probabilities,
    predicted_and_target,
    reference_of,
)


class MinMaxBox:
    """Per-element min-max scaling fitted on training inputs; constant elements stay fixed."""

    def __init__(self, reference: torch.Tensor) -> None:
        self.low = reference.min(dim=0).values
        span = reference.max(dim=0).values - self.low
        self.varies = span > 0
        self.span = torch.where(self.varies, span, torch.ones_like(span))

    def scale(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.low) / self.span

    def unscale(self, z: torch.Tensor, original: torch.Tensor) -> torch.Tensor:
        """Back to the input space; elements without training variation keep their value."""
        return torch.where(self.varies, self.low + z * self.span, original)


def per_sample_mean(values: torch.Tensor) -> torch.Tensor:
    return values.reshape(len(values), -1).mean(dim=1)


class CounterfactualOptions(ExplainerOptions):
    """explain.options.counterfactual."""

    target: TargetClass = "runner_up"  # runner_up or a class index
    distance_weight: float = Field(0.1, ge=0)  # lambda: the L1 distance's weight
    learning_rate: float = Field(0.05, gt=0)  # Adam's, on min-max scaled inputs
    steps: int = Field(200, ge=0)  # Adam steps at most (0: none, every sample stays unflipped)


class GradientCounterfactual(Explainer):
    """Gradient search for the nearest in-range input that changes the predicted class."""

    name = "counterfactual"
    description = (
        "gradient counterfactual: Adam on min-max scaled inputs, "
        "P(original) - P(target) + distance_weight * mean L1 distance, clamped to the training range"
    )
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification"})
    example_based = True
    needs_reference = True
    options_model = CounterfactualOptions

    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        context: ExplainContext,
    ) -> Explanation:
        """Counterfactuals of the model's predictions (`targets` is not used: the prediction is)."""
        box = MinMaxBox(reference_of(context, self.name).to(inputs.dtype))
        original, target = predicted_and_target(
            class_probabilities(model, inputs), self.options["target"]
        )
        scaled, valid = self._search(model, inputs, box, original, target)
        examples = box.unscale(scaled, inputs).detach()
        return Explanation(
            attributions=examples - inputs,
            examples=examples,
            details={
                "valid": valid,
                "target_class": target,
            },
        )

    def _search(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        box: MinMaxBox,
        original: torch.Tensor,
        target: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Scaled counterfactuals and whether each one changed the predicted class."""
        steps = int(self.options["steps"])
        weight = float(self.options["distance_weight"])
        start = box.scale(inputs)
        z = start.clamp(0.0, 1.0).clone().requires_grad_(True)
        optimiser = torch.optim.Adam([z], lr=float(self.options["learning_rate"]))
        found = z.detach().clone()
        done = torch.zeros(len(inputs), dtype=torch.bool)
        for step in range(steps + 1):
            probabilities = torch.softmax(model(box.unscale(z, inputs)), dim=1)
            newly = (probabilities.detach().argmax(dim=1) != original) & ~done
            found[newly] = z.detach()[newly]
            done |= newly
            if bool(done.all()) or step == steps:
                break
            gap = probabilities.gather(1, original[:, None]) - probabilities.gather(
                1, target[:, None]
            )
            loss = gap.squeeze(1) + weight * per_sample_mean((z - start).abs())
            (z.grad,) = torch.autograd.grad((loss * ~done).sum(), z)
            optimiser.step()
            with torch.no_grad():
                z.clamp_(0.0, 1.0)
        found[~done] = z.detach()[~done]
        return found, done


EXPLAINER = GradientCounterfactual
