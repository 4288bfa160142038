"""What a retrain's Prefect artifacts record: the metrics per fold, and where they came from."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Any

from gaitops.config import Settings


def artifact_key(settings: Settings, kind: str) -> str:
    """One history per task, model and kind (Prefect keys: lower-case letters, digits, dashes)."""
    raw = f"gaitops-{kind}-{settings.train.task}-{settings.train.model}"
    return raw.lower().replace("_", "-")


def drift_markdown(drift: dict[str, Any]) -> str:
    """The drift check as a Prefect artifact: the verdict, then every measure."""
    verdict = (
        "**past the thresholds**" if drift.get("beyond_thresholds") else "within the thresholds"
    )
    lines = [
        f"# Drift {drift.get('against', '')}",
        "",
        f"{verdict}: {drift.get('summary', '')}",
        "",
        "| measure | where | value | threshold | past it |",
        "|---|---|---|---|---|",
    ]
    for f in drift.get("findings", []):
        lines.append(
            f"| {f['measure']} | {f['where']} | {f['value']} | {f['threshold']} | "
            f"{'yes' if f['beyond'] else ''} |"
        )
    return "\n".join(lines)


def fold_table(train: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per fold of the scalar metrics, then the mean ± sd row (the protocol named)."""
    folds = train.get("folds") or []
    names = [k for k, v in (folds[0] if folds else {}).items() if isinstance(v, int | float)]
    names = [n for n in names if n not in ("fold", "n")]
    protocol = train.get("protocol", {}).get("name", "?")
    rows: list[dict[str, Any]] = [
        {"fold": str(fold["fold"]), "protocol": protocol, **{n: round(fold[n], 4) for n in names}}
        for fold in folds
    ]
    summary = {n: train[n] for n in names if isinstance(train.get(n), dict) and "mean" in train[n]}
    rows.append(
        {
            "fold": "mean ± sd",
            "protocol": protocol,
            **{n: f"{v['mean']:.4f} ± {v['sd']:.4f}" for n, v in summary.items()},
        }
    )
    return rows


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "–"


def provenance_markdown(
    root: Path,
    params: dict[str, Any],
    previous: dict[str, Any] | None,
    ran: list[str] | None,
    experiment: str | None,
    source: dict[str, Any],
) -> str:
    """Markdown: code version, data hash, dvc.lock and model hashes, params and their diff
    against the previous retrain, experiment name, and whether anything ran."""
    commit = _git(root, "rev-parse", "--short=12", "HEAD") or "no commit"
    dirty = " (with uncommitted changes)" if _git(root, "status", "--porcelain") else ""
    files = ", ".join(
        f"{name} sha256 {digest[:12]}" for name, digest in source.get("files", {}).items()
    )
    models = sorted((root / "data" / "models").glob("*.pt"))
    lines = [
        "# Provenance",
        "",
        f"- **what ran**: {'experiment ' + experiment if experiment else ', '.join(ran or []) or 'nothing changed: every stage was up to date, these are the stored results'}",
        f"- **code**: git {commit}{dirty}",
        f"- **data**: {source.get('name', '?')} ({files or 'generated'})"
        + (f" — FALLBACK: {source['fallback_reason']}" if source.get("fallback_reason") else ""),
        f"- **dvc.lock**: sha256 {_sha(root / 'dvc.lock')}",
        "- **models**: " + (", ".join(f"{m.name} {_sha(m)}" for m in models) or "none"),
        "",
        "## Params changed since the previous retrain",
        "",
    ]
    changes = params_diff(previous or {}, params) if previous is not None else None
    if changes is None:
        lines.append("(no previous retrain recorded)")
    elif not changes:
        lines.append("none")
    else:
        lines += ["| key | before | now |", "|---|---|---|"]
        lines += [f"| `{k}` | {before} | {now} |" for k, before, now in changes]
    return "\n".join(lines) + "\n"


def params_diff(
    before: dict[str, Any], now: dict[str, Any], prefix: str = ""
) -> list[tuple[str, Any, Any]]:
    """(dotted key, before, now) for every leaf that differs."""
    out: list[tuple[str, Any, Any]] = []
    for key in sorted(set(before) | set(now)):
        a, b = before.get(key), now.get(key)
        name = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict):
            out += params_diff(a, b, f"{name}.")
        elif a != b:
            out.append((name, a, b))
    return out
