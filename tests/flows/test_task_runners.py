"""The runner a stage maps its items on: a local cluster started without the Dask defaults that
slow fits or send the data twice; a team's own scheduler left as it is."""

from __future__ import annotations

import gc
import os
import sys

import dask
import distributed
from flows.task_runners import LOCAL_CLUSTER_CONFIG, WORKER_PRELOAD, local_cluster, task_runner
from prefect_dask import DaskTaskRunner

from gaitops.settings.runtime import RuntimeSettings


def _worker_view() -> tuple[object, object, bool]:
    return (
        os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        dask.config.get("distributed.worker.profile.enabled"),
        # flows/dask_worker.py: gaitops' models imported as the worker started, and frozen
        all(name in sys.modules for name in WORKER_PRELOAD)
        and "gaitops.models.training" in sys.modules
        and gc.get_freeze_count() > 100_000,
    )


def test_the_local_cluster_s_scheduler_and_workers_start_with_its_settings():
    defaults = {key: dask.config.get(key) for key in LOCAL_CLUSTER_CONFIG}
    runner = task_runner(RuntimeSettings(runner="dask", workers=1))
    assert isinstance(runner, DaskTaskRunner) and runner.cluster_class is local_cluster
    with (
        local_cluster(**{**runner.cluster_kwargs, "n_workers": 1}) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert cluster.scheduler.extensions["amm"].running is False  # no memory manager
        [(trim, profiling, preloaded)] = client.run(_worker_view).values()  # in the worker
        assert trim is None and profiling is False and preloaded
    # and nothing else in this process changed: Dask's own defaults are back
    assert {key: dask.config.get(key) for key in LOCAL_CLUSTER_CONFIG} == defaults
    assert dask.config.get("distributed.comm.timeouts.connect")


def test_a_team_s_own_scheduler_is_only_connected_to():
    runner = task_runner(RuntimeSettings(runner="dask", address="tcp://scheduler:8786"))
    assert runner.address == "tcp://scheduler:8786" and runner.cluster_class is None
