"""Model randomisation (Adebayo et al. 2018): do explanations change when the model's weights are
re-initialised? An explanation that stays the same cannot be explaining what the model learnt."""

from __future__ import annotations

import copy
from typing import ClassVar

import numpy as np
import torch
from scipy.stats import rankdata
from torch import nn

from gaitops.scoring.base import Need, Score, ScoreInputs, ScoreValue
from gaitops.scoring.perturbation import batch_slices, explained_targets, take


def randomised_model(model: nn.Sequential, seed: int) -> nn.Sequential:
    """A copy of `model` whose network part (model[1]) is re-initialised; the input scaler is kept.

    Each module's own ``reset_parameters`` draws the new weights; parameters of modules without
    one are shuffled in place instead. The torch seed is derived from `seed`, so that a model
    built right after ``torch.manual_seed(seed)`` does not get its own weights back."""
    copied = copy.deepcopy(model)
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(int(np.random.SeedSequence(seed).generate_state(1)[0]))
        for module in copied[1].modules():
            reset = getattr(module, "reset_parameters", None)
            if callable(reset):
                reset()
                continue
            for parameter in module.parameters(recurse=False):
                order = torch.randperm(parameter.numel())
                parameter.copy_(parameter.reshape(-1)[order].reshape(parameter.shape))
    return copied


def rank_correlations(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Per sample, Spearman correlation of |first| with |second| over all elements.

    Identical explanations count 1; an undefined correlation (a constant explanation) otherwise 0."""
    a = np.abs(first.reshape(len(first), -1)).astype(np.float64)
    b = np.abs(second.reshape(len(second), -1)).astype(np.float64)
    ra = rankdata(a, axis=1)
    rb = rankdata(b, axis=1)
    ra -= ra.mean(axis=1, keepdims=True)
    rb -= rb.mean(axis=1, keepdims=True)
    denominator = np.sqrt((ra**2).sum(axis=1) * (rb**2).sum(axis=1))
    defined = denominator > 0
    correlations = np.where(
        defined, (ra * rb).sum(axis=1) / np.where(defined, denominator, 1.0), 0.0
    )
    return np.where(np.all(a == b, axis=1), 1.0, correlations)


class ModelRandomisation(Score):
    name = "model_randomisation"
    description = (
        "1 - mean over samples of the Spearman correlation between |attributions| of the model and "
        "of the same explainer on a copy with re-initialised network weights (score.seed)"
    )
    category = "randomisation"
    higher_is_better = True
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification", "regression"})
    needs: ClassVar[frozenset[Need]] = frozenset({"attributions", "explain"})
    needs_weights = True

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        assert given.model is not None and given.explain is not None
        assert given.attributions is not None
        assert isinstance(given.model, nn.Sequential)
        random_model = randomised_model(given.model, given.seed)
        inputs = torch.as_tensor(given.inputs, dtype=torch.float32)
        targets = explained_targets(given.model, given.inputs, given.targets)
        again = np.concatenate(
            [
                given.explain(random_model, inputs[part], take(targets, part))
                .detach()
                .float()
                .numpy()
                for part in batch_slices(len(inputs))
            ]
        )
        correlations = rank_correlations(np.asarray(given.attributions), again)
        return ScoreValue(
            float(1.0 - correlations.mean()),
            {f"{self.name}_mean_rank_correlation": float(correlations.mean())},
        )
