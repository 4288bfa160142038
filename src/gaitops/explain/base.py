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
from torch import nn

from gaitops.tasks import Task, applies_to


@dataclass(frozen=True)
class Explanation:
    """What one explainer returns for a batch of inputs (fields it does not declare stay None)."""

    attributions: torch.Tensor | None = None  # shaped like the inputs
    convergence_error: torch.Tensor | None = None  # one per sample
    examples: torch.Tensor | None = None  # example-based output, shaped like the inputs
    details: dict[str, Any] = field(default_factory=dict)


class Explainer(ABC):
    """Subclasses set the class attributes and write `explain`."""

    name: ClassVar[str]
    description: ClassVar[str]
    input_kinds: ClassVar[frozenset[str]]  # "curves", "tabular"
    objectives: ClassVar[frozenset[str]]  # "classification", "regression"
    gives_attributions: ClassVar[bool] = True
    gives_convergence_error: ClassVar[bool] = False
    example_based: ClassVar[bool] = False

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})

    @classmethod
    def applies_to(cls, task: Task) -> bool:
        return applies_to(task, cls.input_kinds, cls.objectives)

    @abstractmethod
    def explain(
        self,
        model: nn.Module,
        inputs: torch.Tensor,
        targets: torch.Tensor | None,
        baseline: torch.Tensor,
    ) -> Explanation:
        """Explain `model`'s output for `targets` (class indexes; None for regression) against
        `baseline` (one input, broadcast over the batch)."""
