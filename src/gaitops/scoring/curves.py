"""A score's curves (deletion, perturbation…) gathered over folds into one table, and drawn as
panels of the mean over folds: one series per removal order (top, bottom, random…)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gaitops.panels import mean_over_folds, panel, panels
from gaitops.scoring.base import Score


def curve_table(parts: list[dict[str, Any]], name: str) -> pd.DataFrame:
    rows = []
    for part in parts:
        curve = part["curves"].get(name)
        if curve is None:
            continue
        x_name, *series = curve
        for i, x in enumerate(curve[x_name]):
            rows.append(
                {"fold": part["entry"]["fold"], x_name: x, **{s: curve[s][i] for s in series}}
            )
    return pd.DataFrame(rows)


def curve_panels(table: pd.DataFrame, score: Score, method: str) -> pd.DataFrame:
    """A score's curves, mean over folds: one series per removal order (top, bottom, random…)."""
    x_name, *series = [c for c in table.columns if c != "fold"]
    mean = mean_over_folds(table, x_name, series)
    folds = table["fold"].nunique()
    title = (
        f"{score.name} of {method}, mean of {folds} folds: {x_name.replace('_', ' ')} → "
        f"{score.curve_y}"
    )
    return panels(*(panel(mean, title, x_name, s, name=s) for s in series))
