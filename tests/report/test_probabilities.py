from __future__ import annotations

import pandas as pd
import pytest

from gaitops.report.probabilities import (
    probability_columns,
    probability_figure,
    probability_summary,
)


def predictions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "actual": ["a", "a", "a", "b", "b"],
            "predicted": ["a", "a", "b", "b", "b"],
            "p_a": [0.9, 0.7, 0.4, 0.2, 0.1],
            "p_b": [0.1, 0.3, 0.6, 0.8, 0.9],
        }
    )


def test_summary_gives_recall_mean_probabilities_and_confidence_when_wrong():
    summary = probability_summary(predictions()).set_index("actual")
    assert summary.loc["a", "n"] == 3
    assert summary.loc["a", "recall"] == pytest.approx(2 / 3)
    assert summary.loc["a", "mean p_a"] == pytest.approx((0.9 + 0.7 + 0.4) / 3)
    assert summary.loc["b", "mean p_b"] == pytest.approx(0.85)
    assert summary.loc["a", "confidence when wrong"] == pytest.approx(0.6)
    assert pd.isna(summary.loc["b", "confidence when wrong"])
    assert summary.loc["b", "sd p_a"] == pytest.approx(pd.Series([0.2, 0.1]).std())


def test_regression_predictions_have_no_probability_columns():
    assert probability_columns(pd.DataFrame({"actual": [1.0], "predicted": [1.2]})) == []


def test_figure_is_written(tmp_path):
    path = tmp_path / "probabilities.png"
    probability_figure(path, predictions(), "held-out probabilities")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
