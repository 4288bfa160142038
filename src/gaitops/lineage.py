"""`gaitops lineage FILE`: which stage produced a stored file, from which data, params and code,
and whether it is still current, read from dvc.lock, git and `dvc status`."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gaitops.errors import GaitopsError


@dataclass(frozen=True)
class Lineage:
    path: str
    stage: str
    output: dict[str, Any]
    data: list[dict[str, Any]]
    params: dict[str, Any]
    commit: str
    lock_committed: bool
    stale: list[str]
    source: dict[str, Any]
    retrain: str | None = None  # a past retrain, as its history commit recorded it

    def render(self) -> str:
        digest = self.output.get("md5", "?")
        lines = [
            self.path,
            f"  stage:    {self.stage} (output {self.output['path']}, md5 {digest})",
            f"  code:     git {self.commit or 'no commit'}"
            + ("" if self.lock_committed else " (dvc.lock has uncommitted changes)"),
        ]
        if self.source:
            files = ", ".join(f"{n} sha256 {h}" for n, h in self.source.get("files", {}).items())
            lines.append(f"  source:   {self.source.get('name')}: {files or 'generated'}")
        lines += [f"  data:     {d['path']} md5 {d.get('md5', '?')}" for d in self.data]
        lines += [f"  params:   {key} = {json.dumps(value)}" for key, value in self.params.items()]
        if self.retrain is not None:
            lines.insert(1, f"  retrain:  {self.retrain}")
            lines.append(
                "  now:      the workspace holds this same file"
                if not self.stale
                else "  now:      " + "; ".join(self.stale)
            )
            return "\n".join(lines)
        lines.append(
            "  current:  yes (dvc status: nothing changed since it was produced)"
            if not self.stale
            else "  current:  NO: " + "; ".join(self.stale) + " (gaitops run makes it current)"
        )
        return "\n".join(lines)


DATA_DEPS = ("data/", "metrics/", "records/")


def _producing_stage(
    lock: dict[str, Any], relative: str
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    for name, stage in lock.get("stages", {}).items():
        for out in stage.get("outs", []):
            if relative == out["path"] or relative.startswith(out["path"].rstrip("/") + "/"):
                return name, stage, out
    raise GaitopsError(
        f"{relative}: no stage in dvc.lock produced it. Give a file under data/, records/, metrics/ or "
        "plots/ that a stage writes (dvc.yaml lists them), e.g. data/models/fold_0.pt."
    )


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


def _described(items: Any) -> str:
    """DVC status details as text: "params.yaml (train.seed modified)", "data/raw modified"."""
    if not isinstance(items, dict):
        return str(items)
    parts = []
    for path, detail in sorted(items.items()):
        if isinstance(detail, dict):
            parts.append(f"{path} ({', '.join(f'{k} {v}' for k, v in sorted(detail.items()))})")
        else:
            parts.append(f"{path} {detail}")
    return ", ".join(parts)


def _stale(root: Path, stage: str) -> list[str]:
    """`dvc status` of the stage and the stages it depends on, one entry per change."""
    from dvc.repo import Repo

    with Repo(str(root)) as repo:
        status = repo.status(targets=[stage], with_deps=True)
    found = []
    for name, changes in status.items():
        for change in changes:
            if isinstance(change, dict):
                found += [f"{name}: {kind} {_described(items)}" for kind, items in change.items()]
            else:
                found.append(f"{name}: {change}")
    return found


def lineage_of(root: Path, file: Path, rev: str | None = None) -> Lineage:
    """The lineage of `file` in the workspace, or, with `rev` (a retrain's commit or model
    version), as that retrain recorded it."""
    relative = str(file.resolve().relative_to(root.resolve())) if file.is_absolute() else str(file)
    if rev is not None:
        return _past_lineage(root, relative, rev)
    lock_path = root / "dvc.lock"
    if not lock_path.exists():
        raise GaitopsError(f"{lock_path}: missing. Run the pipeline first (gaitops run).")
    lock = yaml.safe_load(lock_path.read_text())
    name, stage, out = _producing_stage(lock, relative)
    data = [d for d in stage.get("deps", []) if d["path"].startswith(DATA_DEPS)]
    params = stage.get("params", {}).get("params.yaml", {})
    commit = _git(root, "rev-parse", "--short=12", "HEAD").stdout.strip()
    lock_committed = _git(root, "diff", "--quiet", "HEAD", "--", "dvc.lock").returncode == 0
    source_file = root / "data" / "canonical" / "source.json"
    source = json.loads(source_file.read_text()) if source_file.exists() else {}
    return Lineage(
        relative,
        name,
        out,
        data,
        params,
        commit,
        bool(commit) and lock_committed,
        _stale(root, name),
        source,
    )


def _past_lineage(root: Path, relative: str, rev: str) -> Lineage:
    """The lineage a past retrain's commit records; `stale` says how the workspace differs."""
    from gaitops.config import load_settings
    from gaitops.lifecycle.history import find_retrain

    branch = load_settings(root / "params.yaml").promote.history_branch
    retrain = find_retrain(root, branch, rev)
    shown = _git(root, "show", f"{retrain.commit}:dvc.lock")
    if shown.returncode != 0:
        raise GaitopsError(
            f"retrain {retrain.commit[:12]} holds no dvc.lock: {shown.stderr.strip()}"
        )
    name, stage, out = _producing_stage(yaml.safe_load(shown.stdout), relative)
    record = _git(root, "show", f"{retrain.commit}:records/train.json")
    source = json.loads(record.stdout).get("source", {}) if record.returncode == 0 else {}
    lock_path = root / "dvc.lock"
    now: dict[str, Any] = {}
    if lock_path.exists():
        try:
            now = _producing_stage(yaml.safe_load(lock_path.read_text()), relative)[2]
        except GaitopsError:
            now = {}
    differs = (
        []
        if now.get("md5") == out.get("md5")
        else [
            f"the workspace's {out['path']} is md5 {now.get('md5', 'absent')}; "
            f"dvc get . {relative} --rev {retrain.commit[:12]} brings this retrain's back"
        ]
    )
    return Lineage(
        relative,
        name,
        out,
        [d for d in stage.get("deps", []) if d["path"].startswith(DATA_DEPS)],
        stage.get("params", {}).get("params.yaml", {}),
        retrain.commit[:12],
        True,
        differs,
        source,
        retrain=f"{retrain.when}, {retrain.trigger}, model {retrain.version or 'none'} "
        f"({'promoted' if retrain.promoted else 'not promoted'})",
    )
