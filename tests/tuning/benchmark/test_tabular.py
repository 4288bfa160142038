import itertools

import numpy as np
import pandas as pd
import pytest

from gaitops.tuning.benchmark.tabular import TabularProblem, expected_minimum
from gaitops.tuning.space import level_grid


def _problem(trials: int = 3) -> TabularProblem:
    space = level_grid("toy", "toy", {"a": (0, 1, 2), "b": (0, 1)})
    rng = np.random.default_rng(0)
    losses = rng.random((6, 2, 4)) + np.arange(6)[:, None, None]
    losses[5, 1] = np.nan  # a diverged run
    return TabularProblem("toy", space, losses, np.zeros_like(losses), np.ones((6, 2)), trials)


def test_expected_minimum_is_exact_against_enumerating_every_draw():
    values = np.array([3.0, 1.0, 4.0, 1.5, 9.0])
    for draws in (1, 2, 3):
        every = [min(c) for c in itertools.product(values, repeat=draws)]
        assert expected_minimum(values, draws) == pytest.approx(np.mean(every))


def test_regret_is_zero_at_the_optimum_and_one_at_randoms_expectation():
    problem = _problem()
    assert problem.regret(problem.optimum) == 0.0
    assert problem.regret(problem.random_expected_best(3)) == pytest.approx(1.0)
    assert problem.regret(problem.random_expected_best(5), trials=5) == pytest.approx(1.0)


def test_a_run_that_never_had_a_finite_loss_counts_as_the_worst_value():
    problem = _problem()
    finite = problem.losses[np.isfinite(problem.losses)]
    assert problem.value(5, 1) == finite.max()
    assert problem.best_epoch(5, 1) == 3


def test_the_shuffled_control_keeps_every_curve_but_not_which_configuration_had_it():
    problem = _problem()
    shuffled = problem.shuffled(seed=1)
    assert shuffled.kind == "negative_control"
    assert sorted(map(tuple, np.nan_to_num(shuffled.losses.reshape(6, -1)))) == sorted(
        map(tuple, np.nan_to_num(problem.losses.reshape(6, -1)))
    )
    assert not np.array_equal(np.nan_to_num(shuffled.losses), np.nan_to_num(problem.losses))


def test_a_fresh_permutation_per_seed_makes_any_fixed_choice_random_search_on_average():
    problem = _problem(trials=2)
    assert problem.permuted(3).optimum == problem.optimum
    assert problem.permuted(3).random_expected_best(2) == problem.random_expected_best(2)
    # always the first two configurations with training seeds 0 and 1: exactly random's best of
    # two distinct configurations, which is no worse than random's expectation (with repeats)
    bests = [
        min(problem.permuted(seed).value(0, 0), problem.permuted(seed).value(1, 1))
        for seed in range(4000)
    ]
    regret = np.mean([problem.regret(b) for b in bests])
    assert 0.85 < regret < 1.0


def test_from_frame_reads_a_table_and_refuses_a_short_one():
    problem = _problem()
    rows = [
        (c, s, e, problem.losses[c, s, e], 0.5, 0.1, 0.2)
        for c in range(6)
        for s in range(2)
        for e in range(4)
    ]
    columns = [
        "configuration",
        "training_seed",
        "epoch",
        "validation_loss",
        "metric",
        "information",
        "seconds",
    ]
    frame = pd.DataFrame(rows, columns=columns).sample(frac=1.0, random_state=0)
    read = TabularProblem.from_frame("toy", frame, problem.space, 3)
    assert np.array_equal(np.nan_to_num(read.losses), np.nan_to_num(problem.losses))
    with pytest.raises(ValueError, match="not 6 configurations"):
        TabularProblem.from_frame("toy", frame.iloc[1:], problem.space, 3)
