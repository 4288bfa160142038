"""gaitops' scores against Quantus 0.6, the reference implementation, on small curve data.

Quantus is a test-only dependency (GPL-3; installed by `make install` for the tests, never imported
by gaitops). Sparseness is deterministic and must match exactly; the sampled scores use different
random draws, so their means over samples must agree within the sampling error.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from gaitops.scoring.faithfulness_correlation import FaithfulnessCorrelation
from gaitops.scoring.sensitivity import LocalLipschitz, MaxSensitivity
from gaitops.scoring.sparseness import Sparseness

from .test_perturbation_scores import curve_model, curves, given, gradient_times_input

quantus = pytest.importorskip("quantus", reason="Quantus is a test-only dependency")

pytestmark = pytest.mark.filterwarnings("ignore")


def saliency(model, inputs, targets) -> torch.Tensor:
    """Signed gradient of the explained logit: a nonlinear explanation for the robustness scores."""
    x = torch.as_tensor(inputs, dtype=torch.float32).clone().requires_grad_(True)
    chosen = model(x).gather(1, torch.as_tensor(targets).reshape(-1, 1).long())
    (gradient,) = torch.autograd.grad(chosen.sum(), x)
    return gradient


def quantus_saliency(model, inputs, targets, **_: object) -> np.ndarray:
    return saliency(model, inputs, targets).numpy()


@pytest.fixture
def classified() -> tuple[torch.nn.Module, np.ndarray, np.ndarray, np.ndarray]:
    model = curve_model(3, hidden=8, scale=1.0)
    x, y = curves(20), np.arange(20) % 3
    a = gradient_times_input(model, torch.from_numpy(x), torch.from_numpy(y), torch.zeros(1))
    return model, x, y, a.numpy()


def run_quantus(metric, model, x, y, a, seed: int = 0, **call) -> np.ndarray:
    np.random.seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = metric(model=model, x_batch=x, y_batch=y, a_batch=a, device="cpu", **call)
    return np.asarray(scores, dtype=float)


def test_sparseness_matches_quantus_exactly(classified):
    model, x, y, a = classified
    reference = run_quantus(quantus.Sparseness(disable_warnings=True), model, x, y, a)
    ours = Sparseness().evaluate(given(model, x, y, a)).value
    assert ours == pytest.approx(reference.mean(), abs=1e-5)


def test_faithfulness_correlation_agrees_with_quantus(classified):
    model, x, y, a = classified
    fraction = 0.2
    metric = quantus.FaithfulnessCorrelation(
        nr_runs=600,
        subset_size=round(fraction * a[0].size),
        perturb_baseline=0.0,
        normalise=False,
        abs=False,
        return_aggregate=False,
        disable_warnings=True,
    )
    reference = run_quantus(metric, model, x, y, a, softmax=True)
    ours = FaithfulnessCorrelation({"runs": 600, "subset": fraction}).evaluate(
        given(model, x, y, a)
    )
    assert reference.mean() > 0.4
    assert ours.value == pytest.approx(reference.mean(), abs=0.03)


@pytest.mark.parametrize(
    ("ours", "reference"),
    [(MaxSensitivity, quantus.MaxSensitivity), (LocalLipschitz, quantus.LocalLipschitzEstimate)],
)
def test_perturbed_explanation_scores_agree_with_quantus(classified, ours, reference):
    """Same uniform noise (radius 0.3 in the model's standardised units, here raw units)."""
    model, x, y, _ = classified
    a = saliency(model, x, y).numpy()
    radius, draws = 0.3, 200
    metric = reference(
        nr_samples=draws,
        perturb_func=quantus.functions.perturb_func.batch_uniform_noise,
        perturb_func_kwargs={"lower_bound": radius},
        normalise=False,
        abs=False,
        disable_warnings=True,
    )
    expected = run_quantus(metric, model, x, y, a, explain_func=quantus_saliency).mean()
    value = ours({"samples": draws, "radius": radius}).evaluate(
        given(model, x, y, a, explain=saliency)
    )
    assert expected > 0
    assert value.value == pytest.approx(expected, rel=0.1)
