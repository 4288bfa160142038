"""The classes example-based explainers aim for: the prediction, and the class a counterfactual
should reach (the runner-up, or one class for all)."""

from __future__ import annotations

from typing import Literal

import torch
from pydantic import NonNegativeInt
from torch import nn

from gaitops.explain.base import ExplainContext

TargetClass = Literal["runner_up"] | NonNegativeInt  # explain.options.*.target


def class_probabilities(model: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    """Softmax of the model's logits, without gradients."""
    with torch.no_grad():
        return torch.softmax(model(inputs), dim=1)


def predicted_and_target(
    probabilities: torch.Tensor, target: TargetClass = "runner_up"
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
