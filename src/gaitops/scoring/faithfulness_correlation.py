"""Faithfulness correlation (Bhatt et al. 2020): do attributions predict what removing inputs costs?"""

from __future__ import annotations

import numpy as np
import torch
from pydantic import Field
from torch import nn

from gaitops.explain.base import model_output
from gaitops.scoring.base import Score, ScoreInputs, ScoreOptions, ScoreValue
from gaitops.scoring.perturbation import batch_slices, explained_targets, repeated, take


def rowwise_pearson(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Pearson correlation of each row of `a` with the same row of `b`; 0 where undefined."""
    a = a.double() - a.double().mean(dim=1, keepdim=True)
    b = b.double() - b.double().mean(dim=1, keepdim=True)
    denominator = (a.pow(2).sum(dim=1) * b.pow(2).sum(dim=1)).sqrt()
    defined = denominator > 0
    return torch.where(defined, (a * b).sum(dim=1) / torch.where(defined, denominator, 1.0), 0.0)


def subset_masks(
    rng: np.random.Generator, batch: int, runs: int, shape: tuple[int, ...], fraction: float
) -> torch.Tensor:
    """(batch, runs, *shape) booleans: per run, a uniform random `fraction` of the elements."""
    n = int(np.prod(shape))
    k = min(n, max(1, round(fraction * n)))
    chosen = np.argpartition(rng.random((batch, runs, n)), k - 1, axis=2)[:, :, :k]
    masks = np.zeros((batch, runs, n), dtype=bool)
    np.put_along_axis(masks, chosen, True, axis=2)
    return torch.from_numpy(masks.reshape(batch, runs, *shape))


def faithfulness_correlations(
    model: nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor | None,
    attributions: torch.Tensor,
    baseline: torch.Tensor,
    masks: torch.Tensor,
) -> torch.Tensor:
    """Per sample, Pearson r over runs of (output drop on removing a subset, attribution sum on it)."""
    batch, runs = masks.shape[:2]
    perturbed = torch.where(masks, baseline, inputs[:, None]).reshape(
        batch * runs, *inputs.shape[1:]
    )
    drops = model_output(model, inputs, targets)[:, None] - model_output(
        model, perturbed, repeated(targets, runs)
    ).reshape(batch, runs)
    sums = (attributions[:, None] * masks).reshape(batch, runs, -1).sum(dim=2)
    return rowwise_pearson(drops, sums)


class FaithfulnessCorrelationOptions(ScoreOptions):
    """score.options.faithfulness_correlation."""

    runs: int = Field(50, ge=2)  # random subsets per sample
    subset: float = Field(0.1, gt=0, lt=1)  # each this share of the inputs


class FaithfulnessCorrelation(Score):
    options_model = FaithfulnessCorrelationOptions
    options: FaithfulnessCorrelationOptions

    name = "faithfulness_correlation"
    description = (
        "mean over samples of the Pearson correlation, over `runs` random subsets of "
        "`subset` of the inputs replaced by the baseline, between the drop in the explained "
        "output and the subset's attribution sum (0 where undefined)"
    )
    category = "faithfulness"
    higher_is_better = True
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        options = self.options
        assert given.model is not None and given.attributions is not None
        runs = options.runs
        fraction = options.subset
        rng = np.random.default_rng(given.seed)
        inputs = torch.as_tensor(given.inputs, dtype=torch.float32)
        attributions = torch.as_tensor(given.attributions, dtype=torch.float32)
        baseline = torch.as_tensor(given.baseline, dtype=torch.float32)
        targets = explained_targets(given.model, given.inputs, given.targets)
        correlations = torch.cat(
            [
                faithfulness_correlations(
                    given.model,
                    inputs[part],
                    take(targets, part),
                    attributions[part],
                    baseline,
                    subset_masks(rng, len(inputs[part]), runs, tuple(inputs.shape[1:]), fraction),
                )
                for part in batch_slices(len(inputs))
            ]
        ).numpy()
        return ScoreValue(
            float(correlations.mean()),
            {f"{self.name}_median": float(np.median(correlations))},
        )
