from __future__ import annotations

import numpy as np
import pytest
import torch
from captum.attr import Saliency
from captum.metrics import infidelity, sensitivity_max
from torch import nn

from gaitops.models.components.scaling import MinMaxScale
from gaitops.models.components.standardise import Standardise
from gaitops.scoring.base import ScoreInputs
from gaitops.scoring.faithfulness_correlation import FaithfulnessCorrelation
from gaitops.scoring.infidelity import Infidelity, gaussian_perturbations
from gaitops.scoring.perturbation import BATCH_SIZE
from gaitops.scoring.randomisation import ModelRandomisation, randomised_model
from gaitops.scoring.sensitivity import LocalLipschitz, MaxSensitivity, uniform_perturbations

CHANNELS, TIME = 3, 11


def curve_model(outputs: int, hidden: int = 0, scale: float = 2.0, seed: int = 0) -> nn.Sequential:
    """Standardise (mean curve 1, sd `scale`) then a linear network, or one tanh hidden layer."""
    torch.manual_seed(seed)
    size = CHANNELS * TIME
    layers: list[nn.Module] = [nn.Flatten()]
    if hidden:
        layers += [nn.Linear(size, hidden), nn.Tanh(), nn.Linear(hidden, outputs)]
    else:
        layers += [nn.Linear(size, outputs)]
    scaler = Standardise(torch.ones(CHANNELS, TIME), torch.full((CHANNELS,), scale))
    return nn.Sequential(scaler, nn.Sequential(*layers)).eval()


