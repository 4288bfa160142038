import numpy as np
import pytest
import torch

from gaitops.data.cycles import build_cycles
from gaitops.data.splits import Fold, subject_kfold
from gaitops.models.estimate import (
    FitCost,
    ModelEstimate,
    TrainingEstimate,
    calibration_order,
    duration,
    epoch_cost,
    estimate_training,
    planned_seconds,
)
from gaitops.models.registry import model_options


def test_planned_seconds_sums_each_fold_and_the_final_fit():
    cost = FitCost(fixed=2.0, per_sample_epoch=0.01)
    folds = [
        Fold(0, np.arange(80), np.arange(80, 100)),
        Fold(1, np.arange(20, 100), np.arange(20)),
    ]
    per_fold = 2.0 + 0.01 * 80 * 10 + 0.01 * 20  # fit 80 samples x 10 epochs, predict 20
    final = 2.0 + 0.01 * 100 * 10
    assert planned_seconds(cost, folds, 100, 10, with_final=False) == pytest.approx(2 * per_fold)
    assert planned_seconds(cost, folds, 100, 10, with_final=True) == pytest.approx(
        2 * per_fold + final
    )


def test_per_epoch_overhead_is_not_charged_per_sample():
    """Timings of a fit costing 1 s + 0.5 s per epoch + 1 ms per sample and epoch: measured on
    64 samples, the epoch overhead must not be spread over the samples (as it once was, which
    projected a 10-minute DFFN run onto 14.7 hours)."""

    def fit(samples: int, epochs: int) -> float:
        return 1.0 + (0.5 + 0.001 * samples) * epochs

    cost = epoch_cost(fit(64, 1), fit(64, 3), fit(256, 1), 64, 256)
    assert cost.fixed == pytest.approx(1.0)
    assert cost.per_epoch == pytest.approx(0.5)
    assert cost.per_sample_epoch == pytest.approx(0.001)
    assert cost.seconds(150_000, 15) == pytest.approx(fit(150_000, 15))


def test_duration_reads_as_a_person_says_it():
    assert duration(40.2) == "40 s"
    assert duration(12 * 60) == "12 min"
    assert duration(2.3 * 3600) == "2.3 h"


def test_the_line_names_the_total_each_part_and_what_measuring_cost():
    estimate = TrainingEstimate(
        (ModelEstimate("multirocket", 6, 600.0), ModelEstimate("linear", 5, 30.0)),
        samples=3120,
        subjects=2460,
        folds=5,
        calibration_seconds=3.2,
    )
    line = estimate.line()
    assert line.startswith("training estimate: about 10 min for 5 folds and the final model")
    assert "3120 samples of 2460 subjects" in line
    assert "multirocket 10 min, baselines 30 s (linear)" in line
    assert "3.2 s" in line


def test_calibration_subsets_hold_every_class(tiny_table):
    data = build_cycles(tiny_table, "group")
    order = calibration_order(data, seed=7)
    assert sorted(order) == list(range(len(data)))
    first = data.y[order[: len(data.classes)]]
    assert sorted(set(first.tolist())) == list(range(len(data.classes)))


def test_estimate_covers_the_model_and_its_baselines_and_leaves_the_run_random_state(
    tiny_table, tiny_settings
):
    data = build_cycles(tiny_table, "group")
    folds = subject_kfold(data.subjects, data.y, 3, seed=0)
    torch.manual_seed(123)
    np.random.seed(123)
    expected_torch, expected_numpy = torch.rand(3), np.random.rand(3)
    torch.manual_seed(123)
    np.random.seed(123)
    estimate = estimate_training(
        data,
        folds,
        ("resnet1d", model_options(tiny_settings, "resnet1d")),
        [("linear", model_options(tiny_settings, "linear"))],
        seed=1,
    )
    assert torch.equal(torch.rand(3), expected_torch)
    assert np.array_equal(np.random.rand(3), expected_numpy)
    assert [(m.name, m.fits) for m in estimate.models] == [("resnet1d", 4), ("linear", 3)]
    assert all(m.seconds > 0 for m in estimate.models)
    assert estimate.samples == len(data) and estimate.folds == 3
