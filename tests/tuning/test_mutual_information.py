import numpy as np
import pytest
import torch
from torch import nn

from gaitops.tuning.mutual_information import penultimate, representation_information


@pytest.mark.parametrize("estimator", ["binned", "knn"])
def test_independent_representation_carries_about_no_information(estimator):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 400)
    assert representation_information(rng.normal(size=(400, 8)), y, True, estimator) < 0.03
    values = rng.normal(size=400)
    assert representation_information(rng.normal(size=(400, 4)), values, False, estimator) < 0.03


def test_a_copy_of_a_balanced_binary_target_carries_all_of_it():
    y = np.array([0, 1] * 100)
    # plug-in MI = H(Y) = ln 2 (+ Miller-Madow's 1/2n): normalised, capped at 1
    assert representation_information(y[:, None].astype(float), y, True, "binned") == 1.0
    half = np.where(np.arange(200) % 4 < 2, y, 1 - y)  # agrees with y on half the samples
    assert representation_information(half[:, None].astype(float), y, True, "binned") < 0.01


def test_information_grows_with_dependence():
    rng = np.random.default_rng(1)
    y = rng.normal(size=600)
    weak = representation_information((y + rng.normal(0, 2.0, 600))[:, None], y, False)
    strong = representation_information((y + rng.normal(0, 0.1, 600))[:, None], y, False)
    assert 0.03 < weak < strong


def test_penultimate_is_the_input_of_the_last_linear_layer():
    network = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    x = np.random.default_rng(0).normal(size=(7, 3)).astype(np.float32)
    expected = torch.relu(network[0](torch.from_numpy(x))).detach().numpy()
    assert np.allclose(penultimate(network, x), expected)
    assert network.training  # mode restored


def test_redundancy_lowers_the_information_of_units_that_repeat_each_other():
    rng = np.random.default_rng(0)
    target = rng.integers(0, 2, 400)
    signal = target + 0.5 * rng.standard_normal(400)
    repeated = np.column_stack([signal, signal + 1e-3 * rng.standard_normal(400)])
    distinct = np.column_stack([signal, target + 0.5 * rng.standard_normal(400)])
    plain = representation_information(repeated, target, True)
    assert representation_information(repeated, target, True, redundancy=True) < plain - 0.1
    assert representation_information(distinct, target, True, redundancy=True) > (
        representation_information(repeated, target, True, redundancy=True)
    )
