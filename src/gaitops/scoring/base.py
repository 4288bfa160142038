"""What an explanation score is: one call signature, and its applicability, direction and category.

In the style of Quantus: a score declares the input kinds and objectives it applies to, whether
higher is better, its category, and its scope (``fold``: computed with each fold's model on that
fold's explanations, reported as mean ± sd; ``pooled``: computed once over every explanation).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
import torch
from torch import nn

from gaitops.tasks import Task, applies_to

Category = Literal["faithfulness", "robustness", "complexity", "randomisation", "localisation"]
Scope = Literal["fold", "pooled"]
# (inputs, targets) -> attributions: for scores that explain perturbed inputs again
ExplainFn = Callable[[torch.Tensor, torch.Tensor | None], torch.Tensor]


@dataclass(frozen=True)
class ScoreInputs:
    """Everything a score may use. For pooled scores `model` and `explain` are None."""

    inputs: np.ndarray
    targets: np.ndarray  # class indexes (classification) or values (regression)
    attributions: np.ndarray  # shaped like `inputs`
    baseline: np.ndarray  # one input: what "removed" means
    model: nn.Module | None = None
    explain: ExplainFn | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreValue:
    value: float
    details: dict[str, float] = field(default_factory=dict)


class Score(ABC):
    """Subclasses set the class attributes and write `evaluate`."""

    name: ClassVar[str]
    description: ClassVar[str]
    category: ClassVar[Category]
    higher_is_better: ClassVar[bool]
    input_kinds: ClassVar[frozenset[str]]
    objectives: ClassVar[frozenset[str]]
    scope: ClassVar[Scope] = "fold"
    needs_model: ClassVar[bool] = True

    @classmethod
    def applies_to(cls, task: Task) -> bool:
        return applies_to(task, cls.input_kinds, cls.objectives)

    @classmethod
    def direction(cls) -> str:
        return ("higher" if cls.higher_is_better else "lower") + " is better"

    @abstractmethod
    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        """The score of these explanations."""
