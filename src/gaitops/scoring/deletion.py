"""Deletion curves, AUCSE_top and the F-score of Turbé et al. (Nat Mach Intell 2023).

For removal fractions k = 5 %, 10 %, ... 95 % of each sample's input elements: remove the top-k
(highest signed attribution), the bottom-k (smallest |attribution|) and a random k, replacing
them with N(0, 1) noise in the model's standardised input space (the training mean plus one
training sd times the draw). The relative drop of the originally predicted class's probability,
(p - p_removed) / p, is averaged over samples at each k (the bottom curve clipped at 0).
AUCSE_top: the area under the top curve over [0, 1], extended flat after the last k;
F = I_top (1 - I_bot) / (I_top + 1 - I_bot) with I the areas over [0, k_max]. The random
curve's area is the control: a faithful explanation's AUCSE_top is above it.
"""

from __future__ import annotations

import numpy as np
import torch
from pydantic import Field
from scipy.integrate import simpson

from gaitops.explain.base import model_output
from gaitops.explain.baselines import input_scaler
from gaitops.scoring.base import Score, ScoreInputs, ScoreOptions, ScoreValue


def removal_fractions(steps: int) -> np.ndarray:
    """`steps` fractions evenly from 5 % to 95 %."""
    return np.linspace(0.05, 0.95, steps)


def relative_drops(
    model: torch.nn.Module,
    inputs: torch.Tensor,
    order: torch.Tensor,
    fractions: np.ndarray,
    noise: torch.Tensor,
    chunk: int = 1024,
) -> np.ndarray:
    """Mean relative drop of the predicted class's probability removing the first k of `order`
    (per sample, flat element indexes) for each k in `fractions`."""
    with torch.no_grad():
        predicted = model(inputs).argmax(dim=1)
    original = model_output(model, inputs, predicted)
    flat, replacement = inputs.reshape(len(inputs), -1), noise.reshape(len(inputs), -1)
    removed = []
    for fraction in fractions:
        chosen = order[:, : max(1, round(fraction * flat.shape[1]))]
        mask = torch.zeros_like(flat, dtype=torch.bool).scatter_(1, chosen, True)
        removed.append(torch.where(mask, replacement, flat).reshape(inputs.shape))
    # every fraction's inputs through the model together, in chunks of about `chunk` inputs
    stacked, classes = torch.cat(removed), predicted.repeat(len(fractions))
    probability = torch.cat(
        [
            model_output(model, stacked[i : i + chunk], classes[i : i + chunk])
            for i in range(0, len(stacked), chunk)
        ]
    ).reshape(len(fractions), len(inputs))
    drops = (original - probability) / original.clamp_min(1e-12)
    return drops.mean(dim=1).numpy().astype(np.float64)


def area(fractions: np.ndarray, drops: np.ndarray, extend: bool) -> float:
    """Simpson area under the curve from (0, 0); `extend` continues it flat to k = 1."""
    x, y = np.r_[0.0, fractions], np.r_[0.0, drops]
    if extend:
        x, y = np.r_[x, 1.0], np.r_[y, drops[-1]]
    return float(simpson(y, x=x))


def f_score(top_area: float, bottom_area: float) -> float:
    """Turbé et al.'s combination of a high top area and a low bottom area."""
    denominator = top_area + (1.0 - bottom_area)
    return top_area * (1.0 - bottom_area) / denominator if denominator > 0 else 0.0


class DeletionOptions(ScoreOptions):
    """score.options.deletion."""

    steps: int = Field(19, ge=2)  # removal fractions 5 %, 10 %, ... 95 %


class Deletion(Score):
    options_model = DeletionOptions
    options: DeletionOptions

    name = "deletion"
    description = (
        "Turbé et al.: AUCSE_top, area under the relative probability drop as the top-attributed "
        "inputs are replaced by noise (details: F-score, bottom and random-removal areas)"
    )
    category = "faithfulness"
    curve_y = "mean relative drop of the predicted class's probability"
    higher_is_better = True
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification"})

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        options = self.options
        assert given.model is not None and given.attributions is not None
        fractions = removal_fractions(options.steps)
        inputs = torch.from_numpy(given.inputs)
        scaler = input_scaler(given.model)
        generator = torch.Generator().manual_seed(given.seed)
        draws = torch.randn(inputs.shape, generator=generator, dtype=inputs.dtype)
        noise = scaler.training_mean().detach() + draws * scaler.spread().detach()
        relevance = torch.from_numpy(given.attributions).reshape(len(inputs), -1)
        random_order = torch.argsort(torch.rand(relevance.shape, generator=generator), dim=1)
        curves = {
            "top": relative_drops(
                given.model, inputs, torch.argsort(-relevance, dim=1, stable=True), fractions, noise
            ),
            "bottom": np.clip(
                relative_drops(
                    given.model,
                    inputs,
                    torch.argsort(relevance.abs(), dim=1, stable=True),
                    fractions,
                    noise,
                ),
                0,
                None,
            ),
            "random": relative_drops(given.model, inputs, random_order, fractions, noise),
        }
        aucse_top = area(fractions, curves["top"], extend=True)
        aucse_random = area(fractions, curves["random"], extend=True)
        return ScoreValue(
            aucse_top,
            {
                "aucse_random": aucse_random,
                "aucse_top_minus_random": aucse_top - aucse_random,
                "f_score": f_score(
                    area(fractions, curves["top"], False), area(fractions, curves["bottom"], False)
                ),
            },
            {"removed_fraction": fractions.tolist(), **{k: v.tolist() for k, v in curves.items()}},
        )
