"""How flow processes talk to Prefect: the project's server, quiet clients, gaitops logs in the UI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "gaitops")
os.environ.setdefault("DO_NOT_TRACK", "1")

from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
    temporary_settings,
)

from gaitops.prefect_server import ensure_api_url

# Set by a retrain run for the stage processes it starts through DVC (`dvc exp run`): their flow
# runs carry this tag, so the UI finds them from the retrain run.
RETRAIN_TAG_ENV = "GAITOPS_RETRAIN_TAG"


@contextmanager
def prefect_api(root: Path = Path(".")) -> Iterator[str]:
    """Point Prefect at the configured (or the project's own) server for the enclosed flow calls."""
    url = ensure_api_url(root)
    os.environ["PREFECT_API_URL"] = url  # child processes (dvc -> stage flows) use it too
    with temporary_settings({PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield url
