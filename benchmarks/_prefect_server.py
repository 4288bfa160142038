"""The Prefect server a benchmark's flows report to (not a benchmark: a helper of the scripts)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from gaitops.prefect_server import ServerSpec, start, stop  # noqa: E402
from helpers.project import free_port  # noqa: E402
from helpers.smoke import SHARED_SERVER_ENV  # noqa: E402 (the suite passes its session's server)


@contextmanager
def benchmark_prefect_server(home: Path) -> Iterator[str]:
    """The API URL of the server named by $GAITOPS_BENCH_PREFECT_API_URL, else of one of this
    run's own (home `home`, a free port, stopped afterwards); PREFECT_API_URL meanwhile, for the
    flow processes the run starts."""
    shared = os.environ.get(SHARED_SERVER_ENV)
    spec = None if shared else ServerSpec(home=home, port=free_port())
    before = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = start(spec) if spec is not None else str(shared)
    try:
        yield os.environ["PREFECT_API_URL"]
    finally:
        if spec is not None:
            stop(spec)
        if before is None:
            os.environ.pop("PREFECT_API_URL")
        else:
            os.environ["PREFECT_API_URL"] = before
