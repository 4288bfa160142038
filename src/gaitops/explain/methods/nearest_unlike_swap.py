"""Nearest unlike neighbour with greedy channel swaps (Native-Guide / CoMTE style).

For each sample: the nearest training sample (Euclidean, in the model's standardised input
space) labelled with the target class; then whole angle curves are copied from it, one at a
time, each step the one that raises P(target) most, until the model predicts the target class
or every channel has been swapped.
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


def standardised(model: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    """(batch, elements): inputs as the network sees them, after the model's scaler."""
    with torch.no_grad():
        return model[0](inputs).reshape(len(inputs), -1)


def nearest_of_class(
    model: nn.Module,
    inputs: torch.Tensor,
    reference: torch.Tensor,
    labels: torch.Tensor,
    wanted: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per sample, the nearest reference labelled `wanted`, and whether one exists."""
    distances = torch.cdist(standardised(model, inputs), standardised(model, reference))
    unlike = labels.reshape(1, -1) == wanted.reshape(-1, 1)
    distances = distances.masked_fill(~unlike, float("inf"))
    return reference[distances.argmin(dim=1)], unlike.any(dim=1)


def chunked_probabilities(model: nn.Module, inputs: torch.Tensor, size: int) -> torch.Tensor:
    """Class probabilities of many inputs, `size` at a time."""
    return torch.cat([class_probabilities(model, part) for part in inputs.split(size)])


def swap_candidates(current: torch.Tensor, neighbour: torch.Tensor) -> torch.Tensor:
    """(batch, channels, channels, time): `current` with each one channel taken from `neighbour`."""
    channels = current.shape[1]
    eye = torch.eye(channels, dtype=torch.bool)[None, :, :, None]
    return torch.where(eye, neighbour[:, None], current[:, None])


class NearestUnlikeSwapOptions(ExplainerOptions):
    """explain.options.nearest_unlike_swap."""

    target: TargetClass = "runner_up"  # runner_up or a class index
    internal_batch_size: int = Field(1024, ge=1)  # inputs per forward pass


class NearestUnlikeSwap(Explainer):
    """Counterfactual curves: channels swapped in from the nearest training sample of the target."""

    name = "nearest_unlike_swap"
    needs_gradients = False
    description = (
        "nearest training sample of the runner-up class (standardised Euclidean), "
        "whole channels swapped in greedily by gain in P(target) until the prediction flips"
    )
    input_kinds = frozenset({"curves"})
    objectives = frozenset({"classification"})
    example_based = True
    needs_reference = True
    options_model = NearestUnlikeSwapOptions

    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        context: ExplainContext,
    ) -> Explanation:
        """Counterfactuals of the model's predictions (`targets` is not used: the prediction is)."""
        reference = reference_of(context, self.name).to(inputs.dtype)
        if context.reference_targets is None:
            raise ValueError(f"{self.name} needs context.reference_targets (training labels)")
        _, target = predicted_and_target(class_probabilities(model, inputs), self.options["target"])
        neighbour, found = nearest_of_class(
            model, inputs, reference, context.reference_targets.reshape(-1), target
        )
        examples, swapped, valid = self._swap(model, inputs, neighbour, target, found)
        return Explanation(
            attributions=examples - inputs,
            examples=examples,
            details={
                "valid": valid,
                "target_class": target,
                "channels_swapped": swapped.sum(dim=1),
            },
        )

    def _swap(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        neighbour: torch.Tensor,
        target: torch.Tensor,
        found: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Counterfactuals, the swapped channels (batch, channels) and whether each reached target."""
        batch, channels = inputs.shape[:2]
        chunk = int(self.options["internal_batch_size"])
        current = inputs.clone()
        swapped = torch.zeros(batch, channels, dtype=torch.bool)
        reached = class_probabilities(model, inputs).argmax(dim=1) == target
        for _ in range(channels):
            active = torch.nonzero(found & ~reached).squeeze(1)
            if len(active) == 0:
                break
            candidates = swap_candidates(current[active], neighbour[active])
            gains = chunked_probabilities(model, candidates.flatten(0, 1), chunk)
            gains = gains.reshape(len(active), channels, -1)
            gains = gains.gather(2, target[active, None, None].expand(-1, channels, 1)).squeeze(2)
            best = gains.masked_fill(swapped[active], float("-inf")).argmax(dim=1)
            current[active] = candidates[torch.arange(len(active)), best]
            swapped[active, best] = True
            reached[active] = (
                class_probabilities(model, current[active]).argmax(dim=1) == target[active]
            )
        return current, swapped, reached & found


EXPLAINER = NearestUnlikeSwap
