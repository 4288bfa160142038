"""Which model to use and where its bytes are: the promoted version (or one asked for), brought
back from DVC's cache or remote by the retrain commit it was registered at."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from gaitops.config import Settings
from gaitops.errors import GaitopsError
from gaitops.io import sha256_of
from gaitops.lifecycle import registry
from gaitops.lifecycle.git import dvc_command
from gaitops.lifecycle.history import Retrain, find_retrain, read_history

FETCHED = Path(".gaitops") / "registry"  # models of past retrains, fetched once per commit


@dataclass(frozen=True)
class ModelInUse:
    path: Path
    name: str  # what the user reads: "gait-model@v3.0.0 (prod)" or a file path
    retrain: Retrain | None  # None: a model file given by path


def resolve_model(root: Path, settings: Settings, model: str | None) -> ModelInUse:
    """`model`: None (the version in the promoted stage), a version (v3 / v3.0.0), a retrain
    commit, or a model file's path."""
    if model is not None and Path(model).is_file():
        return ModelInUse(Path(model), model, None)
    branch = settings.promote.history_branch
    stage = settings.promote.stage
    if model is None:
        held = registry.in_stage(root, stage)
        if held is None:
            raise GaitopsError(
                f"no model is in stage {stage!r} yet. Fix: run a retrain (gaitops run: the first "
                "model is promoted), or give one with --model VERSION or --model FILE."
            )
        retrain = next((r for r in read_history(root, branch) if r.commit == held.commit), None)
        if retrain is None:
            raise GaitopsError(
                f"{held.tag} (stage {stage}) points at commit {held.commit[:12]}, which is not a "
                f"retrain on {branch}. Fix: give the model with --model FILE."
            )
        name = f"{held.tag} ({stage})"
    else:
        retrain = find_retrain(root, branch, model)
        name = f"{registry.ARTIFACT}@{retrain.version}" if retrain.version else model
    return ModelInUse(fetch(root, retrain, registry.ARTIFACT_PATH), name, retrain)


def fetch(root: Path, retrain: Retrain, path: str) -> Path:
    """The file `path` as `retrain` produced it: the workspace's when it is the same bytes, else
    `dvc get` at the retrain's commit (from the cache, or the remote), checked by its hash."""
    here = root / path
    if path == registry.ARTIFACT_PATH and here.exists() and sha256_of(here) == retrain.model_sha256:
        return here
    target = root / FETCHED / retrain.commit / path
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [
                dvc_command(),
                "get",
                str(root.resolve()),
                path,
                "--rev",
                retrain.commit,
                "-o",
                str(target),
            ],
            cwd=root,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise GaitopsError(
                f"{path} of retrain {retrain.commit[:12]} could not be brought back: "
                f"{(result.stderr or result.stdout).strip()[-400:]}. Fix: `dvc pull` from the "
                "project's DVC remote, or give a model file with --model FILE."
            )
    if path == registry.ARTIFACT_PATH and sha256_of(target) != retrain.model_sha256:
        raise GaitopsError(
            f"{target}: its sha256 is not the one retrain {retrain.commit[:12]} recorded. "
            f"Delete it and run again."
        )
    return target
