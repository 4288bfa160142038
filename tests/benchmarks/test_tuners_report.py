"""The tuner report's negative-control test (benchmarks/_tuners_report.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from _tuners_report import non_superiority


def test_an_arm_no_better_than_random_is_shown_free_of_gain():
    rng = np.random.default_rng(0)
    assert non_superiority(rng.normal(1.05, 0.4, 200)) < 0.001  # repeats: a little worse


def test_an_arm_that_gains_is_not_shown_free_of_gain():
    rng = np.random.default_rng(0)
    assert non_superiority(rng.normal(0.8, 0.4, 200)) > 0.5
    assert non_superiority(rng.normal(0.9, 0.4, 200)) > 0.05  # a gain of exactly the margin


def test_too_few_seeds_cannot_show_it():
    assert non_superiority(np.array([1.2, 0.6, 1.1])) > 0.05
    assert non_superiority(np.ones(5)) == 0.0 and non_superiority(np.full(5, 0.5)) == 1.0
