"""A stage's mapped items as Prefect task runs: untagged, inside their flow run, which keeps the
tags of the runs around it (on the serial runner and on Dask workers alike)."""

from __future__ import annotations

import pytest
from flows.stages import prefect_map
from flows.task_runners import task_runner
from prefect import flow, tags
from prefect.client.orchestration import get_client
from prefect.runtime import flow_run
from prefect.settings import PREFECT_API_URL, temporary_settings

from gaitops.settings.runtime import RuntimeSettings
from helpers.prefect_runs import task_runs_of

TAG = "gaitops:test-item-tags"


@pytest.mark.parametrize("runner", ["serial", "dask"])
def test_item_task_runs_carry_no_tags_and_their_flow_run_keeps_them(runner, prefect_api_url):
    @flow(task_runner=task_runner(RuntimeSettings(runner=runner, workers=1)))
    def absolutes() -> tuple[list[int], str]:
        return prefect_map("item", torch_threads=1)(abs, [-1, -2, -3]), str(flow_run.get_id())

    with temporary_settings({PREFECT_API_URL: prefect_api_url}), tags(TAG):
        values, run_id = absolutes()
        with get_client(sync_client=True) as client:
            run_tags = client.read_flow_run(run_id).tags
    assert values == [1, 2, 3]
    assert TAG in run_tags
    assert sorted(task_runs_of(prefect_api_url, [run_id])) == [("item", "COMPLETED", [])] * 3
