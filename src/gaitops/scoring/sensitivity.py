"""Robustness to small input changes: max-sensitivity (Yeh et al. 2019) and local Lipschitz
estimate (Alvarez-Melis & Jaakkola 2018), over uniform perturbations within a radius."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import torch
from pydantic import Field
from torch import nn

from gaitops.scoring.base import ExplainFn, Need, Score, ScoreInputs, ScoreOptions, ScoreValue
from gaitops.scoring.perturbation import (
    batch_slices,
    explained_targets,
    input_spread,
    repeated,
    take,
)


def uniform_perturbations(
    rng: np.random.Generator, batch: int, draws: int, radius: torch.Tensor
) -> torch.Tensor:
    """(batch, draws, *one input) noise uniform in [-radius, radius] per element."""
    unit = rng.uniform(-1.0, 1.0, (batch, draws, *radius.shape)).astype(np.float32)
    return torch.from_numpy(unit) * radius


def explanation_changes(
    model: nn.Module,
    explain: ExplainFn,
    inputs: torch.Tensor,
    targets: torch.Tensor | None,
    attributions: torch.Tensor,
    perturbations: torch.Tensor,
) -> torch.Tensor:
    """(batch, draws): ||expl(x + perturbation) - expl(x)|| (Frobenius), all draws explained at once."""
    batch, draws = perturbations.shape[:2]
    perturbed = (inputs[:, None] + perturbations).reshape(batch * draws, *inputs.shape[1:])
    again = explain(model, perturbed, repeated(targets, draws)).detach().float()
    return (again.reshape(batch, draws, -1) - attributions.reshape(batch, 1, -1)).norm(dim=2)


def max_sensitivities(changes: torch.Tensor, attributions: torch.Tensor) -> torch.Tensor:
    """Per sample, max over draws of the change relative to ||expl(x)|| (1 where that is 0)."""
    norms = attributions.reshape(len(attributions), -1).norm(dim=1)
    return (changes / torch.where(norms == 0, 1.0, norms)[:, None]).max(dim=1).values


def local_lipschitz(changes: torch.Tensor, distances: torch.Tensor) -> torch.Tensor:
    """Per sample, max over draws of the change per unit of input distance."""
    return (changes / distances.clamp_min(1e-12)).max(dim=1).values


class SensitivityOptions(ScoreOptions):
    """score.options.max_sensitivity and score.options.local_lipschitz."""

    radius: float = Field(0.02, gt=0)  # of the uniform perturbation, in training sds
    samples: int = Field(10, ge=1)  # perturbed inputs per sample


class _PerturbedExplanations(Score):
    """Shared evaluation: explain `samples` perturbed copies of each sample."""

    options_model = SensitivityOptions
    options: SensitivityOptions
    category = "robustness"
    higher_is_better = False
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    scope = "fold"
    needs: ClassVar[frozenset[Need]] = frozenset({"attributions", "explain"})

    def per_sample(
        self, changes: torch.Tensor, attributions: torch.Tensor, distances: torch.Tensor
    ) -> torch.Tensor:
        raise NotImplementedError

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        options = self.options
        assert given.model is not None and given.explain is not None
        assert given.attributions is not None
        draws = options.samples
        radius = options.radius
        rng = np.random.default_rng(given.seed)
        inputs = torch.as_tensor(given.inputs, dtype=torch.float32)
        attributions = torch.as_tensor(given.attributions, dtype=torch.float32)
        targets = explained_targets(given.model, given.inputs, given.targets)
        spread = input_spread(given.model, inputs[0])
        values = []
        for part in batch_slices(len(inputs)):
            perturbations = uniform_perturbations(rng, len(inputs[part]), draws, radius * spread)
            changes = explanation_changes(
                given.model,
                given.explain,
                inputs[part],
                take(targets, part),
                attributions[part],
                perturbations,
            )
            distances = (perturbations / spread).flatten(2).norm(dim=2)
            values.append(self.per_sample(changes, attributions[part], distances))
        per_sample = torch.cat(values).numpy()
        return ScoreValue(
            float(per_sample.mean()), {f"{self.name}_median": float(np.median(per_sample))}
        )


class MaxSensitivity(_PerturbedExplanations):
    name = "max_sensitivity"
    description = (
        "mean over samples of the largest ||expl(x') - expl(x)|| / ||expl(x)|| over "
        "`samples` inputs x' uniformly within `radius` "
        "(standardised units) of x"
    )

    def per_sample(
        self, changes: torch.Tensor, attributions: torch.Tensor, distances: torch.Tensor
    ) -> torch.Tensor:
        return max_sensitivities(changes, attributions)


class LocalLipschitz(_PerturbedExplanations):
    name = "local_lipschitz"
    description = (
        "mean over samples of the largest ||expl(x') - expl(x)|| / ||x' - x|| (distance in the "
        "model's standardised units) over the max_sensitivity perturbations"
    )

    def per_sample(
        self, changes: torch.Tensor, attributions: torch.Tensor, distances: torch.Tensor
    ) -> torch.Tensor:
        return local_lipschitz(changes, distances)
