"""The task runner a stage flow maps its items on, from the `runtime` section of params.yaml."""

from __future__ import annotations

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from gaitops.config import RuntimeSettings
from gaitops.errors import ConfigError


def task_runner(runtime: RuntimeSettings) -> TaskRunner:
    """serial: one item at a time in this process (a fit owns the process's generators, so
    threads would make results depend on timing); dask: prefect-dask's DaskTaskRunner, on a
    local cluster of single-threaded worker processes or on the scheduler at `address`."""
    if runtime.runner == "serial":
        return ThreadPoolTaskRunner(max_workers=1)
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:
        raise ConfigError(
            "runtime.runner: dask needs the scale extra: pip install -e '.[scale]'"
        ) from exc
    if runtime.address:
        return DaskTaskRunner(address=runtime.address)
    return DaskTaskRunner(
        cluster_kwargs={
            "n_workers": runtime.workers,
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,
        }
    )
