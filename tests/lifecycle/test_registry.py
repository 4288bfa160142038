"""The model registry (GTO tags) as a running retrain reads it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

READ_MID_RUN = """
import logging.config
import sys
from pathlib import Path

import flows.retrain  # what a retrain has imported before its flow starts
from gaitops.lifecycle import registry

calls = []
logging.config.dictConfig = calls.append
registry.versions(Path(sys.argv[1]))
print(len(calls))
"""


def test_reading_the_registry_mid_run_reconfigures_no_logging(tmp_path):
    """gto sets logging up when first imported, flushing every handler already installed: inside
    a flow run, Prefect's API log handler then waits out its 5 s timeout. The retrain flow's
    imports bring gto in first, so reading the registry during a run configures nothing."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = subprocess.run(
        [sys.executable, "-c", READ_MID_RUN, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split()[-1] == "0", done.stdout
