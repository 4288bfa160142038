"""Shared fixtures: a tiny synthetic cohort, settings that train in seconds, and a real Prefect
server started once per test session (per xdist worker) by gaitops itself."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pandas as pd
import pytest

from gaitops.config import Settings
from gaitops.data.sources.synthetic import generate
from gaitops.prefect_server import ServerSpec, start, stop
from helpers import TINY_PARAMS
from helpers.project import free_port

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DVC_NO_ANALYTICS", "1")


@pytest.fixture(scope="session")
def tiny_settings() -> Settings:
    return Settings.model_validate(TINY_PARAMS)


@pytest.fixture(scope="session")
def tiny_table_cached(tiny_settings: Settings) -> pd.DataFrame:
    return generate(tiny_settings.synthetic)


@pytest.fixture
def tiny_table(tiny_table_cached: pd.DataFrame) -> pd.DataFrame:
    return tiny_table_cached.copy()


@pytest.fixture(scope="session")
def prefect_api_url(tmp_path_factory) -> Iterator[str]:
    spec = ServerSpec(home=tmp_path_factory.mktemp("prefect-home"), port=free_port())
    url = start(spec)
    yield url
    stop(spec)


def _start_order(item: pytest.Item) -> int:
    """0 for an integration test (whole retrains: minutes per module), 1 for a benchmark smoke,
    2 for the rest (seconds)."""
    if item.get_closest_marker("integration"):
        return 0
    return 1 if "benchmarks" in item.path.parts else 2


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whole modules per xdist worker, longest work first. `make test` (--dist loadgroup
    --no-loadscope-reorder) gives each of two workers whole groups in this order: a module is its
    own group unless it names one (the modules that start from the session's reproduced tiny
    project share theirs, so one worker builds it once). The minutes-long groups start at once
    and the short ones fill in after, so neither worker is left alone with a long one at the end
    (xdist's own order, most tests first, ran the one-test lifecycle module last)."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    items.sort(key=_start_order)  # stable: collection order within each group
