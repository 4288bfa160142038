"""Stage compare: every explainer's scores side by side, ranked, and the trusted one's atlas.

Reads records/score/METHOD.json and data/explanations/METHOD/ for each method in
``explain.methods``; writes data/comparison/ (table.csv, table.md, agreement.csv, atlas.png,
cards/, and the prediction-probability analysis probabilities.csv / .md / .png),
records/compare.json and metrics/compare.json (ranks).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gaitops.config import Settings, task_of
from gaitops.evaluation.protocol import protocol_record
from gaitops.explain.store import ClassMeans, Explanations
from gaitops.io import atomic_directory, read_json, write_csv, write_text
from gaitops.paths import Paths
from gaitops.records import publish
from gaitops.report.atlas import atlas_figure
from gaitops.report.cards import write_cards
from gaitops.report.names import side_names
from gaitops.report.probabilities import write_probability_analysis
from gaitops.report.tables import comparison_table, markdown_table
from gaitops.scoring.aggregate import agreement, rank_methods, score_columns
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


def _sides(paths: Paths, method: str) -> dict[str, str]:
    """The names of the sides from the data's `side_meaning` (e.g. paretic / non-paretic)."""
    record = paths.item_record("score", method)
    source = read_json(record).get("source", {}) if record.exists() else {}
    return side_names((source.get("conventions") or {}).get("side_meaning"))


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """Rank the scored explainers; name the one to trust; draw its attribution atlas."""
    scored = _scored(settings, paths)
    columns = score_columns(scored)
    ranking = rank_methods(columns, settings.compare.category_weights)
    table = comparison_table(scored, columns, ranking)
    stored = {
        m: Explanations.read(paths.explanations_of(m))
        for m in scored
        if ClassMeans.stored_in(paths.explanations_of(m))
    }
    attributions = {m: s.attributions for m, s in stored.items() if s.attributions is not None}
    task = task_of(settings)
    classification = bool(stored) and task.is_classification
    labels = next(iter(stored.values())).labels if classification else None
    pairs = agreement(attributions, labels, TOP_K) if len(attributions) > 1 else {}
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
    predictions = pd.read_csv(paths.predictions)
    run_name = f"{settings.train.model}, {settings.train.protocol}"
    with atomic_directory(paths.comparison_dir) as tmp:
        write_csv(tmp / "table.csv", table)
        write_text(tmp / "table.md", markdown_table(table))
        write_csv(tmp / "agreement.csv", pd.DataFrame([{"pair": k, **v} for k, v in pairs.items()]))
        metrics["probabilities"] = write_probability_analysis(
            tmp, predictions, f"held-out predicted probabilities per true class: {run_name}"
        )
        if (trusted := ranking.trusted) in stored:
            sides = _sides(paths, trusted)
            atlas_figure(
                tmp / "atlas.png",
                ClassMeans.read(paths.explanations_of(trusted)),
                sides,
                f"attribution atlas: {trusted} (the trusted explainer) on {run_name}",
                task,
            )
            metrics["cards"] = write_cards(
                task,
                tmp / "cards",
                predictions,
                trusted,
                stored,
                sides,
                settings.explain.phase_windows,
                settings.compare.max_cards,
            )
    return publish(metrics, paths.record("compare"), paths.metrics("compare"), ("overall_rank",))
