"""What `gaitops history` and `gaitops models` print: plain-text tables."""

from __future__ import annotations

from gaitops.lifecycle.history import Retrain
from gaitops.lifecycle.registry import Version


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def history_table(retrains: list[Retrain]) -> str:
    """One line per retrain, oldest first: when, trigger, data, figure, model, verdict, run."""
    if not retrains:
        return "no retrains kept yet (each `gaitops run` and scheduled run adds one)"
    rows = [
        [
            r.when.replace("+00:00", "Z"),
            r.trigger,
            (r.data_sha256 or "?")[:12],
            f"{r.model} {r.metric} {r.mean:.3f} ± {r.sd:.3f}",
            r.version or "-",
            "yes" if r.promoted else "no",
            r.flow_run or "-",
            r.commit[:10],
        ]
        for r in retrains
    ]
    header = [
        "when",
        "trigger",
        "data sha256",
        "cross-validated",
        "model",
        "promoted",
        "Prefect flow run",
        "commit",
    ]
    reasons = [f"  {r.commit[:10]}: {r.reason}" for r in retrains]
    return _table(header, rows) + "\n\nwhy:\n" + "\n".join(reasons)


def models_table(versions: list[Version], retrains: list[Retrain]) -> str:
    """One line per registered model version: stages, the figure it was judged by, commit."""
    if not versions:
        return "no model registered yet (a retrain registers its model)"
    by_commit = {r.commit: r for r in retrains}
    rows = []
    for v in versions:
        r = by_commit.get(v.commit)
        figure = f"{r.model} {r.metric} {r.mean:.3f} ± {r.sd:.3f} ({r.protocol})" if r else "?"
        rows.append([v.tag, ", ".join(v.stages) or "-", figure, v.created, v.commit[:10]])
    return _table(["version", "stage", "cross-validated", "registered", "commit"], rows)
