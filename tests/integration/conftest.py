"""A private PostgreSQL cluster, an S3-compatible object store and one tiny project reproduced
by `dvc repro` for the integration tests (the session's Prefect server is in tests/conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from helpers import reproduced_params
from helpers.object_store import object_store_server
from helpers.postgres import REQUIRE_ENV, Cluster, private_cluster, unavailable_reason
from helpers.prefect_runs import flow_runs, new_runs, task_run_logs
from helpers.project import Reproduced, make_project, run


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A private PostgreSQL cluster on 127.0.0.1 for the session; skipped, with the reason, where
    PostgreSQL cannot start (a failure instead when GAITOPS_REQUIRE_SERVICES is set, as in CI)."""
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{REQUIRE_ENV} is set but {reason}")
        pytest.skip(reason)
    with private_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def object_store(tmp_path_factory) -> Iterator[str]:
    """The endpoint URL of an S3-compatible server on loopback, with bucket `gaitops`."""
    with object_store_server(tmp_path_factory.mktemp("s3")) as url:
        yield url


@pytest.fixture(scope="session")
def reproduced_tiny(tmp_path_factory, prefect_api_url) -> Reproduced:
    """The whole pipeline of `reproduced_params`, run once by `dvc repro` (a process per stage
    address), with what the Prefect server showed right after. The modules that start from it
    copy it (`copy_project`); they are `REPRODUCED_MODULES`, which one worker runs, so it builds
    it once."""
    project = make_project(tmp_path_factory.mktemp("reproduced"), reproduced_params())
    before = flow_runs(prefect_api_url)
    result = run(["dvc", "repro"], project, prefect_api_url)
    runs = new_runs(prefect_api_url, before)
    logs = task_run_logs(prefect_api_url, "train", "train fold") if result.returncode == 0 else {}
    return Reproduced(project, result, runs, logs)
