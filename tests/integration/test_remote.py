"""An object-store DVC remote: push from one clone, pull into a fresh one, bit for bit.

The store is a real S3-compatible server (moto's server mode) on 127.0.0.1, started by the test;
DVC talks to it through dvc-s3 exactly as it would to S3 or MinIO (`endpointurl`).
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from helpers.object_store import CREDENTIALS
from helpers.project import copy_project, tool_env

pytestmark = pytest.mark.integration


def _sh(command: list[str], cwd: Path, api_url: str) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=tool_env(api_url, CREDENTIALS), capture_output=True, text=True
    )
    assert result.returncode == 0, (
        f"{' '.join(command)}\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
    )
    return result.stdout


def _hashes(root: Path, folders: tuple[str, ...]) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def test_push_then_pull_into_a_fresh_clone_restores_models_and_explanations(
    tmp_path, prefect_api_url, object_store, reproduced_tiny
):
    project = copy_project(reproduced_tiny, tmp_path / "team")  # `dvc repro` has run in it
    # the documented set-up (README, Scaling out): a default remote, its endpoint, credentials
    # from the environment (or `dvc remote modify --local`, kept out of git)
    _sh(["dvc", "remote", "add", "-d", "store", "s3://gaitops/cache"], project, prefect_api_url)
    _sh(["dvc", "remote", "modify", "store", "endpointurl", object_store], project, prefect_api_url)
    for command in (
        ["git", "add", "-A"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "run"],
    ):
        _sh(command, project, prefect_api_url)
    pushed = _sh(["dvc", "push"], project, prefect_api_url)
    assert "pushed" in pushed
    stored = _hashes(project, ("data/models", "data/explanations/integrated_gradients"))
    assert any(name.endswith("fold_0.pt") for name in stored)

    clone = tmp_path / "colleague"
    _sh(["git", "clone", "-q", str(project), str(clone)], tmp_path, prefect_api_url)
    assert not (clone / "data" / "models").exists()  # the clone has only the pointers
    _sh(["dvc", "pull", "--with-deps", "explain@integrated_gradients"], clone, prefect_api_url)
    assert _hashes(clone, ("data/models", "data/explanations/integrated_gradients")) == stored
    status = _sh(["dvc", "status", "explain@integrated_gradients"], clone, prefect_api_url)
    assert "up to date" in status  # the pulled outputs are exactly what dvc.lock records
    # and the whole pipeline: every stage as recorded, the ones that are off included (their
    # empty plot folders come back from the cache; git would not keep them)
    _sh(["dvc", "pull"], clone, prefect_api_url)
    assert "up to date" in _sh(["dvc", "status"], clone, prefect_api_url)
