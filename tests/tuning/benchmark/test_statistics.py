import math

import numpy as np
import pytest

from gaitops.tuning.benchmark.statistics import (
    a12,
    compare_with_random,
    critical_difference,
    holm,
    minimum_detectable_effect,
    tost,
    wilcoxon_less,
)


def test_holm_adjusts_in_order_and_stays_monotone():
    assert holm({"a": 0.01, "b": 0.04, "c": 0.03}) == pytest.approx(
        {"a": 0.03, "c": 0.06, "b": 0.06}
    )


def test_wilcoxon_finds_a_clear_paired_shift_and_not_its_absence():
    rng = np.random.default_rng(0)
    base = rng.random(40)
    assert wilcoxon_less(base - 0.2, base + 0.01 * rng.standard_normal(40)) < 1e-6
    assert wilcoxon_less(base, base) == 1.0
    assert wilcoxon_less(base + 0.2, base) > 0.99


def test_a12_is_the_probability_of_a_lower_regret():
    assert a12(np.array([0.0, 0.0]), np.array([1.0, 1.0])) == 1.0
    assert a12(np.array([1.0]), np.array([1.0])) == 0.5
    assert a12(np.array([2.0, 0.0]), np.array([1.0])) == 0.5


def test_tost_declares_equivalence_only_inside_the_margin():
    rng = np.random.default_rng(1)
    assert tost(0.02 * rng.standard_normal(100)) < 0.05
    assert tost(0.3 + 0.02 * rng.standard_normal(100)) > 0.5
    assert tost(rng.standard_normal(5)) > 0.05  # too few, too noisy: not shown equivalent


def test_minimum_detectable_effect_shrinks_with_the_square_root_of_the_seeds():
    small, large = (minimum_detectable_effect(0.5, n, 0.05 / 8) for n in (25, 100))
    assert small == pytest.approx(2 * large)
    z = 2.4977 + 0.8416  # one-sided 0.05 / 8, power 0.8
    assert large == pytest.approx(z * 0.5 / 10 * math.sqrt(math.pi / 3), rel=1e-3)


def test_nemenyi_critical_difference_matches_demsars_table():
    # Demsar (2006), Table 5(a): q_0.05 for k = 4 is 2.569
    assert critical_difference(4, 10) == pytest.approx(2.569 * math.sqrt(4 * 5 / 60), rel=1e-3)


def test_comparisons_pair_a_shorter_arm_with_randoms_first_seeds():
    regrets = {"random": np.ones(10), "gp": np.zeros(4), "tpe": np.full(10, 0.5)}
    distinct = {k: np.ones(len(v)) for k, v in regrets.items()}
    rows = {
        c.arm: c
        for c in compare_with_random(regrets, distinct, dict.fromkeys(regrets, 1.0), ["gp", "tpe"])
    }
    assert rows["gp"].seeds == 4 and rows["gp"].difference_mean == -1.0
    assert rows["tpe"].p_holm <= 2 * rows["tpe"].p and rows["tpe"].a12 == 1.0
    assert not rows["tpe"].equivalent
