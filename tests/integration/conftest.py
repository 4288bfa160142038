"""A private PostgreSQL cluster and an S3-compatible object store for the integration tests (the
session's Prefect server is in tests/conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from helpers.object_store import object_store_server
from helpers.postgres import REQUIRE_ENV, Cluster, private_cluster, unavailable_reason


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
