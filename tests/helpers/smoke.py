"""Run a benchmark script's smoke mode, as the suite does for every script in benchmarks/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_smoke(script: str, *arguments: str) -> str:
    """Standard output of `python benchmarks/SCRIPT --smoke ARGUMENTS`, which must exit 0."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--smoke", *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
