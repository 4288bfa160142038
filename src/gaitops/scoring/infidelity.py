"""Infidelity (Yeh et al. 2019): how badly attributions · perturbation predict the output change.

With Gaussian perturbations I: the mean over draws of (beta * a·I - (f(x) - f(x - I)))^2, where
beta is the least-squares scale of the attributions (Captum's ``normalize=True``), so the value
does not depend on the attributions' overall scale.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from gaitops.explain.base import model_output
from gaitops.scoring.base import Score, ScoreInputs, ScoreValue
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


class Infidelity(Score):
    name = "infidelity"
    description = (
        "mean over samples of the scale-normalised infidelity: squared error of attributions · I "
        "as a prediction of the explained output's change, I Gaussian with sd "
        "score.infidelity_noise in the model's standardised units (score.infidelity_samples draws)"
    )
    category = "faithfulness"
    higher_is_better = False
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        assert given.model is not None and given.attributions is not None
        draws = int(given.options.get("infidelity_samples", 20))
        noise = float(given.options.get("infidelity_noise", 0.1))
        rng = np.random.default_rng(given.options.get("seed", 0))
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
