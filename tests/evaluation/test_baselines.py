"""The model beside its baselines: paired differences, their interval and the verdict."""

from __future__ import annotations

import numpy as np
import pytest

from gaitops.evaluation.baselines import compare_with_baselines, paired_difference, verdict_line
from gaitops.tasks import TASKS

GROUPS = TASKS["group_classification"]


def test_paired_difference_is_the_mean_of_per_fold_differences_with_a_t_interval():
    found = paired_difference([0.9, 0.8, 0.7, 0.9, 1.0], [0.8, 0.8, 0.6, 0.7, 0.9])
    differences = np.array([0.1, 0.0, 0.1, 0.2, 0.1])
    assert found["mean"] == pytest.approx(differences.mean())
    half = 2.776445 * differences.std(ddof=1) / np.sqrt(5)  # t(0.975, 4 df)
    assert found["ci95"] == pytest.approx(
        [differences.mean() - half, differences.mean() + half], abs=1e-5
    )
    assert found["per_fold"] == pytest.approx(differences.tolist())


def test_one_fold_has_no_interval():
    assert paired_difference([0.5], [0.7])["ci95"] is None


def test_a_better_baseline_is_named_in_the_verdict():
    found = compare_with_baselines(
        GROUPS,
        "resnet1d",
        [0.5, 0.6, 0.55],
        {"linear": [0.8, 0.9, 0.85], "minirocket": [0.9, 1.0, 0.95]},
    )
    assert found["best_baseline"] == "minirocket"
    assert found["verdict"] == "a baseline is better: minirocket"
    assert found["difference_to_best"]["significant"]
    assert "a baseline is better: minirocket" in verdict_line(found)


def test_a_model_above_every_baseline_beats_them_and_says_what_it_could_detect():
    found = compare_with_baselines(
        GROUPS, "resnet1d", [0.9, 0.8, 0.95], {"linear": [0.85, 0.8, 0.9]}
    )
    assert found["verdict"] == "beats its baselines"
    assert not found["difference_to_best"]["significant"]  # +0.033 over 3 noisy folds
    assert found["detectable"].startswith("differences smaller than ±")


def test_lower_is_better_metrics_pick_the_lowest_baseline():
    lower = GROUPS.__class__(**{**GROUPS.__dict__, "higher_is_better": False})
    found = compare_with_baselines(lower, "m", [0.3, 0.3], {"a": [0.2, 0.2], "b": [0.5, 0.5]})
    assert found["best_baseline"] == "a" and found["verdict"] == "a baseline is better: a"
