"""Gradient counterfactual on min-max scaled inputs (Deepak et al. 2026, eq. 1-3).

x* = argmin_x [P(y_orig | x) - P(y_target | x)] + lambda * mean|x - x0|, with x in [0, 1] after
scaling each input element by the training part's minimum and maximum, so the counterfactual
stays within the training range. Adam, all samples at once; each sample keeps its first iterate
whose predicted class differs from the original prediction.
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from torch import nn

from gaitops.explain.base import ExplainContext, Explainer, Explanation


def class_probabilities(model: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    """Softmax of the model's logits, without gradients."""
    with torch.no_grad():
        return torch.softmax(model(inputs), dim=1)


def predicted_and_target(
    probabilities: torch.Tensor, target: Any = "runner_up"
) -> tuple[torch.Tensor, torch.Tensor]:
    """The predicted class and the counterfactual's target class per sample.

    ``"runner_up"``: the most probable class other than the predicted one; an int: that class.
    """
    predicted = probabilities.argmax(dim=1)
    if target == "runner_up":
        others = probabilities.scatter(1, predicted[:, None], float("-inf"))
        return predicted, others.argmax(dim=1)
    if isinstance(target, int) and 0 <= target < probabilities.shape[1]:
        return predicted, torch.full_like(predicted, target)
    raise ValueError(f"target: {target!r} is neither 'runner_up' nor a class index")


def reference_of(context: ExplainContext, name: str) -> torch.Tensor:
    """The fold's training inputs, which example-based explainers cannot do without."""
    if context.reference_inputs is None:
        raise ValueError(f"{name} needs the training part: context.reference_inputs is None")
    return context.reference_inputs


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
    option_defaults: ClassVar[dict[str, Any]] = {
        "target": "runner_up",
        "distance_weight": 0.1,
        "learning_rate": 0.05,
        "steps": 200,
    }

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
