"""Infidelity (Yeh et al. 2019): how badly attributions · perturbation predict the output change.

With Gaussian perturbations I: the mean over draws of (beta * a·I - (f(x) - f(x - I)))^2, where
beta is the least-squares scale of the attributions (Captum's ``normalize=True``), so the value
does not depend on the attributions' overall scale.
"""

from __future__ import annotations

import numpy as np
import torch
from pydantic import Field
from torch import nn

from gaitops.explain.base import model_output
from gaitops.scoring.base import Score, ScoreInputs, ScoreOptions, ScoreValue
from gaitops.scoring.perturbation import (
    batch_slices,
    explained_targets,
    input_spread,
    repeated,
    take,
)


def gaussian_perturbations(
    rng: np.random.Generator, batch: int, draws: int, sd: torch.Tensor
) -> torch.Tensor:
    """(batch, draws, *one input) normal noise with per-element sd `sd` (shaped like one input)."""
    noise = rng.standard_normal((batch, draws, *sd.shape), dtype=np.float32)
    return torch.from_numpy(noise) * sd


def infidelities(
    model: nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor | None,
    attributions: torch.Tensor,
    perturbations: torch.Tensor,
) -> torch.Tensor:
    """Per sample, normalised infidelity over the draws in `perturbations` (batch, draws, ...)."""
    batch, draws = perturbations.shape[:2]
    perturbed = (inputs[:, None] - perturbations).reshape(batch * draws, *inputs.shape[1:])
    output_changes = model_output(model, inputs, targets)[:, None] - model_output(
        model, perturbed, repeated(targets, draws)
    ).reshape(batch, draws)
    predicted = (attributions[:, None] * perturbations).reshape(batch, draws, -1).sum(dim=2)
    aa = predicted.pow(2).sum(dim=1)
    ab = (predicted * output_changes).sum(dim=1)
    bb = output_changes.pow(2).sum(dim=1)
    beta = ab / torch.where(aa != 0, aa, 1.0)
    return (beta * beta * aa - 2 * beta * ab + bb) / draws


class InfidelityOptions(ScoreOptions):
    """score.options.infidelity."""

    noise: float = Field(0.1, gt=0)  # sd of the perturbation, in training sds
    samples: int = Field(20, ge=1)  # perturbations per sample


class Infidelity(Score):
    options_model = InfidelityOptions
    options: InfidelityOptions

    name = "infidelity"
    description = (
        "mean over samples of the scale-normalised infidelity: squared error of attributions · I "
        "as a prediction of the explained output's change, I Gaussian with sd "
        "`noise` in the model's standardised units (`samples` draws)"
    )
    category = "faithfulness"
    higher_is_better = False
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        options = self.options
        assert given.model is not None and given.attributions is not None
        draws = options.samples
        noise = options.noise
        rng = np.random.default_rng(given.seed)
        inputs = torch.as_tensor(given.inputs, dtype=torch.float32)
        attributions = torch.as_tensor(given.attributions, dtype=torch.float32)
        targets = explained_targets(given.model, given.inputs, given.targets)
        sd = noise * input_spread(given.model, inputs[0])
        values = torch.cat(
            [
                infidelities(
                    given.model,
                    inputs[part],
                    take(targets, part),
                    attributions[part],
                    gaussian_perturbations(rng, len(inputs[part]), draws, sd),
                )
                for part in batch_slices(len(inputs))
            ]
        ).numpy()
        return ScoreValue(float(values.mean()), {f"{self.name}_median": float(np.median(values))})
