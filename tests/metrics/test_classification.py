import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score, roc_curve

from gaitops.metrics.classification import (
    MAX_CURVE_POINTS,
    classification_metrics,
    curve_points,
    mean_and_sd,
)


def test_metrics_by_hand():
    y_true = np.array([0, 0, 0, 0, 1, 1, 2, 2])
    y_pred = np.array([0, 0, 0, 1, 1, 0, 2, 2])
    m = classification_metrics(y_true, y_pred, 3)
    assert m["accuracy"] == pytest.approx(6 / 8)
    assert m["balanced_accuracy"] == pytest.approx((3 / 4 + 1 / 2 + 1) / 3)
    assert m["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(y_true, y_pred))
    f1 = [2 * 3 / (2 * 3 + 1 + 1), 2 * 1 / (2 * 1 + 1 + 1), 1.0]
    assert m["macro_f1"] == pytest.approx(np.mean(f1))
    assert m["confusion_matrix"] == [[3, 1, 0], [1, 1, 0], [0, 0, 2]]


def test_absent_class_keeps_its_confusion_row():
    m = classification_metrics(np.array([0, 0]), np.array([0, 1]), 3)
    assert np.array(m["confusion_matrix"]).shape == (3, 3)


def test_mean_and_sample_sd():
    summary = mean_and_sd([{"accuracy": 0.5}, {"accuracy": 0.7}], ("accuracy",))
    assert summary["accuracy"]["mean"] == pytest.approx(0.6)
    assert summary["accuracy"]["sd"] == pytest.approx(np.std([0.5, 0.7], ddof=1))


def test_curves_of_many_samples_are_thinned_to_what_a_chart_can_draw():
    rng = np.random.default_rng(0)
    n = 20_000
    y = rng.integers(0, 3, n)
    probabilities = rng.dirichlet(np.ones(3), n)
    roc, pr = curve_points(y, probabilities, ["a", "b", "c"])
    for curve in (roc, pr):
        per_class = curve.groupby("class").size()
        assert (per_class <= MAX_CURVE_POINTS).all() and (per_class > 100).all()
    whole_fpr, whole_tpr, _ = roc_curve(y == 0, probabilities[:, 0])
    first = roc[roc["class"] == "a"]
    assert (first["fpr"].iloc[0], first["tpr"].iloc[-1]) == (whole_fpr[0], whole_tpr[-1])
    assert first["fpr"].is_monotonic_increasing  # still the curve, in order


def test_a_short_curve_is_kept_whole():
    y = np.array([0, 1, 0, 1, 1, 0])
    probabilities = np.array(
        [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7], [0.45, 0.55], [0.7, 0.3]]
    )
    roc, _ = curve_points(y, probabilities, ["a", "b"])
    fpr, _, _ = roc_curve(y == 0, probabilities[:, 0])
    assert len(roc[roc["class"] == "a"]) == len(fpr)
