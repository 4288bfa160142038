import numpy as np
import pytest
import torch
from torch import nn

from gaitops.models.components.scaling import MinMaxScale
from gaitops.models.components.standardise import Standardise
from gaitops.scoring.base import ScoreInputs
from gaitops.scoring.counterfactual import (
    GenerationTime,
    Plausibility,
    Proximity,
    Sparsity,
    Validity,
)


class SignOfChannelOne(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        score = x[:, 1].mean(dim=1)
        return torch.stack([-score, score], dim=1)


class SignOfFeatureZero(nn.Module):
    """After min-max scaling to [0, 1]: class 1 above the middle of feature 0."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        score = x[:, 0] - 0.5
        return torch.stack([-score, score], dim=1)


@pytest.fixture(scope="module")
def curves_case() -> tuple[nn.Sequential, np.ndarray]:
    rng = np.random.default_rng(0)
    reference = rng.normal(0, 1, (30, 3, 21)).astype(np.float32)
    model = nn.Sequential(Standardise.fit(torch.from_numpy(reference)), SignOfChannelOne())
    x = rng.normal(0, 1, (8, 3, 21)).astype(np.float32)
    return model, x


def given(model: nn.Module, x: np.ndarray, examples: np.ndarray, **extra) -> ScoreInputs:
    return ScoreInputs(
        inputs=x,
        targets=np.zeros(len(x), dtype=np.int64),
        attributions=examples - x,
        baseline=np.zeros_like(x[0]),
        model=model,
        examples=examples,
        **extra,
    )


def flipped_on_channel_one(model: nn.Sequential, x: np.ndarray) -> np.ndarray:
    """Channel 1 moved to 3 standardised units past zero, against its sign: every prediction flips."""
    mean = model[0](torch.from_numpy(x)).detach().numpy()[:, 1].mean(axis=1, keepdims=True)
    examples = x.copy()
    examples[:, 1] -= np.sign(mean) * (3.0 + np.abs(mean)) * model[0].scale[1].item()
    return examples


def test_an_unchanged_input_is_no_counterfactual(curves_case):
    model, x = curves_case
    scores = given(model, x, x.copy())
    assert Validity().evaluate(scores).value == 0.0
    assert Proximity().evaluate(scores).value == 0.0
    sparsity = Sparsity().evaluate(scores)
    assert sparsity.value == 0.0 and sparsity.details["channels_changed"] == 0.0


def test_a_flipped_channel_is_valid_at_its_distance(curves_case):
    model, x = curves_case
    examples = flipped_on_channel_one(model, x)
    scores = given(model, x, examples)
    assert Validity().evaluate(scores).value == 1.0
    shift = np.abs(model[0](torch.from_numpy(examples)) - model[0](torch.from_numpy(x)))
    proximity = Proximity().evaluate(scores)
    assert proximity.value == pytest.approx(float(shift.mean()), rel=1e-5)
    assert proximity.value > 1.0  # at least 3 units on one channel of three
    assert proximity.details["l2"] >= proximity.value
    sparsity = Sparsity().evaluate(scores)
    assert sparsity.value == pytest.approx(1 / 3)
    assert sparsity.details["channels_changed"] == 1.0


def test_plausibility_prefers_counterfactuals_among_their_class():
    reference = np.array([[-1, 0], [-0.2, 5], [1, 0], [0.2, -5]], dtype=np.float32)
    labels = np.array([0, 0, 1, 1])
    model = nn.Sequential(MinMaxScale.fit(torch.from_numpy(reference)), SignOfFeatureZero())
    x = np.array([[-0.9, 0.0], [-0.9, 4.0]], dtype=np.float32)
    among_class_one = np.array([[0.9, 0.0], [0.3, -4.0]], dtype=np.float32)
    among_class_zero = np.array([[0.05, 5.0], [0.1, 4.5]], dtype=np.float32)
    score = Plausibility()
    good = given(model, x, among_class_one, reference_inputs=reference, reference_targets=labels)
    bad = given(model, x, among_class_zero, reference_inputs=reference, reference_targets=labels)
    assert Validity().evaluate(bad).value == 1.0  # both flip, only one is plausible
    assert score.evaluate(good).value == 1.0 and score.evaluate(bad).value == 0.0
    with pytest.raises(ValueError, match="reference_inputs"):
        score.evaluate(given(model, x, among_class_one))


def test_generation_time_runs_the_method_again_and_times_it(monkeypatch):
    x = np.zeros((4, 3), dtype=np.float32)
    calls = []

    def explain(model, inputs, targets):
        calls.append(len(inputs))
        return inputs

    clock = iter([10.0, 18.0])  # the run again takes 8 s for 4 samples
    monkeypatch.setattr("gaitops.scoring.counterfactual.time.perf_counter", lambda: next(clock))
    model = nn.Linear(3, 2)
    assert GenerationTime().evaluate(given(model, x, x, explain=explain)).value == 2.0
    assert calls == [4]
    with pytest.raises(ValueError, match="explain"):
        GenerationTime().evaluate(given(model, x, x))
