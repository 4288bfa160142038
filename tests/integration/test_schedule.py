"""`gaitops schedule`: the retrain flow served as a cron deployment on a real Prefect server."""

import copy
import subprocess
import sys
import time

import pytest

from helpers import TINY_PARAMS
from helpers.prefect_runs import deployment_schedule
from helpers.project import make_project, tool_env

pytestmark = pytest.mark.integration


def test_serve_registers_a_cron_deployment_with_scheduled_runs(tmp_path, prefect_api_url):
    project = make_project(tmp_path, copy.deepcopy(TINY_PARAMS))
    server = subprocess.Popen(
        [sys.executable, "-m", "flows.retrain", "serve", "--cron", "0 3 * * *"],
        cwd=project,
        env=tool_env(prefect_api_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        found = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not (found and found[1] > 0):
            assert server.poll() is None, server.stdout.read()
            found = deployment_schedule(prefect_api_url, "retrain", "nightly")
            time.sleep(1)
        assert found is not None, "the deployment never appeared"
        crons, scheduled = found
        assert crons == ["0 3 * * *"]
        assert scheduled > 0
    finally:
        server.terminate()
        server.wait(timeout=30)
