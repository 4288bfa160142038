import numpy as np
import optuna
import pytest

from gaitops.tuning.objective import suggest
from gaitops.tuning.samplers.linucb import LinUCBSampler, action_features
from gaitops.tuning.space import level_grid, search_space

optuna.logging.set_verbosity(optuna.logging.WARNING)


def _grid(levels: int = 9):
    return level_grid("toy", "toy", {"a": tuple(range(levels)), "b": tuple(range(levels))})


def _loss(params: dict) -> float:  # a separable bowl, best at (6, 2)
    return (params["a"] - 6) ** 2 + 2 * (params["b"] - 2) ** 2


def _study(sampler: optuna.samplers.BaseSampler, space, n: int) -> optuna.Study:
    study = optuna.create_study(sampler=sampler, direction="minimize")
    for _ in range(n):
        trial = study.ask()
        params = {k: suggest(trial, k, d) for k, d in space.distributions.items()}
        study.tell(trial, _loss(params))
    return study


def test_features_hold_one_hot_levels_scaled_indices_and_pairwise_products():
    space = _grid(3)
    features = action_features(space)
    assert features.shape == (9, 1 + 2 * (3 + 2) + 1)
    last = features[space.action_of({"a": 2, "b": 1})]
    # bias, one-hot a, t_a, t_a^2, one-hot b, t_b, t_b^2, t_a * t_b
    assert last.tolist() == [1, 0, 0, 1, 1.0, 1.0, 0, 1, 0, 0.5, 0.25, 0.5]


def test_linucb_finds_a_bowls_minimum_in_a_fraction_of_the_grid_and_random_does_not():
    space = _grid()
    found = [_study(LinUCBSampler(space, seed), space, 20).best_value for seed in range(5)]
    drawn = [_study(optuna.samplers.RandomSampler(seed), space, 20).best_value for seed in range(5)]
    assert np.mean(found) <= 1.0 and min(found) == 0.0
    assert np.mean(drawn) > 2 * np.mean(found)


def test_linucb_is_reproducible_by_seed():
    space = _grid()
    runs = [[t.params for t in _study(LinUCBSampler(space, s), space, 8).trials] for s in (3, 3, 4)]
    assert runs[0] == runs[1] and runs[0][0] != runs[2][0]


def test_linucb_refuses_a_continuous_space():
    with pytest.raises(ValueError, match="finite space"):
        LinUCBSampler(search_space("mixed", "mlp", "linucb"))
