"""Stage compare: every explainer's scores side by side, ranked, and the trusted one's atlas.

Reads records/score/METHOD.json and data/explanations/METHOD/ for each method in
``explain.methods``; writes data/comparison/ (table.csv, table.md, agreement.csv, atlas.png, cards/, and the
prediction-probability analysis probabilities.csv / .md / .png), records/compare.json and metrics/compare.json (ranks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gaitops.config import Settings
from gaitops.evaluation.protocol import protocol_record
from gaitops.explain.subsets import evenly_spaced
from gaitops.io import atomic_directory, read_json, write_csv, write_text
from gaitops.paths import Paths
from gaitops.records import publish
from gaitops.report.cards import card_markdown, changed_angles, top_segments
from gaitops.report.figures import attribution_heatmaps, feature_importance_bars
from gaitops.report.names import clinical_name, side_names
from gaitops.report.probabilities import (
    probability_columns,
    probability_figure,
    probability_summary,
)
from gaitops.scoring.aggregate import Ranking, ScoreColumn, agreement, rank_methods, score_columns
from gaitops.stages import MapFn, serial_map

TOP_K = 3


def _scored(settings: Settings, paths: Paths) -> dict[str, dict[str, Any]]:
    """Method -> its score metrics, for the methods that were scored."""
    out = {}
    for method in settings.explain.methods:
        metrics = read_json(paths.item_record("score", method))
        if metrics.get("applicable", True):
            out[method] = metrics
    return out


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


def _markdown(table: pd.DataFrame) -> str:
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


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """Rank the scored explainers; name the one to trust; draw its attribution atlas."""
    scored = _scored(settings, paths)
    columns = score_columns(scored)
    ranking = rank_methods(columns, settings.compare.category_weights)
    table = comparison_table(scored, columns, ranking)
    stored = {
        m: np.load(paths.explanations_of(m) / "explanations.npz")
        for m in scored
        if (paths.explanations_of(m) / "by_class.npz").exists()
    }
    attributions = {m: s["attributions"] for m, s in stored.items()}
    labels = next(iter(stored.values()))["labels"] if stored else None
    classification = bool(stored) and labels is not None and labels.dtype.kind in "iu"
    pairs = (
        agreement(attributions, labels if classification else None, TOP_K)
        if len(attributions) > 1
        else {}
    )
    metrics: dict[str, Any] = {
        "protocol": protocol_record(settings.train),
        "methods": sorted(scored),
        "trusted": ranking.trusted,
        "overall_rank": ranking.overall,
        "category_ranks": ranking.category_ranks,
        "ranks": ranking.ranks,
        "category_weights": settings.compare.category_weights,
        "scores": {
            c.name: {"category": c.category, "higher_is_better": c.higher_is_better}
            for c in columns
        },
        "agreement": pairs,
        "notes": ranking.notes,
    }
    with atomic_directory(paths.comparison_dir) as tmp:
        write_csv(tmp / "table.csv", table)
        write_text(tmp / "table.md", _markdown(table))
        write_csv(tmp / "agreement.csv", pd.DataFrame([{"pair": k, **v} for k, v in pairs.items()]))
        metrics["probabilities"] = _probabilities(tmp, paths, settings)
        if ranking.trusted in stored:
            _atlas(tmp / "atlas.png", paths, ranking.trusted, settings)
            metrics["cards"] = _cards(tmp / "cards", paths, ranking.trusted, stored, settings)
    return publish(metrics, paths.record("compare"), paths.metrics("compare"), ("overall_rank",))


def _probabilities(folder: Path, paths: Paths, settings: Settings) -> dict[str, Any]:
    """The prediction-probability analysis per true class (classification tasks only):
    probabilities.csv / .md / .png; returns each class's recall and mean true-class probability."""
    predictions = pd.read_csv(paths.models_dir / "predictions.csv")
    if not probability_columns(predictions):
        return {}
    summary = probability_summary(predictions)
    write_csv(folder / "probabilities.csv", summary)
    write_text(folder / "probabilities.md", _markdown(summary))
    title = (
        f"held-out predicted probabilities per true class: {settings.train.model}, "
        f"{settings.train.protocol}"
    )
    probability_figure(folder / "probabilities.png", predictions, title)
    return {
        str(row["actual"]): {
            "recall": row["recall"],
            "true_class_probability": row[f"mean p_{row['actual']}"],
        }
        for _, row in summary.iterrows()
    }


def _sides(paths: Paths, method: str) -> dict[str, str]:
    """The names of the sides from the data's `side_meaning` (e.g. paretic / non-paretic)."""
    record = paths.item_record("score", method)
    source = read_json(record).get("source", {}) if record.exists() else {}
    return side_names((source.get("conventions") or {}).get("side_meaning"))


def _counterfactual_method(stored: dict[str, Any]) -> str | None:
    """The first compared method that produced counterfactual examples."""
    return next((m for m, s in sorted(stored.items()) if "examples" in s.files), None)


def _cards(
    folder: Path, paths: Paths, trusted: str, stored: dict[str, Any], settings: Settings
) -> int:
    """A markdown card per explained sample (curve tasks; at most compare.max_cards, evenly
    spaced), named after the sample; returns how many."""
    explained = stored[trusted]
    if explained["attributions"].ndim != 3:
        return 0
    predictions = pd.read_csv(paths.models_dir / "predictions.csv").set_index("sample", drop=False)
    classes = list(explained["classes"])
    sides = _sides(paths, trusted)
    channels = [clinical_name(c, sides) for c in explained["channels"]]
    counterfactual = _counterfactual_method(stored)
    chosen = evenly_spaced(np.arange(len(explained["sample_ids"])), settings.compare.max_cards)
    folder.mkdir()
    for i in chosen:
        sample = str(explained["sample_ids"][i])
        moved = None
        if counterfactual is not None:
            other = stored[counterfactual]
            j = int(np.flatnonzero(other["sample_ids"] == sample)[0])
            valid = bool(other["detail_valid"][j]) if "detail_valid" in other.files else True
            x = other["examples"][j] - other["attributions"][j]  # the original input
            moved = (counterfactual, valid, changed_angles(x, other["examples"][j], channels, 3))
        segments = top_segments(
            explained["attributions"][i], channels, settings.explain.phase_windows, 5
        )
        text = card_markdown(predictions.loc[sample], classes, trusted, segments, moved)
        write_text(folder / (sample.replace("/", "__") + ".md"), text)
    return len(chosen)


def _atlas(path: Any, paths: Paths, method: str, settings: Settings) -> None:
    """The trusted method's mean |attribution| per class (channels x % of gait cycle)."""
    by_class = np.load(paths.explanations_of(method) / "by_class.npz")
    classes = list(by_class["classes"])
    channels = [clinical_name(c, _sides(paths, method)) for c in by_class["channels"]]
    title = f"attribution atlas: {method} (the trusted explainer) on {settings.train.model}, {settings.train.protocol}"
    if by_class["mean_abs"].ndim == 3:
        attribution_heatmaps(path, by_class["mean_abs"], classes, channels, title)
    else:
        feature_importance_bars(path, by_class["mean_abs"], classes, channels, title)
