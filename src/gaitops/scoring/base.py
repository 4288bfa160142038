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
from pydantic import BaseModel, ConfigDict
from torch import nn

from gaitops.errors import checked_options
from gaitops.tasks import Task, applies_to

Category = Literal[
    "faithfulness", "robustness", "complexity", "randomisation", "localisation", "counterfactual"
]
CATEGORIES: tuple[str, ...] = (
    "faithfulness",
    "robustness",
    "complexity",
    "randomisation",
    "localisation",
    "counterfactual",
)
Scope = Literal["fold", "pooled"]
Need = Literal["attributions", "examples", "explain", "truth"]
# (model, inputs, targets) -> attributions: for scores that explain again (perturbed inputs,
# a randomised model) with the explainer being scored
ExplainFn = Callable[[nn.Module, torch.Tensor, torch.Tensor | None], torch.Tensor]


@dataclass(frozen=True)
class ScoreInputs:
    """Everything a score may use. For pooled scores `model` and `explain` are None; fields a
    method does not produce (attributions of a counterfactual-only method, examples of an
    attribution method, ground truth of real data) are None, and scores declare what they need."""

    inputs: np.ndarray
    targets: np.ndarray  # class indexes (classification) or values (regression)
    attributions: np.ndarray | None  # shaped like `inputs`
    baseline: np.ndarray  # one input: what "removed" means
    model: nn.Module | None = None
    explain: ExplainFn | None = None
    seed: int = 0  # score.seed: random subsets, perturbations, randomised models
    subjects: np.ndarray | None = None  # subject id per sample
    examples: np.ndarray | None = None  # counterfactual inputs, shaped like `inputs`
    details: dict[str, np.ndarray] = field(default_factory=dict)  # per-sample explainer output
    reference_inputs: np.ndarray | None = None  # the fold's training part
    reference_targets: np.ndarray | None = None
    truth: np.ndarray | None = None  # known relevance per input element (synthetic data), 0/1


@dataclass(frozen=True)
class ScoreValue:
    value: float
    details: dict[str, float] = field(default_factory=dict)
    # a curve behind the value (x values under "x", then one series per name): written as a plot
    curve: dict[str, list[float]] = field(default_factory=dict)


def model_accuracy(model: nn.Module, inputs: np.ndarray, targets: np.ndarray) -> float:
    """The share of `inputs` a classifier assigns to their class in `targets`."""
    with torch.no_grad():
        predicted = model(torch.from_numpy(inputs)).argmax(dim=1).numpy()
    return float((predicted == targets).mean())


def mean_within_group_sd(values: np.ndarray, groups: np.ndarray) -> tuple[float, int]:
    """Mean over the groups with two or more rows of the mean per-column sd of their rows of
    `values` (samples, columns), and how many groups that is (NaN when none)."""
    spreads = [
        values[groups == g].std(axis=0).mean() for g in np.unique(groups) if (groups == g).sum() > 1
    ]
    return (float(np.mean(spreads)) if spreads else float("nan")), len(spreads)


class ScoreOptions(BaseModel):
    """What a score reads from ``score.options.NAME`` (nothing, here). A score with options
    subclasses it next to its code; the subclass's defaults are the only ones (params.yaml states
    them too, and tests/contracts keeps the two equal)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
    needs_weights: ClassVar[bool] = False  # perturbs the model's trained weights (torch parameters)
    needs: ClassVar[frozenset[Need]] = frozenset({"attributions"})
    curve_y: ClassVar[str] = "value"  # what a curve the score returns plots on its y axis
    options_model: ClassVar[type[ScoreOptions]] = ScoreOptions

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = self.validated_options(options or {})

    @classmethod
    def validated_options(cls, options: dict[str, Any]) -> ScoreOptions:
        """``score.options.NAME`` checked against the score's own options model."""
        return checked_options(cls.options_model, options, f"score.options.{cls.name}", cls.name)

    @classmethod
    def applies_to(cls, task: Task) -> bool:
        return applies_to(task, cls.input_kinds, cls.objectives)

    @classmethod
    def can_score(cls, available: frozenset[str]) -> bool:
        """Whether what an explainer produced (and the data offers) is enough for this score."""
        return cls.needs <= available

    @classmethod
    def direction(cls) -> str:
        return ("higher" if cls.higher_is_better else "lower") + " is better"

    @abstractmethod
    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        """The score of these explanations."""
