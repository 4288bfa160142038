"""The model registry is DVC's own: GTO versions and stages as git tags on retrain commits.

`dvc.yaml` declares the artifact (`artifacts: gait-model: path: data/models/final.pt`). Each
retrain that produced a new model registers it as a version (`gait-model@v3.0.0`); a promoted
version is also assigned the stage (`gait-model#prod#2`). `gto show`, `dvc get --rev
gait-model@v3.0.0` and every GTO tool read the same tags.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

# gto configures logging when first imported (logging.config.dictConfig), which flushes every
# handler already installed: inside a flow run, Prefect's API log handler then waits its 5 s
# timeout. Imported with this module, before any flow runs, it costs no such stall.
import gto.api
import yaml
from gto.exceptions import ArtifactNotFound

from gaitops.errors import GaitopsError
from gaitops.lifecycle.git import identity

ARTIFACT = "gait-model"
ARTIFACT_PATH = "data/models/final.pt"


@dataclass(frozen=True)
class Version:
    """A registered model version: its tag name, commit, and the stages it holds now."""

    version: str
    commit: str
    stages: tuple[str, ...]
    created: str

    @property
    def tag(self) -> str:
        return f"{ARTIFACT}@{self.version}"


def declared_artifact(root: Path) -> str:
    """The artifact `dvc.yaml` declares for the final model; GaitopsError when it lacks one."""
    declared = (yaml.safe_load((root / "dvc.yaml").read_text()) or {}).get("artifacts") or {}
    if declared.get(ARTIFACT, {}).get("path") != ARTIFACT_PATH:
        raise GaitopsError(
            f"{root / 'dvc.yaml'} declares no artifact {ARTIFACT!r} at {ARTIFACT_PATH}. Fix: add\n"
            f"artifacts:\n  {ARTIFACT}:\n    path: {ARTIFACT_PATH}\n    type: model"
        )
    return ARTIFACT


def versions(root: Path) -> list[Version]:
    """Every registered version, oldest first, with the stages it holds now (GTO's rule: the
    latest assignment of a stage wins)."""
    try:
        shown = gto.api.show(root, ARTIFACT, registered_only=True, assignments_per_version=-1)
    except ArtifactNotFound:  # nothing registered yet
        return []
    stages = {stage["stage"] for entry in shown for stage in entry["stages"]}
    holders = {
        stage: {held.version for held in gto.api.find_versions_in_stage(root, ARTIFACT, stage)}
        for stage in stages
    }
    found = [
        Version(
            version=entry["version"],
            commit=entry["commit_hexsha"],
            stages=tuple(sorted(s for s in stages if entry["version"] in holders[s])),
            created=entry["created_at"].isoformat(timespec="seconds"),
        )
        for entry in shown
    ]
    return sorted(found, key=lambda v: _number(v.version))


def _number(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.lstrip("v").split("."))


def in_stage(root: Path, stage: str) -> Version | None:
    """The version that holds `stage` now (the latest assignment), or None."""
    holding = [v for v in versions(root) if stage in v.stages]
    return holding[-1] if holding else None


def next_version(root: Path) -> str:
    """v1.0.0 for the first model, then one major version more than the newest."""
    known = versions(root)
    return f"v{_number(known[-1].version)[0] + 1}.0.0" if known else "v1.0.0"


def register(root: Path, commit: str, version: str, message: str) -> None:
    """Tag `commit` as `version` of the model."""
    name, email = identity(root)
    with redirect_stdout(io.StringIO()):  # GTO prints what it did; the retrain logs it itself
        gto.api.register(
            root,
            declared_artifact(root),
            ref=commit,
            version=version,
            message=message,
            author=name,
            author_email=email,
        )


def assign(root: Path, version: str, stage: str, message: str) -> None:
    """Give `version` the stage (e.g. prod): it becomes the model `gaitops predict` uses."""
    name, email = identity(root)
    with redirect_stdout(io.StringIO()):
        gto.api.assign(
            root,
            ARTIFACT,
            stage,
            version=version,
            message=message,
            author=name,
            author_email=email,
        )
