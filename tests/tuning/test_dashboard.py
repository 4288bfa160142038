"""`gaitops tune dashboard` serves optuna-dashboard on 127.0.0.1 for the tuning storage."""

import subprocess
import sys
import time
from pathlib import Path

import httpx
import optuna

from helpers.project import ROOT, free_port


def test_dashboard_lists_the_studies_of_the_storage(tmp_path):
    storage = f"sqlite:///{tmp_path / 'optuna.db'}"
    optuna.create_study(study_name="gaitops-probe", storage=storage).optimize(
        lambda t: t.suggest_float("x", 0, 1), n_trials=2
    )
    port = free_port()
    gaitops = Path(sys.executable).parent / "gaitops"
    server = subprocess.Popen(
        [str(gaitops), "tune", "dashboard", "--port", str(port), "--storage", storage],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline, body = time.monotonic() + 60, ""
        while time.monotonic() < deadline and "gaitops-probe" not in body:
            assert server.poll() is None, server.stdout.read()
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/api/studies", timeout=2).text
            except httpx.HTTPError:
                time.sleep(0.5)
        assert "gaitops-probe" in body
    finally:
        server.terminate()
        server.wait(timeout=30)
