"""Which explainer to trust: the methods x scores table, rank aggregation and agreement.

Each score ranks the methods it scored (1 = best, by its declared direction; ties share the
mean rank). A method's category rank is the mean of its ranks within a category, so a category
weighs the same however many scores it has; its overall rank is the weighted mean of its
category ranks (``compare.category_weights``: by default faithfulness and localisation count three
times as much as robustness, complexity and randomisation, since a steady or sparse explanation
of the wrong inputs is worth nothing). The trusted explainer has the lowest overall rank among
the methods ranked in the most categories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
from scipy.stats import kendalltau, rankdata

from gaitops.explain.ranking import angle_importance


@dataclass(frozen=True)
class ScoreColumn:
    name: str
    category: str
    higher_is_better: bool
    values: dict[str, float]  # method -> value (the mean over folds for per-fold scores)


@dataclass(frozen=True)
class Ranking:
    ranks: dict[str, dict[str, float]]  # method -> score -> rank
    category_ranks: dict[str, dict[str, float]]  # method -> category -> mean rank
    overall: dict[str, float]  # method -> mean of its category ranks
    trusted: str | None
    notes: list[str] = field(default_factory=list)


def score_columns(scored: dict[str, dict[str, Any]]) -> list[ScoreColumn]:
    """The columns of the table from each method's score metrics (records/score/METHOD.json)."""
    columns: dict[str, ScoreColumn] = {}
    for method, metrics in scored.items():
        for name, direction in metrics.get("directions", {}).items():
            value = metrics[name]
            mean = value["mean"] if isinstance(value, dict) else value
            column = columns.setdefault(
                name,
                ScoreColumn(name, metrics["categories"][name], direction.startswith("higher"), {}),
            )
            if mean is not None and np.isfinite(mean):
                column.values[method] = float(mean)
    return list(columns.values())


def rank_methods(columns: list[ScoreColumn], weights: dict[str, float] | None = None) -> Ranking:
    """Ranks per score, per category and overall (categories weighted by `weights`, default
    1 each); the trusted method."""
    weights = weights or {}
    ranks: dict[str, dict[str, float]] = {}
    categories: dict[str, dict[str, list[float]]] = {}
    notes = []
    for column in columns:
        if len(column.values) < 2:
            notes.append(f"{column.name}: scored for fewer than two methods, not ranked")
            continue
        methods = sorted(column.values)
        values = np.array([column.values[m] for m in methods])
        order = rankdata(-values if column.higher_is_better else values, method="average")
        for method, rank in zip(methods, order, strict=True):
            ranks.setdefault(method, {})[column.name] = float(rank)
            categories.setdefault(method, {}).setdefault(column.category, []).append(float(rank))
    category_ranks = {
        m: {c: float(np.mean(r)) for c, r in cats.items()} for m, cats in categories.items()
    }
    overall = {
        m: float(np.average(list(c.values()), weights=[weights.get(k, 1.0) for k in c]))
        for m, c in category_ranks.items()
    }
    if not overall:
        return Ranking(ranks, category_ranks, overall, None, notes)
    coverage = max(len(c) for c in category_ranks.values())
    eligible = [m for m in overall if len(category_ranks[m]) == coverage]
    trusted = min(sorted(eligible), key=lambda m: overall[m])
    return Ranking(ranks, category_ranks, overall, trusted, notes)


def agreement(
    attributions: dict[str, np.ndarray], labels: np.ndarray | None, top_k: int
) -> dict[str, dict[str, float]]:
    """Per pair of methods: Kendall tau of their angle importances and the top-k overlap."""
    importance = {m: angle_importance(a, labels) for m, a in attributions.items()}
    pairs: dict[str, dict[str, float]] = {}
    for a, b in combinations(sorted(importance), 2):
        tau = kendalltau(importance[a], importance[b]).statistic
        top_a = set(np.argsort(-importance[a], kind="stable")[:top_k].tolist())
        top_b = set(np.argsort(-importance[b], kind="stable")[:top_k].tolist())
        pairs[f"{a} vs {b}"] = {
            "kendall_tau": float(tau) if np.isfinite(tau) else 0.0,
            f"top_{top_k}_overlap": len(top_a & top_b) / top_k,
        }
    return pairs
