"""The explainers' comparison as a table: one row per method, each score's mean ± sd over folds
and the overall rank; and any table as markdown."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gaitops.scoring.aggregate import Ranking, ScoreColumn


def _cell(metrics: dict[str, Any], name: str) -> str:
    value = metrics.get(name)
    if value is None:
        return "–"
    if isinstance(value, dict):
        return f"{value['mean']:.4g} ± {value['sd']:.2g}"
    return f"{value:.4g}"


def comparison_table(
    scored: dict[str, dict[str, Any]], columns: list[ScoreColumn], ranking: Ranking
) -> pd.DataFrame:
    """One row per method: each score (mean ± sd over folds), its overall rank."""
    rows = []
    for method in sorted(scored, key=lambda m: ranking.overall.get(m, np.inf)):
        row: dict[str, Any] = {"method": method, "overall rank": ranking.overall.get(method)}
        for column in columns:
            arrow = "↑" if column.higher_is_better else "↓"
            row[f"{column.name} ({column.category}, {arrow})"] = _cell(scored[method], column.name)
        rows.append(row)
    return pd.DataFrame(rows)


def markdown_table(table: pd.DataFrame) -> str:
    """A table as GitHub markdown (floats to two decimals, missing values as "–")."""
    header = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "---|" * len(table.columns)
    body = [
        "| "
        + " | ".join(
            "–" if v is None or v != v else (f"{v:.2f}" if isinstance(v, float) else str(v))
            for v in row
        )
        + " |"
        for row in table.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body]) + "\n"
