"""`gaitops schedule`: the retrain flow served as a cron deployment on a real Prefect server."""

import copy
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.states import Scheduled

from helpers import TINY_PARAMS
from helpers.prefect_runs import deployment_parameters, deployment_schedule
from helpers.project import make_project, tool_env

pytestmark = pytest.mark.integration


def test_serve_registers_a_cron_deployment_and_leaves_no_runs_when_stopped(
    tmp_path, prefect_api_url
):
    project = make_project(tmp_path, copy.deepcopy(TINY_PARAMS))
    name = "retrain-cron-0-3-x-x-x"
    server = subprocess.Popen(
        [sys.executable, "-m", "flows.schedule", "--cron", "0 3 * * *"],
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
            found = deployment_schedule(prefect_api_url, "scheduled-retrain", name)
            time.sleep(1)
        assert found is not None, "the deployment never appeared"
        crons, scheduled = found
        assert crons == ["0 3 * * *"]
        assert scheduled > 0
        assert deployment_parameters(prefect_api_url, name) == {}  # no path, no settings to pass
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "future run(s) of retrain-cron-0-3-x-x-x deleted" in output, output[-2000:]
    assert deployment_schedule(prefect_api_url, "scheduled-retrain", name)[1] == 0


def test_missed_runs_collapse_to_one_catch_up(prefect_api_url):
    from flows.schedule import clear_scheduled_runs, drop_missed_runs, scheduled_retrain

    now = datetime.now(UTC)
    with temporary_settings({PREFECT_API_URL: prefect_api_url}):
        deployment_id = scheduled_retrain.to_deployment(name="missed-runs").apply()
        with get_client(sync_client=True) as client:
            for hours in (-3, -2, -1, 5):
                client.create_flow_run_from_deployment(
                    deployment_id, state=Scheduled(scheduled_time=now + timedelta(hours=hours))
                )
        try:
            assert drop_missed_runs(deployment_id, now) == (1, 2)
            with get_client(sync_client=True) as client:
                left = client.read_flow_runs(
                    deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
                )
            starts = sorted(run.expected_start_time for run in left)
            assert [round((t - now).total_seconds() / 3600) for t in starts] == [-1, 5]
        finally:
            clear_scheduled_runs(deployment_id)  # leave the shared server as it was
