"""The plot-file shapes gaitops' DVC templates draw."""

import numpy as np
import pandas as pd

from gaitops.panels import (
    MATRIX_COLUMNS,
    PANEL_COLUMNS,
    angle_bins,
    count_matrix,
    mean_over_folds,
    panel,
    panels,
)


def test_a_panel_keeps_one_series_per_class_in_the_frame_s_order():
    roc = pd.DataFrame(
        {"class": ["a", "a", "b", "b", "b"], "fpr": [0, 1, 0, 0, 1], "tpr": [0, 1, 0, 1, 1]}
    )
    rows = panel(roc, "ROC: fpr → tpr", "fpr", "tpr", series="class")
    assert list(rows.columns) == PANEL_COLUMNS
    assert list(rows["series"]) == ["a", "a", "b", "b", "b"]
    assert list(rows["point"]) == [0, 1, 0, 1, 2]  # the drawing order within each series
    assert set(rows["mark"]) == {"line"} and set(rows["panel"]) == {"ROC: fpr → tpr"}


def test_panels_join_and_an_empty_file_still_has_the_columns():
    one = panel(pd.DataFrame({"x": [1.0], "y": [2.0]}), "p", "x", "y", mark="point", name="rows")
    assert panels(one, pd.DataFrame()).equals(one)
    assert list(panels().columns) == PANEL_COLUMNS


def test_mean_over_folds_averages_each_series_at_each_x():
    table = pd.DataFrame({"fold": [0, 0, 1, 1], "k": [0.1, 0.2, 0.1, 0.2], "top": [1, 3, 3, 5]})
    assert mean_over_folds(table, "k", ["top"])["top"].tolist() == [2.0, 4.0]


def test_count_matrix_has_every_pair_in_label_order_with_zeros():
    matrix = count_matrix(["b", "a", "a"], ["a", "a", "b"], ["b", "a"])
    assert list(matrix.columns) == MATRIX_COLUMNS and len(matrix) == 4
    counts = {(r.actual, r.predicted): r.count for r in matrix.itertuples()}
    assert counts == {("b", "b"): 0, ("b", "a"): 1, ("a", "b"): 1, ("a", "a"): 1}
    assert matrix.loc[matrix.actual == "b", "actual_order"].unique().tolist() == [0]


def test_angle_bins_cover_the_actual_range_and_clip_predictions_outside_it():
    actual = np.array([0.0, 10.0, 20.0, 40.0])
    actual_bins, predicted_bins, labels = angle_bins(actual, np.array([-5.0, 10.0, 39.0, 90.0]), 4)
    assert labels == ["0 to 10", "10 to 20", "20 to 30", "30 to 40"]
    assert actual_bins == ["0 to 10", "10 to 20", "20 to 30", "30 to 40"]  # the maximum: last bin
    assert predicted_bins == ["0 to 10", "10 to 20", "30 to 40", "30 to 40"]
