"""A markdown summary of the pipeline's metrics files, naming source and split protocol."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gaitops.io import read_json
from gaitops.paths import Paths


def _mean_sd(entry: dict[str, float]) -> str:
    return f"{entry['mean']:.3f} ± {entry['sd']:.3f}"


def collect_metrics(paths: Paths) -> dict[str, Any]:
    """Stage name -> its metrics file's content, for the stages that have written one."""
    return {
        stage: read_json(paths.metrics(stage))
        for stage in ("train", "explain", "score")
        if paths.metrics(stage).exists()
    }


def metrics_markdown(metrics: dict[str, Any]) -> str:
    if "train" not in metrics:
        return "_No metrics yet: the train stage has not run._"
    train = metrics["train"]
    source = train["source"]
    protocol = train["protocol"]
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
        (
            "split protocol",
            f"{protocol['name']} ({protocol['folds']} folds, seed {protocol['seed']})",
        ),
        ("samples / subjects", f"{train['samples']} / {train['subjects']}"),
        ("balanced accuracy (mean ± sd)", _mean_sd(train["balanced_accuracy"])),
        ("macro F1 (mean ± sd)", _mean_sd(train["macro_f1"])),
        ("accuracy (mean ± sd)", _mean_sd(train["accuracy"])),
    ]
    if "score" in metrics:
        score = metrics["score"]
        rows += [
            (
                f"explanation fidelity, {score['method']} (higher is better)",
                _mean_sd(score["fidelity"]),
            ),
            (
                "explanation robustness dispersion (lower is better)",
                f"{score['robustness_dispersion']:.5f}",
            ),
        ]
    if "explain" in metrics:
        for name, channels in metrics["explain"]["top_channels"].items():
            rows.append((f"top channels for {name}", ", ".join(channels)))
    body = "\n".join(f"| {key} | {value} |" for key, value in rows)
    return f"| metric | value |\n|---|---|\n{body}\n"


def summary_for(root: Path) -> str:
    return metrics_markdown(collect_metrics(Paths(root)))