def curves(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(1.0, 2.0, (n, CHANNELS, TIME)).astype(np.float32)


def gradient_times_input(
    model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor | None, baseline: torch.Tensor
) -> torch.Tensor:
    x = inputs.clone().requires_grad_(True)
    output = model(x)
    chosen = output.reshape(len(x)) if targets is None else output.gather(1, targets[:, None])
    (gradient,) = torch.autograd.grad(chosen.sum(), x)
    return gradient * (inputs - baseline)


def given(model, x, y, attributions, baseline=None, explain=None, seed=0) -> ScoreInputs:
    baseline = np.zeros(x.shape[1:], dtype=np.float32) if baseline is None else baseline
    return ScoreInputs(x, y, attributions, baseline, model=model, explain=explain, seed=seed)


# faithfulness correlation


def test_faithfulness_correlation_is_one_for_the_exact_linear_decomposition():
    model = curve_model(1)
    x, baseline = curves(40), np.full((CHANNELS, TIME), 1.0, dtype=np.float32)
    exact = gradient_times_input(model, torch.from_numpy(x), None, torch.from_numpy(baseline))
    noise = np.random.default_rng(1).normal(size=x.shape).astype(np.float32)
    score = FaithfulnessCorrelation()
    good = score.evaluate(given(model, x, np.zeros(40), exact.numpy(), baseline))
    bad = score.evaluate(given(model, x, np.zeros(40), noise, baseline))
    assert good.value == pytest.approx(1.0, abs=1e-4)
    assert abs(bad.value) < 0.1
    assert set(good.details) == {"faithfulness_correlation_median"}


def test_faithfulness_correlation_classification_prefers_gradient_times_input():
    model = curve_model(3, hidden=8)
    x, y = curves(30), np.arange(30) % 3
    exact = gradient_times_input(model, torch.from_numpy(x), torch.from_numpy(y), torch.zeros(1))
    score = FaithfulnessCorrelation({"runs": 30, "subset": 0.2})
    good = score.evaluate(given(model, x, y, exact.numpy())).value
    negated = score.evaluate(given(model, x, y, -exact.numpy())).value
    assert good > 0.5 and negated == pytest.approx(-good, abs=1e-6)


# infidelity


@pytest.mark.parametrize("classes", [3, 1])
def test_infidelity_matches_captum_with_the_same_draws(classes: int):
    model = curve_model(classes, hidden=6)
    n, draws, sd = BATCH_SIZE + 20, 5, 0.3
    x = curves(n)
    y = np.arange(n) % 3 if classes > 1 else np.zeros(n, dtype=np.float32)
    attributions = np.random.default_rng(2).normal(size=x.shape).astype(np.float32)
    ours = Infidelity({"samples": draws, "noise": sd}).evaluate(
        given(model, x, y, attributions, seed=3)
    )
    rng = np.random.default_rng(3)
    spread = sd * model[0].spread()
    noise = torch.cat(
        [gaussian_perturbations(rng, size, draws, spread) for size in (BATCH_SIZE, n - BATCH_SIZE)]
    ).reshape(n * draws, CHANNELS, TIME)

    def perturb(inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return noise, inputs - noise

    def forward(inputs: torch.Tensor) -> torch.Tensor:
        output = model(inputs)
        return torch.softmax(output, dim=1) if classes > 1 else output

    theirs = infidelity(
        forward,
        perturb,
        torch.from_numpy(x),
        torch.from_numpy(attributions),
        target=torch.from_numpy(y).long() if classes > 1 else None,
        n_perturb_samples=draws,
        normalize=True,
    )
    assert theirs.mean().item() > 0
    assert ours.value == pytest.approx(theirs.mean().item(), rel=1e-4)


def test_infidelity_is_zero_for_the_gradient_of_a_linear_model_and_positive_for_noise():
    model = curve_model(1)
    x = curves(20)
    gradient = (model[1][1].weight.detach() / model[0].scale[0]).reshape(1, CHANNELS, TIME)
    gradient = gradient.expand(20, -1, -1)
    noise = np.random.default_rng(0).normal(size=x.shape).astype(np.float32)
    score = Infidelity()
    good = score.evaluate(given(model, x, np.zeros(20), gradient.numpy())).value
    bad = score.evaluate(given(model, x, np.zeros(20), noise)).value
    assert not Infidelity.higher_is_better
    assert bad > 1e-3 and good < 1e-4 * bad


# max sensitivity and local Lipschitz


def test_max_sensitivity_matches_captum_with_saliency():
    model = curve_model(3, hidden=5, scale=1.5)
    n, draws, radius = 12, 4, 0.05
    x = torch.from_numpy(curves(n))
    y = torch.arange(n) % 3
    saliency = Saliency(model)

    def explain(m: nn.Module, inputs: torch.Tensor, targets: torch.Tensor | None) -> torch.Tensor:
        return Saliency(m).attribute(inputs, target=targets, abs=True)

    attributions = explain(model, x, y)
    ours = MaxSensitivity({"samples": draws, "radius": radius}).evaluate(
        given(model, x.numpy(), y.numpy(), attributions.numpy(), explain=explain, seed=5)
    )
    shifts = uniform_perturbations(
        np.random.default_rng(5), n, draws, radius * model[0].spread()
    ).reshape(n * draws, CHANNELS, TIME)

    def perturb(inputs: torch.Tensor) -> torch.Tensor:
        return inputs + shifts

    theirs = sensitivity_max(
        saliency.attribute, x, perturb_func=perturb, n_perturb_samples=draws, target=y, abs=True
    )
    assert theirs.mean().item() > 0.01
    assert ours.value == pytest.approx(theirs.mean().item(), rel=1e-4)


def test_constant_explanations_are_perfectly_robust():
    model = curve_model(3, hidden=4)
    x, y = curves(10), np.arange(10) % 3

    def constant(m: nn.Module, inputs: torch.Tensor, targets: torch.Tensor | None) -> torch.Tensor:
        return torch.ones_like(inputs)

    inputs = given(model, x, y, np.ones_like(x), explain=constant)
    assert MaxSensitivity().evaluate(inputs).value == 0.0
    assert LocalLipschitz().evaluate(inputs).value == 0.0


def test_local_lipschitz_of_gradient_times_input_is_the_weight():
    """A linear model with every weight c: expl(x') - expl(x) = c (x' - x), so the estimate is |c|."""
    model = nn.Sequential(MinMaxScale.identity(6), nn.Linear(6, 1)).eval()
    with torch.no_grad():
        model[1].weight.fill_(-0.7)
    x = np.random.default_rng(0).uniform(size=(15, 6)).astype(np.float32)

    def explain(m: nn.Module, inputs: torch.Tensor, targets: torch.Tensor | None) -> torch.Tensor:
        return gradient_times_input(m, inputs, targets, torch.zeros(1))

    attributions = explain(model, torch.from_numpy(x), None).numpy()
    inputs = given(model, x, np.zeros(15), attributions, explain=explain)
    assert LocalLipschitz().evaluate(inputs).value == pytest.approx(0.7, rel=1e-4)
    sensitivity = MaxSensitivity().evaluate(inputs).value
    assert 0 < sensitivity < 0.2


# model randomisation


def test_randomised_model_keeps_the_scaler_and_is_seeded():
    model = curve_model(3, hidden=4)
    before = [p.clone() for p in model.parameters()]
    torch.manual_seed(123)
    first = randomised_model(model, seed=9)
    torch.manual_seed(456)
    second = randomised_model(model, seed=9)
    assert all(torch.equal(p, q) for p, q in zip(before, model.parameters(), strict=True))
    assert torch.equal(first[0].mean_curve, model[0].mean_curve)
    assert torch.equal(first[0].scale, model[0].scale)
    for p, q, r in zip(
        model[1].parameters(), first[1].parameters(), second[1].parameters(), strict=True
    ):
        assert not torch.equal(p, q) and torch.equal(q, r)


def test_model_randomisation_separates_model_blind_from_model_based_explanations():
    model = curve_model(3, hidden=8)
    x, y = curves(30), np.arange(30) % 3

    def blind(m: nn.Module, inputs: torch.Tensor, targets: torch.Tensor | None) -> torch.Tensor:
        return inputs - 1.0

    def based(m: nn.Module, inputs: torch.Tensor, targets: torch.Tensor | None) -> torch.Tensor:
        return gradient_times_input(m, inputs, targets, torch.ones(1))

    score = ModelRandomisation()
    blind_value = score.evaluate(given(model, x, y, x - 1.0, explain=blind)).value
    attributions = based(model, torch.from_numpy(x), torch.from_numpy(y)).numpy()
    based_value = score.evaluate(given(model, x, y, attributions, explain=based)).value
    assert blind_value == pytest.approx(0.0, abs=1e-9)
    assert based_value > 0.3
