"""An object-store DVC remote: push from one clone, pull into a fresh one, bit for bit.

The store is a real S3-compatible server (moto's server mode) on 127.0.0.1, started by the test;
DVC talks to it through dvc-s3 exactly as it would to S3 or MinIO (`endpointurl`).
"""

from __future__ import annotations

import copy
import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helpers import TINY_PARAMS
from helpers.project import free_port, make_project, tool_env

pytestmark = pytest.mark.integration
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "gaitops-test",
    "AWS_SECRET_ACCESS_KEY": "gaitops-test",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="module")
def object_store(tmp_path_factory) -> Iterator[str]:
    """The endpoint URL of an S3-compatible server on loopback, with bucket `gaitops`."""
    port = free_port()
    log = (tmp_path_factory.mktemp("s3") / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **CREDENTIALS},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the S3-compatible server did not start (see {log.name})")
        import boto3

        boto3.client("s3", endpoint_url=url, **_boto(CREDENTIALS)).create_bucket(Bucket="gaitops")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _boto(credentials: dict[str, str]) -> dict[str, str]:
    return {
        "aws_access_key_id": credentials["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": credentials["AWS_SECRET_ACCESS_KEY"],
        "region_name": credentials["AWS_DEFAULT_REGION"],
    }


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
    tmp_path, prefect_api_url, object_store
):
    project = make_project(tmp_path / "team", copy.deepcopy(TINY_PARAMS))
    # the documented set-up (README, Scaling out): a default remote, its endpoint, credentials
    # from the environment (or `dvc remote modify --local`, kept out of git)
    _sh(["dvc", "remote", "add", "-d", "store", "s3://gaitops/cache"], project, prefect_api_url)
    _sh(["dvc", "remote", "modify", "store", "endpointurl", object_store], project, prefect_api_url)
    _sh(["dvc", "repro", "explain@integrated_gradients"], project, prefect_api_url)
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
