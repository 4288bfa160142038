"""After a retrain: judge its model against the promoted one, keep the retrain as a commit,
register its model, promote it when it is not worse, and push its outputs."""

from __future__ import annotations

import logging
import subprocess
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gaitops.config import Settings
from gaitops.io import read_json, sha256_of
from gaitops.lifecycle import registry
from gaitops.lifecycle.git import dvc_command
from gaitops.lifecycle.history import Retrain, read_history, record_retrain
from gaitops.lifecycle.promotion import Decision, decide
from gaitops.paths import Paths
from gaitops.tasks import TASKS

log = logging.getLogger("gaitops")
PUSH_ATTEMPTS = 3  # a remote that does not answer is tried again, a bounded number of times


@dataclass(frozen=True)
class Kept:
    """What became of one retrain."""

    retrain: Retrain
    decision: Decision
    registered: bool  # a new model version was tagged
    pushed: str  # what happened with the DVC remote


def candidate(root: Path, trigger: str, flow_run: str | None) -> Retrain:
    """The retrain the workspace holds now, before the gate has judged it."""
    paths = Paths(root)
    train = read_json(paths.record("train"))
    metric = TASKS[train["task"]].headline_metric
    final = paths.models_dir / "final.pt"
    return Retrain(
        when=datetime.now(UTC).isoformat(timespec="seconds"),
        trigger=trigger,
        flow_run=flow_run,
        data_sha256=sha256_of(paths.canonical_table) if paths.canonical_table.exists() else None,
        task=train["task"],
        model=train["model"],
        metric=metric,
        mean=float(train[metric]["mean"]),
        sd=float(train[metric]["sd"]),
        protocol=train["protocol"]["name"],
        model_sha256=sha256_of(final),
        promoted=False,
        reason="",
    )


def champion(root: Path, settings: Settings) -> Retrain | None:
    """The retrain whose model holds the promoted stage now, or None."""
    held = registry.in_stage(root, settings.promote.stage)
    if held is None:
        return None
    for retrain in read_history(root, settings.promote.history_branch):
        if retrain.commit == held.commit:
            return replace(retrain, version=held.version)
    return None


def keep_retrain(
    root: Path,
    settings: Settings,
    trigger: str,
    flow_run: str | None,
    drift: dict[str, Any] | None = None,
) -> Kept:
    """Gate, record, register, promote and push the retrain the workspace holds."""
    registry.declared_artifact(root)
    branch = settings.promote.history_branch
    new = replace(candidate(root, trigger, flow_run), drift=drift or {})
    decision = decide(new, champion(root, settings), settings.promote.tolerance)
    fallback = fallback_reason(Paths(root))
    if fallback:
        decision = Decision(False, f"not promoted: trained on fallback data ({fallback})")
    earlier = [r for r in read_history(root, branch) if r.version]
    same_model = next((r for r in earlier if r.model_sha256 == new.model_sha256), None)
    version = same_model.version if same_model else registry.next_version(root)
    kept = replace(new, promoted=decision.promote, reason=decision.reason, version=version)
    commit = record_retrain(root, kept, branch)
    kept = replace(kept, commit=commit)
    if same_model is None:
        registry.register(root, commit, version, kept.summary())
    if decision.promote:
        registry.assign(root, version, settings.promote.stage, decision.reason)
    pushed = push_outputs(root) if settings.promote.push else "not pushed (promote.push is off)"
    log.info("%s; kept as %s on %s; %s", decision.reason, commit[:10], branch, pushed)
    return Kept(kept, decision, same_model is None, pushed)


def fallback_reason(paths: Paths) -> str | None:
    """Why the stored canonical table is the fallback source's, or None."""
    if not paths.source_info.exists():
        return None
    reason = read_json(paths.source_info).get("fallback_reason")
    return str(reason) if reason else None


def default_remote(root: Path) -> str | None:
    """The DVC remote `dvc push` uses, or None when the project has none."""
    result = subprocess.run(
        [dvc_command(), "remote", "default"], cwd=root, capture_output=True, text=True
    )
    name = result.stdout.strip()
    return name if result.returncode == 0 and name else None


def push_outputs(root: Path) -> str:
    """`dvc push` to the default remote (retried: a remote that does not answer may answer a
    moment later); a sentence saying what happened."""
    remote = default_remote(root)
    if remote is None:
        return "no DVC remote configured: outputs kept in the local cache only"
    failure = ""
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        result = subprocess.run(
            [dvc_command(), "push", "-q"], cwd=root, capture_output=True, text=True
        )
        if result.returncode == 0:
            return f"outputs pushed to DVC remote {remote}"
        lines = (result.stderr or result.stdout).strip().splitlines()
        failure = lines[-1] if lines else f"exit {result.returncode}"
        log.warning(
            "dvc push to %s failed (attempt %d of %d): %s", remote, attempt, PUSH_ATTEMPTS, failure
        )
        time.sleep(2.0 * attempt)
    return f"NOT pushed to DVC remote {remote} after {PUSH_ATTEMPTS} attempts: {failure}"
