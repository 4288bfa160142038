"""The run report: one self-contained HTML page of what a retrain found.

Sections: the run (task, model, data and its hashes, split protocol, headline figures), the data
and its validation, the metrics of every fold with the protocol named, the training plots, the
explainers compared (table, atlas, deletion curves) and where the tuner benchmark is.
Everything is inlined (tables, SVG charts, PNG figures): the file opens with no network.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gaitops.io import read_json
from gaitops.paths import Paths
from gaitops.report import html_page as h
from gaitops.report.charts import MATRIX_TEMPLATE, PANELS_TEMPLATE, chart_svg
from gaitops.report.summary import collect_metrics, metrics_markdown, protocol_text


def _run_section(records: dict[str, Any]) -> str:
    return h.markdown(metrics_markdown(records))


def _validation_section(paths: Paths) -> str:
    report = read_json(paths.validation_report)
    verdict = "good" if report["success"] else "bad"
    checks = pd.DataFrame(report["checks"])[
        ["table", "expectation", "column", "success", "unexpected_count", "element_count"]
    ]
    failed = checks[~checks["success"].astype(bool)]
    return (
        f'<p class="{verdict}">{h.escape(report["summary"])}</p>'
        f"<p>Canonical table <code>{h.escape(report['table'])}</code>, sha256 "
        f"<code>{h.escape(report['table_sha256'])}</code>; source "
        f"{h.escape(report['source']['name'])}: {h.escape(report['source']['description'])}, "
        f"{report['source']['rows']} rows.</p>"
        + "".join(f'<p class="bad">{h.escape(note)}</p>' for note in report.get("notes", []))
        + (f"<h3>Failed checks</h3>{h.table(failed)}" if len(failed) else "")
        + f"<details><summary>All {len(checks)} Great Expectations checks</summary>"
        f"{h.table(checks)}</details>"
    )


def _folds_section(train: dict[str, Any]) -> str:
    folds = pd.DataFrame(train["folds"])
    scalar = [c for c in folds.columns if c != "fold" and pd.api.types.is_numeric_dtype(folds[c])]
    shown = folds[["fold", *scalar]].astype({"fold": str}).round(4).astype(object)
    summary_rows = [
        {"fold": "mean ± sd", **{c: _mean_sd(train.get(c)) for c in scalar}},
        {
            "fold": "pooled (all held-out predictions)",
            **{c: _rounded(train["pooled"].get(c)) for c in scalar},
        },
    ]
    table = pd.concat([shown, pd.DataFrame(summary_rows)], ignore_index=True)
    protocol = train["protocol"]
    return (
        f"<p>Split protocol: <b>{h.escape(protocol_text(protocol))}</b>. "
        f"{h.escape(protocol.get('description', ''))}. Subjects on both sides of each fold: "
        f"{h.escape(protocol.get('subjects_on_both_sides'))}.</p>"
        + h.table(table)
        + f"<p class='note'>{h.escape(protocol.get('model_selection', {}).get('kept', ''))}</p>"
    )


def _baselines_section(train: dict[str, Any]) -> str:
    """The model and every baseline per fold (same folds), with the paired difference."""
    baselines = train.get("baselines", {})
    if not baselines.get("ran"):
        return f"<p>{h.escape(baselines.get('reason', 'No baselines ran.'))}</p>"
    model = baselines["model"]
    rows = {f"{model['name']} (the model)": model["per_fold"]}
    rows |= {name: entry["per_fold"] for name, entry in baselines["baselines"].items()}
    rows[f"difference to {baselines['best_baseline']}"] = baselines["difference_to_best"][
        "per_fold"
    ]
    table = (
        pd.DataFrame(
            {
                name: {
                    **{f"fold {k}": round(v, 4) for k, v in enumerate(values)},
                    "mean": round(sum(values) / len(values), 4),
                }
                for name, values in rows.items()
            }
        )
        .T.rename_axis("model")
        .reset_index()
    )
    difference = baselines["difference_to_best"]
    interval = difference["ci95"]
    return (
        f"<p class='{'good' if baselines['verdict'] == 'beats its baselines' else 'bad'}'>"
        f"<b>{h.escape(train['model'])} {h.escape(baselines['verdict'])}</b>: "
        f"{h.escape(baselines['metric'])} difference to {h.escape(baselines['best_baseline'])} "
        f"{difference['mean']:+.3f}"
        + ("" if interval is None else f", 95 % CI [{interval[0]:+.3f}, {interval[1]:+.3f}]")
        + f", paired by fold. {h.escape(baselines['detectable'] or '')}.</p>"
        + h.table(table)
        + "<p class='note'>Every baseline is trained on the model's folds and scored on the same "
        "test subjects (train.baselines).</p>"
    )


def _rounded(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def _mean_sd(entry: Any) -> str:
    if isinstance(entry, dict) and "mean" in entry:
        return f"{entry['mean']:.4f} ± {entry['sd']:.4f}"
    return "–"


def _plots_section(paths: Paths) -> str:
    folder = paths.train_plots_dir
    return h.figure(
        chart_svg(PANELS_TEMPLATE, folder / "curves.csv", "plots/train/curves.csv"),
        "Held-out curves per class (or predicted against actual) and each fold's training curves",
    ) + h.figure(
        chart_svg(MATRIX_TEMPLATE, folder / "matrix.csv", "plots/train/matrix.csv"),
        "Held-out predictions of all folds: counts, coloured by share of the actual row",
    )


def _explanations_section(paths: Paths, records: dict[str, Any]) -> str:
    compare = records.get("compare")
    if not compare:
        return "<p>No comparison: the compare stage has not run.</p>"
    folder = paths.comparison_dir
    parts = [
        f"<p>Explainer to trust: <b>{h.escape(compare.get('trusted') or 'none')}</b> (lowest "
        "weighted mean rank over the score categories; weights "
        f"{h.escape(compare.get('category_weights'))}).</p>",
        h.table(pd.read_csv(folder / "table.csv")),
    ]
    parts += [h.escape(note) for note in compare.get("notes", [])]
    if (folder / "atlas.png").exists():
        parts.append(h.image(folder / "atlas.png", "Attribution atlas of the trusted explainer"))
    if (folder / "probabilities.png").exists():
        parts.append(
            h.image(folder / "probabilities.png", "Predicted probability of the true class")
        )
    for curve in sorted(paths.plots_dir.glob("score/*/*.csv")):
        relative = curve.relative_to(paths.root).as_posix()
        parts.append(h.figure(chart_svg(PANELS_TEMPLATE, curve, relative), relative))
    return "\n".join(parts)


def _tuners_section() -> str:
    """Where the tuner benchmark is: its own pipeline, never an input of this report."""
    return (
        "<p>The benchmark of the Q-learning and MIM tuners against Optuna's TPE and random "
        "samplers (same space, same budget, many seeds: its results say how many) is its own DVC "
        "pipeline, <code>benchmarks/dvc.yaml</code> (about an hour: <code>make bench-tuners</code>); "
        "its tables and best-so-far curves are <code>benchmarks/tuners/results.md</code> and "
        "<code>benchmarks/tuners/best_so_far.png</code>. It is not an input of this report: "
        "DVC would then rerun the benchmark in every retrain where it is out of date.</p>"
    )


def report_html(paths: Paths) -> str:
    """The report of the pipeline's current outputs under `paths`."""
    records = collect_metrics(paths)
    train = records["train"]
    title = f"gaitops report: {train['task']}, {train['model']}, {train['source']['name']}"
    return h.page(
        title,
        [
            ("The run", _run_section(records)),
            ("Data and validation", _validation_section(paths)),
            ("Metrics per fold", _folds_section(train)),
            ("Beside its baselines", _baselines_section(train)),
            ("Training and evaluation plots", _plots_section(paths)),
            ("Explanations: which explainer to trust", _explanations_section(paths, records)),
            ("Tuner benchmark (Q-learning and MIM against Optuna)", _tuners_section()),
        ],
    )
