"""Shared fixtures: a tiny synthetic cohort and settings that train in seconds."""

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
