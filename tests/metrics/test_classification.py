import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score

from gaitops.metrics.classification import classification_metrics, mean_and_sd


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
