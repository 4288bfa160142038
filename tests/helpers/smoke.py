"""Run a benchmark script's smoke mode, as the suite does for every script in benchmarks/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# a running Prefect server's API URL for a benchmark run to use instead of starting its own
# (benchmarks/_prefect_server.py): one server start fewer per smoke
SHARED_SERVER_ENV = "GAITOPS_BENCH_PREFECT_API_URL"


def run_smoke(script: str, *arguments: str, prefect_api_url: str | None = None) -> str:
    """Standard output of `python benchmarks/SCRIPT --smoke ARGUMENTS`, which must exit 0; its
    flows report to the Prefect server at `prefect_api_url` when given (else the script starts
    its own)."""
    env = dict(os.environ)
    if prefect_api_url is not None:
        env[SHARED_SERVER_ENV] = prefect_api_url
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--smoke", *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
