"""Shared fixtures: a tiny synthetic cohort and settings that train in seconds; and how the suite
is shared between xdist workers."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from gaitops.config import Settings
from gaitops.data.sources.synthetic import generate
from helpers import TINY_PARAMS

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With `--dist loadgroup` (make test), the tests of a module that share a module-scoped
    fixture (one reproduced project, one fitted model) run on one worker, in order, so the
    fixture is built once; every other test is handed to whichever worker is free."""
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is None:
            continue
        shared = any(
            definition.scope == "module"
            for definitions in fixtures.name2fixturedefs.values()
            for definition in definitions
        )
        if shared:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
