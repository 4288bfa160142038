import pandas as pd

from gaitops.report.tables import comparison_table, markdown_table
from gaitops.scoring.aggregate import Ranking, ScoreColumn


def test_the_comparison_lists_methods_by_rank_with_each_scores_direction():
    scored = {
        "saliency": {"deletion_auc": {"mean": 0.41, "sd": 0.05}, "sparseness": 0.3},
        "lime": {"deletion_auc": {"mean": 0.35, "sd": 0.04}},
    }
    columns = [
        ScoreColumn("deletion_auc", "faithfulness", False, {}),
        ScoreColumn("sparseness", "complexity", True, {}),
    ]
    ranking = Ranking({}, {}, {"saliency": 2.0, "lime": 1.0}, "lime")
    table = comparison_table(scored, columns, ranking)
    assert table["method"].tolist() == ["lime", "saliency"]
    assert list(table.columns) == [
        "method",
        "overall rank",
        "deletion_auc (faithfulness, ↓)",
        "sparseness (complexity, ↑)",
    ]
    assert table.iloc[0, 2] == "0.35 ± 0.04" and table.iloc[0, 3] == "–"
    assert table.iloc[1, 3] == "0.3"


def test_markdown_rounds_floats_and_marks_missing_values():
    text = markdown_table(pd.DataFrame({"method": ["a", "b"], "rank": [1.234, float("nan")]}))
    assert text.splitlines() == ["| method | rank |", "|---|---|", "| a | 1.23 |", "| b | – |"]
