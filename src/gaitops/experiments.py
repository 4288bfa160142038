"""`-S` overrides as real DVC experiments: checked against the settings first, run in a
temporary copy (`dvc exp run --temp`, the workspace and params.yaml untouched), named, and read
back from the experiment's own commit."""

from __future__ import annotations

import copy
import subprocess
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gaitops.config import Settings
from gaitops.errors import ConfigError
from gaitops.paths import Paths
from gaitops.report.summary import collect_metrics


def _set(params: dict[str, Any], key: str, value: Any, override: str) -> None:
    node: Any = params
    parts = key.split(".")
    for depth, part in enumerate(parts):
        if not isinstance(node, dict) or part not in node:
            known = ", ".join(sorted(node)) if isinstance(node, dict) else "none (not a section)"
            where = ".".join(parts[:depth]) or "params.yaml"
            raise ConfigError(
                f"-S {override}: {where} has no key {part!r}. Keys there: {known}. "
                "(A model's settings live under models.<name>, e.g. models.resnet1d.max_epochs.)"
            )
        if depth == len(parts) - 1:
            node[part] = value
        else:
            node = node[part]


def checked_overrides(params_path: Path, overrides: list[str]) -> Settings:
    """The settings params.yaml would give with `overrides` (key=value, DVC's -S syntax);
    ConfigError naming the override when a key does not exist or a value is invalid."""
    params = yaml.safe_load(Path(params_path).read_text()) or {}
    changed = copy.deepcopy(params)
    for override in overrides:
        key, sep, raw = override.partition("=")
        if not sep or not key.strip():
            raise ConfigError(
                f"-S {override}: write key=value, e.g. -S models.resnet1d.max_epochs=30"
            )
        _set(changed, key.strip(), yaml.safe_load(raw) if raw.strip() else None, override)
    try:
        return Settings.model_validate(changed)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"-S {' '.join(overrides)}: {where}: {first['msg']}") from None


def require_baseline_commit(root: Path) -> None:
    """DVC experiments start from a git commit: ConfigError when the repository has none."""
    head = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=root, capture_output=True
    )
    if head.returncode != 0:
        raise ConfigError(
            "-S runs are DVC experiments, which start from a git commit, and this repository has "
            "none yet. Fix: commit the project (git add -A && git commit -m baseline), then run again."
        )


def experiment_name(now: float | None = None) -> str:
    return time.strftime("gaitops-%Y%m%d-%H%M%S", time.gmtime(now))


def experiment_command(name: str, overrides: list[str]) -> list[str]:
    """`dvc exp run --temp`: a temporary copy runs it, so params.yaml and the workspace's outputs
    are never changed, even when the run fails."""
    return ["dvc", "exp", "run", "--temp", "-n", name, *[a for o in overrides for a in ("-S", o)]]


def experiment_ref(root: Path, name: str) -> str:
    """The git ref DVC saved experiment `name` under."""
    refs = subprocess.run(
        ["git", "for-each-ref", "--format=%(refname)", "refs/exps"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = [r for r in refs if r.rsplit("/", 1)[-1] == name and "/exec/" not in r]
    if not found:
        raise ConfigError(f"no DVC experiment named {name!r} in {root} (dvc exp list shows them)")
    return found[0]


def experiment_metrics(root: Path, name: str) -> dict[str, Any]:
    """The stage records of experiment `name`, read from its commit (not the workspace)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", experiment_ref(root, name), "records"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tmp, filter="data")
        return collect_metrics(Paths(Path(tmp)))
