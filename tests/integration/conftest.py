"""A real Prefect server, started once for the whole test session by gaitops itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gaitops.prefect_server import ServerSpec, start, stop
from helpers.project import free_port


@pytest.fixture(scope="session")
def prefect_api_url(tmp_path_factory) -> Iterator[str]:
    spec = ServerSpec(home=tmp_path_factory.mktemp("prefect-home"), port=free_port())
    url = start(spec)
    yield url
    stop(spec)
