"""The report's charts: the DVC templates rendered to SVG, the same bytes every run."""

import re

import pandas as pd

from gaitops.panels import count_matrix, panel
from gaitops.report.charts import MATRIX_TEMPLATE, PANELS_TEMPLATE, chart_svg


def test_charts_render_offline_with_ids_of_their_own(tmp_path):
    table = tmp_path / "matrix.csv"
    count_matrix(["a", "b", "b"], ["a", "a", "b"], ["a", "b"]).to_csv(table, index=False)
    first = chart_svg(MATRIX_TEMPLATE, table, "plots/train/matrix.csv")
    second = chart_svg(MATRIX_TEMPLATE, table, "plots/train/matrix.csv")
    assert first == second  # the renderer's per-process gradient counter is renamed away
    ids = re.findall(r'\bid="([^"]+)"', first)
    assert ids and all(i.startswith("plots-train-matrix-csv-") for i in ids)
    assert first.startswith("<svg") and ">2<" not in first and ">1<" in first  # the counts


def test_a_panels_chart_has_one_facet_per_panel(tmp_path):
    frame = pd.DataFrame({"epoch": [1, 2], "loss": [0.9, 0.5], "fold": ["fold 0", "fold 0"]})
    table = tmp_path / "curves.csv"
    pd.concat(
        [
            panel(frame, "Training loss: epoch → loss", "epoch", "loss", series="fold"),
            panel(frame, "Validation loss: epoch → loss", "epoch", "loss", series="fold"),
        ]
    ).to_csv(table, index=False)
    svg = chart_svg(PANELS_TEMPLATE, table, "curves")
    assert "Training loss" in svg and "Validation loss" in svg and "fold 0" in svg
