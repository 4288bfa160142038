"""The task runner a stage flow maps its items on, from the `runtime` section of params.yaml,
and how what every item shares (the data, the settings) reaches the runner's workers."""

from __future__ import annotations

from typing import Any

from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from gaitops.errors import ConfigError
from gaitops.settings.runtime import RuntimeSettings

# Dask's defaults for worker processes, costly for torch fits: the nanny sets
# MALLOC_TRIM_THRESHOLD_=65536 (glibc then hands memory back and faults it in again around every
# tensor) and each worker samples its threads' stacks every 10 ms. Together they made the same
# fold fit take 2.2x as long in a worker as in the flow's process (5 s against 11 s); without
# them, the worker's fit is as fast. And the scheduler's active memory manager drops, every 2 s,
# the broadcast copies of `sent_once` that no submitted task waits for yet, so the data set was
# sent again to a worker whose copy went. None of the three changes a result.
LOCAL_CLUSTER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.active-memory-manager.start": False,
}

# Each local worker's start and close (flows/dask_worker.py: what every item's function loads,
# imported by all workers at once). Where work runs, not what it computes: no stage depends on
# this file.
WORKER_PRELOAD = ("flows.dask_worker",)


def local_cluster(**cluster_kwargs: Any) -> Any:
    """A `distributed.LocalCluster` started with `LOCAL_CLUSTER_CONFIG` (the DaskTaskRunner's
    `cluster_class`): the scheduler and the nannies read their settings as they start, and each
    nanny hands its worker processes the config it started with."""
    import dask
    import distributed  # its defaults load first: leaving `set` would drop them otherwise

    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        return distributed.LocalCluster(**cluster_kwargs)


def task_runner(runtime: RuntimeSettings) -> TaskRunner:
    """serial: one item at a time in this process (a fit owns the process's generators, so
    threads would make results depend on timing); dask: prefect-dask's DaskTaskRunner, on a
    local cluster of single-threaded worker processes (importing `WORKER_PRELOAD` as they
    start) or on the scheduler at `address`."""
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
        cluster_class=local_cluster,
        cluster_kwargs={
            "n_workers": runtime.workers,
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,
            "preload": list(WORKER_PRELOAD),
        },
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
    # to every worker: scattered to one, the scheduler keeps items near the data (measured: five
    # or six of six items ran on the worker holding it)
    [future] = runner.client.scatter([value], broadcast=True, hash=False)
    return future
