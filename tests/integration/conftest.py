"""A real Prefect server, started once for the whole test session by gaitops itself."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from gaitops.prefect_server import ServerSpec, start, stop


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_api_url(tmp_path_factory) -> Iterator[str]:
    spec = ServerSpec(home=tmp_path_factory.mktemp("prefect-home"), port=_free_port())
    url = start(spec)
    yield url
    stop(spec)
