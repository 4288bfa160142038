"""A markdown summary of the pipeline's metrics files, naming source and split protocol."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gaitops.io import read_json
from gaitops.paths import Paths
from gaitops.pipeline import STAGES
from gaitops.tasks import TASKS


def _mean_sd(entry: dict[str, float]) -> str:
    return f"{entry['mean']:.3f} ± {entry['sd']:.3f}"


def collect_metrics(paths: Paths) -> dict[str, Any]:
    """Stage name -> its record (records/STAGE.json), for the stages that have written one; for
    a stage run per method (explain, score), method -> that run's record."""
    collected: dict[str, Any] = {}
    for stage in (s for s in STAGES if s.writes_metrics):
        if stage.foreach is None:
            if paths.record(stage.name).exists():
                collected[stage.name] = read_json(paths.record(stage.name))
        elif (folder := paths.records_dir / stage.name).is_dir():
            collected[stage.name] = {p.stem: read_json(p) for p in sorted(folder.glob("*.json"))}
    return collected


def protocol_text(protocol: dict[str, Any]) -> str:
    details = [f"{k} {protocol[k]}" for k in ("folds", "seed", "test_fraction") if k in protocol]
    text = protocol["name"] + (f" ({', '.join(details)})" if details else "")
    return text + (
        " — LEAKS SUBJECTS: only to compare with the source paper"
        if protocol.get("leaks_subjects")
        else ""
    )


def _performance_rows(train: dict[str, Any]) -> list[tuple[str, str]]:
    if not TASKS[train["task"]].is_classification:
        return [
            ("R² (mean ± sd)", _mean_sd(train["r2"])),
            ("MAE, degrees (mean ± sd)", _mean_sd(train["mae"])),
            ("MSE, degrees² (mean ± sd)", _mean_sd(train["mse"])),
        ]
    rows = [
        ("balanced accuracy (mean ± sd)", _mean_sd(train["balanced_accuracy"])),
        ("macro F1 (mean ± sd)", _mean_sd(train["macro_f1"])),
        ("accuracy (mean ± sd)", _mean_sd(train["accuracy"])),
    ]
    if train.get("subject_level", {}).get("applicable", True) and "subject_level" in train:
        rows.append(
            (
                "subject-level balanced accuracy (mean ± sd)",
                _mean_sd(train["subject_level"]["balanced_accuracy"]),
            )
        )
    return rows


def _baseline_rows(train: dict[str, Any]) -> list[tuple[str, str]]:
    """The verdict beside the baselines (same folds), each baseline's figure and the difference."""
    baselines = train.get("baselines", {})
    if not baselines.get("ran"):
        return [("beside its baselines", baselines.get("reason", "no baselines ran"))]
    metric, difference = baselines["metric"], baselines["difference_to_best"]
    interval = difference["ci95"]
    spread = "" if interval is None else f" (95 % CI {interval[0]:+.3f} to {interval[1]:+.3f})"
    figures = ", ".join(
        f"{name} {entry['mean']:.3f} ± {entry['sd']:.3f}"
        for name, entry in baselines["baselines"].items()
    )
    return [
        ("beside its baselines (verdict)", f"**{train['model']} {baselines['verdict']}**"),
        (f"baselines on the same folds ({metric}, mean ± sd)", figures),
        (
            f"difference to {baselines['best_baseline']}, paired by fold",
            f"{difference['mean']:+.3f}{spread}; {baselines['detectable'] or 'one fold: no interval'}",
        ),
    ]


def metrics_markdown(metrics: dict[str, Any]) -> str:
    if "train" not in metrics:
        return "_No metrics yet: the train stage has not run._"
    train = metrics["train"]
    source = train["source"]
    origin = source["name"] + (
        f" (FALLBACK: {source['fallback_reason']})" if source.get("fallback_reason") else ""
    )
    hashes = (
        ", ".join(f"{name} sha256 {digest[:12]}…" for name, digest in source["files"].items())
        or "generated"
    )
    rows = [
        ("task", train["task"]),
        ("model", train["model"]),
        ("data source", origin),
        ("data files", hashes),
        ("split protocol", protocol_text(train["protocol"])),
        ("samples / subjects", f"{train['samples']} / {train['subjects']}"),
        *_performance_rows(train),
        *_baseline_rows(train),
    ]
    compare = metrics.get("compare", {})
    if compare.get("trusted"):
        ranks = ", ".join(
            f"{m} {r:.2f}" for m, r in sorted(compare["overall_rank"].items(), key=lambda x: x[1])
        )
        rows.append(
            (
                "explainer to trust (lowest weighted mean rank over score categories)",
                compare["trusted"],
            )
        )
        rows.append(("explainers by mean rank (1 = best)", ranks))
        trusted = metrics.get("explain", {}).get(compare["trusted"], {})
        for kind in ("channels", "features"):
            for name, inputs in trusted.get(f"top_{kind}", {}).items():
                rows.append((f"top {kind} for {name} ({compare['trusted']})", ", ".join(inputs)))
    body = "\n".join(f"| {key} | {value} |" for key, value in rows)
    return f"| metric | value |\n|---|---|\n{body}\n"


def summary_for(root: Path) -> str:
    return metrics_markdown(collect_metrics(Paths(root)))
