"""Fidelity: does removing what the explanation ranks highest hurt the model more than the rest?"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from pydantic import Field
from torch import nn

from gaitops.scoring.base import Score, ScoreInputs, ScoreOptions, ScoreValue, model_accuracy


@dataclass(frozen=True)
class FidelityResult:
    accuracy: float
    accuracy_without_top: float
    accuracy_without_bottom: float

    @property
    def fidelity(self) -> float:
        """(drop when the top channels go) - (drop when the bottom channels go); higher = more faithful."""
        return (self.accuracy - self.accuracy_without_top) - (
            self.accuracy - self.accuracy_without_bottom
        )


def channel_ranking(attributions: np.ndarray) -> np.ndarray:
    """Per sample, channel indices from most to least attributed (sum of |attribution| over time)."""
    return np.argsort(-np.abs(attributions).sum(axis=2), axis=1, kind="stable")


def _remove_channels(x: np.ndarray, baseline: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Replace each sample's chosen channels by the baseline curve (the model's 'nothing')."""
    out = x.copy()
    rows = np.arange(len(x))[:, None]
    out[rows, chosen] = baseline[chosen]
    return out


def channel_fidelity(
    model: nn.Module,
    x: np.ndarray,
    y: np.ndarray,
    attributions: np.ndarray,
    baseline: np.ndarray,
    fraction: float,
) -> FidelityResult:
    """Accuracy with all channels, without each sample's top `fraction`, and without its bottom one."""
    ranking = channel_ranking(attributions)
    n_removed = max(1, round(fraction * x.shape[1]))
    return FidelityResult(
        accuracy=model_accuracy(model, x, y),
        accuracy_without_top=model_accuracy(
            model, _remove_channels(x, baseline, ranking[:, :n_removed]), y
        ),
        accuracy_without_bottom=model_accuracy(
            model, _remove_channels(x, baseline, ranking[:, -n_removed:]), y
        ),
    )


class FidelityOptions(ScoreOptions):
    """score.options.fidelity."""

    fraction: float = Field(0.5, gt=0, lt=1)  # share of the channels replaced by the baseline


class ChannelFidelity(Score):
    options_model = FidelityOptions
    options: FidelityOptions

    name = "fidelity"
    description = (
        "accuracy drop removing each sample's top-ranked channels minus the drop removing its "
        "bottom-ranked (`fraction` of the channels, replaced by the baseline)"
    )
    category = "faithfulness"
    higher_is_better = True
    input_kinds = frozenset({"curves"})
    objectives = frozenset({"classification"})

    def evaluate(self, given: ScoreInputs) -> ScoreValue:
        options = self.options
        assert given.model is not None
        result = channel_fidelity(
            given.model,
            given.inputs,
            given.targets,
            given.attributions,
            given.baseline,
            options.fraction,
        )
        return ScoreValue(result.fidelity, asdict(result))
