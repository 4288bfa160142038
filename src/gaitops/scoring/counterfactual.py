"""Scores of counterfactual explanations: validity, proximity, sparsity, plausibility, time.

Distances are measured in the model's standardised input space (its first layer, the input
scaler), so angles with a wide range do not dominate.
"""

from __future__ import annotations

import time
from typing import ClassVar

import numpy as np
import torch
from torch import nn

from gaitops.explain.baselines import input_scaler
from gaitops.scoring.base import Need, Score, ScoreInputs, ScoreValue


def _tensor(values: np.ndarray) -> torch.Tensor:
    return torch.as_tensor(np.asarray(values), dtype=torch.float32)


def predicted_class(model: nn.Module, inputs: np.ndarray) -> np.ndarray:
    """The model's predicted class per sample."""
    with torch.no_grad():
        return model(_tensor(inputs)).argmax(dim=1).numpy()


def standardised(model: nn.Module, inputs: np.ndarray) -> np.ndarray:
    """(batch, elements): inputs after the model's scaler."""
    with torch.no_grad():
        return model[0](_tensor(inputs)).reshape(len(inputs), -1).numpy()


def examples_of(given: ScoreInputs) -> np.ndarray:
    if given.examples is None:
        raise ValueError("counterfactual scores need the explainer's examples (counterfactuals)")
    return np.asarray(given.examples)


def changed_elements(given: ScoreInputs) -> np.ndarray:
    """Bool, shaped like the inputs: where the counterfactual differs from the input."""
    spread = model_spread(given.model)
    return np.abs(examples_of(given) - np.asarray(given.inputs)) > 1e-6 * spread


def model_spread(model: nn.Module) -> np.ndarray:
    """A typical deviation per input element, from the model's scaler."""
    return input_scaler(model).spread().detach().numpy()


class CounterfactualScore(Score):
    """Shared declarations of the counterfactual scores."""

    category = "counterfactual"
    input_kinds = frozenset({"curves", "tabular"})
    objectives = frozenset({"classification"})
    needs = frozenset({"examples"})


class Validity(CounterfactualScore):
    name = "cf_validity"
    description = "share of counterfactuals predicted as a different class than the input"
    higher_is_better = True

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        flipped = predicted_class(given.model, examples_of(given)) != predicted_class(
            given.model, given.inputs
        )
        return ScoreValue(float(flipped.mean()))


class Proximity(CounterfactualScore):
    name = "cf_proximity"
    description = "mean L1 distance per input element, counterfactual to input, standardised space"
    higher_is_better = False

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        """Details ``l2``: mean root-mean-square distance per element, same space."""
        delta = standardised(given.model, examples_of(given)) - standardised(
            given.model, given.inputs
        )
        l1 = np.abs(delta).mean(axis=1)
        l2 = np.sqrt((delta**2).mean(axis=1))
        return ScoreValue(float(l1.mean()), {"l2": float(l2.mean())})


class Sparsity(CounterfactualScore):
    name = "cf_sparsity"
    description = "mean share of input elements the counterfactual changes"
    higher_is_better = False

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        """For curves, details ``channels_changed``: mean count of channels with any change."""
        changed = changed_elements(given)
        share = changed.reshape(len(changed), -1).mean(axis=1)
        details = {}
        if changed.ndim == 3:
            details["channels_changed"] = float(changed.any(axis=2).sum(axis=1).mean())
        return ScoreValue(float(share.mean()), details)


class Plausibility(CounterfactualScore):
    name = "cf_plausibility"
    description = (
        "share of counterfactuals whose nearest training sample (standardised space) "
        "is labelled with the counterfactual's predicted class"
    )
    higher_is_better = True

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        if given.reference_inputs is None or given.reference_targets is None:
            raise ValueError(
                "cf_plausibility needs the fold's training part (reference_inputs and "
                "reference_targets)"
            )
        examples = examples_of(given)
        distances = torch.cdist(
            torch.from_numpy(standardised(given.model, examples)),
            torch.from_numpy(standardised(given.model, given.reference_inputs)),
        )
        labels = np.asarray(given.reference_targets).reshape(-1)[distances.argmin(dim=1).numpy()]
        return ScoreValue(float((labels == predicted_class(given.model, examples)).mean()))


class GenerationTime(CounterfactualScore):
    """Wall time, so not deterministic and not in the default list: the method is run again on
    the fold's samples scored this way (at most score.max_samples_per_fold) and timed; the stored
    explanations carry no timing, so that their bytes depend on the params and data alone."""

    name = "cf_seconds"
    description = "mean wall time per counterfactual (seconds), the method run again"
    higher_is_better = False
    needs: ClassVar[frozenset[Need]] = frozenset({"examples", "explain"})

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        if given.model is None or given.explain is None:
            raise ValueError("cf_seconds runs the method again: it needs the model and explain")
        inputs = torch.as_tensor(given.inputs, dtype=torch.float32)
        targets = torch.as_tensor(np.asarray(given.targets), dtype=torch.long)
        start = time.perf_counter()
        given.explain(given.model, inputs, targets)
        return ScoreValue((time.perf_counter() - start) / max(1, len(inputs)))
