"""The task runner a stage flow maps its items on, from the `runtime` section of params.yaml,
and how what every item shares (the data, the settings) reaches the runner's workers."""

from __future__ import annotations

from typing import Any

from prefect.context import FlowRunContext
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


def sent_once(value: Any) -> Any:
    """`value` as the running flow's mapped tasks should take it (wrapped in `unmapped`): on
    Dask, scattered once to every worker, so each task gets its worker's copy instead of a
    pickle of its own (the data set travels once per worker, not once per fold or trial); on
    the serial runner, `value` itself."""
    context = FlowRunContext.get()
    runner = context.task_runner if context is not None else None
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:  # no scale extra: no Dask runner either
        return value
    if not isinstance(runner, DaskTaskRunner):
        return value
    [future] = runner.client.scatter([value], broadcast=True, hash=False)
    return future
