"""What an explainer is: one call signature, and the data, tasks and outputs it declares.

An explainer states the input kinds (curves, tabular) and objectives (classification,
regression) it applies to, and what it returns: per-feature attributions, a convergence error,
or example-based output (such as a counterfactual input). The stages read these declarations;
they never test an explainer's name.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import torch
from pydantic import BaseModel, ConfigDict
from torch import nn

from gaitops.errors import checked_options
from gaitops.explain.segments import Grouping
from gaitops.tasks import Task, applies_to


@dataclass(frozen=True)
class ExplainContext:
    """What an explainer may use besides the model, the inputs and the targets.

    ``segments`` numbers the interpretable features of one input (same shape, integer ids from
    0): the units that perturbation methods (ablation, LIME, noise) switch on and off. For curves
    the default is angle x phase window; for rows, each feature. ``reference_*`` is the fold's
    training part, for example-based methods (nearest unlike neighbours).
    """

    baseline: torch.Tensor  # one input: what "absent" means
    segments: torch.Tensor  # one input's shape, int64 segment ids 0..n-1
    reference_inputs: torch.Tensor | None = None
    reference_targets: torch.Tensor | None = None
    seed: int = 0

    @property
    def n_segments(self) -> int:
        return int(self.segments.max()) + 1

    def batch_mask(self, batch: int) -> torch.Tensor:
        """The segment ids broadcast over a batch (Captum's ``feature_mask``)."""
        return self.segments.unsqueeze(0).expand(batch, *self.segments.shape)


@dataclass(frozen=True)
class Explanation:
    """What one explainer returns for a batch of inputs (fields it does not declare stay None)."""

    attributions: torch.Tensor | None = None  # shaped like the inputs
    convergence_error: torch.Tensor | None = None  # one per sample
    examples: torch.Tensor | None = None  # example-based output, shaped like the inputs
    details: dict[str, Any] = field(default_factory=dict)  # per-sample arrays, by name


class ExplainerOptions(BaseModel):
    """What an explainer reads from ``explain.options.NAME`` (nothing, here). An explainer with
    options subclasses it next to its code; the subclass's defaults are the only ones (params.yaml
    states them too, and tests/contracts keeps the two equal)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SegmentOptions(ExplainerOptions):
    """The options of an explainer that perturbs segments (ablation, LIME, noise)."""

    grouping: Grouping = "angle_phase"  # which elements count as one feature (explain.segments)


class Explainer(ABC):
    """Subclasses set the class attributes and write `explain`."""

    name: ClassVar[str]
    description: ClassVar[str]
    input_kinds: ClassVar[frozenset[str]]  # "curves", "tabular"
    objectives: ClassVar[frozenset[str]]  # "classification", "regression"
    gives_attributions: ClassVar[bool] = True
    gives_convergence_error: ClassVar[bool] = False
    example_based: ClassVar[bool] = False
    needs_reference: ClassVar[bool] = False  # uses the fold's training part
    needs_gradients: ClassVar[bool] = True  # False: forward passes alone (any registered model)
    options_model: ClassVar[type[ExplainerOptions]] = ExplainerOptions

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = self.validated_options(options or {}).model_dump()

    @property
    def grouping(self) -> Grouping:
        """Its segments; an explainer that does not perturb segments never reads them."""
        default: Grouping = SegmentOptions.model_fields["grouping"].default
        grouping: Grouping = self.options.get("grouping", default)
        return grouping

    @classmethod
    def validated_options(cls, options: dict[str, Any]) -> ExplainerOptions:
        """``explain.options.NAME`` checked against the explainer's own options model."""
        return checked_options(cls.options_model, options, f"explain.options.{cls.name}", cls.name)

    @classmethod
    def applies_to(cls, task: Task) -> bool:
        return applies_to(task, cls.input_kinds, cls.objectives)

    @abstractmethod
    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        context: ExplainContext,
    ) -> Explanation:
        """Explain `model`'s output for `targets` (class indexes; None for regression)."""


def model_output(
    model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor | None
) -> torch.Tensor:
    """The explained output per sample: the target class's probability, or the regression value."""
    with torch.no_grad():
        output = model(inputs)
    if targets is None:
        return output.reshape(len(inputs))
    return torch.softmax(output, dim=1).gather(1, targets.reshape(-1, 1)).squeeze(1)
