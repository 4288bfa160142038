"""Each pipeline stage as a Prefect flow; a stage's fold loop runs as mapped tasks.

DVC calls this module (``python -m flows.stages NAME [ITEM]``, ITEM for the stages it runs per
method, such as ``explain deeplift``); a retrain run calls the same flows in its own process, as
subflows (`run_stage_flow`). Either way the work is the stage's ``run`` in gaitops.stages,
imported only when its flow runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from prefect import Flow, flow, tags, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.runtime import (
    RETRAIN_TAG_ENV,
    failed_without_traceback,
    prefect_api,
    result_or_raise,
    untagged_task_runs,
)
from flows.task_runners import sent_once, task_runner
from gaitops.config import load_settings
from gaitops.errors import GaitopsError
from gaitops.garbage_collection import imports_uncollected, no_collection_at_exit
from gaitops.paths import Paths
from gaitops.pipeline import STAGE_NAMES, STAGES, Stage, split_address
from gaitops.stages import MapFn


def _run_item(item: Any, function: Callable[[Any], Any]) -> Any:
    return function(item)


def prefect_map(task_name: str, torch_threads: int | None) -> MapFn:
    """A ``map_items`` that runs each item as a Prefect task on the flow's task runner, on the
    same torch thread count wherever it runs (`torch_threads`, default this process's): the
    thread count changes the results' bytes. The function (with the data it holds) goes to
    the runner's workers once (`sent_once`), the items one by one; the item runs are untagged
    (`untagged_task_runs`)."""

    def run(
        function: Callable[[Any], Any], items: list[Any], label: str | None = None
    ) -> list[Any]:
        # imported here: only the stages that map items load torch (ingest and validate do not)
        from gaitops.models.seeding import on_torch_threads, thread_count

        threads = torch_threads or thread_count()
        shared = sent_once(partial(on_torch_threads, function, threads))
        name = task_name if label is None else f"{task_name} ({label})"
        item_task = task(_run_item, name=name, cache_policy=NO_CACHE)
        with untagged_task_runs():  # no tag concurrency check per item (see there)
            futures = item_task.map(items, unmapped(shared))
        return [future.result() for future in futures]

    return run


def _stage_flow(stage: Stage) -> Flow[..., Any]:
    def run_stage(item: str | None = None, params_path: str = "params.yaml") -> Any:
        try:
            settings = load_settings(params_path)
            with imports_uncollected():  # torch, Lightning, ...: never walked again
                function = stage.function()
            keywords: dict[str, Any] = {} if item is None else {"item": item}
            if stage.item_task is not None:
                keywords["map_items"] = prefect_map(stage.item_task, settings.runtime.torch_threads)
            return function(settings, Paths(Path(".")), **keywords)
        except GaitopsError as exc:
            return failed_without_traceback(exc)

    run_stage.__doc__ = stage.summary
    # One item at a time unless runtime.runner says otherwise (run_stage_flow sets it): results
    # must not depend on thread timing (see docs/scaling-out.md).
    return flow(
        run_stage,
        name=stage.name,
        description=stage.summary,
        task_runner=ThreadPoolTaskRunner(max_workers=1),
        log_prints=True,
        validate_parameters=False,
    )


STAGE_FLOWS: dict[str, Flow[..., Any]] = {stage.name: _stage_flow(stage) for stage in STAGES}


def run_stage_flow(address: str) -> Any:
    """Run the flow of a DVC stage address (``train``, ``explain@deeplift``); its flow run is
    named after the address, so each method's run is told apart in the UI. A user's error ends
    the run Failed with its message and is raised here again, without Prefect's traceback."""
    stage, item = split_address(address)
    flow_ = STAGE_FLOWS[stage.name]
    if stage.item_task is not None:  # where its items run: runtime in params.yaml
        flow_ = flow_.with_options(task_runner=task_runner(load_settings("params.yaml").runtime))
    if item is not None:
        flow_ = flow_.with_options(flow_run_name=address)
    state = flow_(**({} if item is None else {"item": item}), return_state=True)
    return result_or_raise(state)


def main(argv: list[str]) -> int:
    """``python -m flows.stages NAME [ITEM]``: run one stage as a flow on the project's Prefect server."""
    no_collection_at_exit()
    address = "@".join(argv)
    try:
        split_address(address)
    except KeyError:
        print(f"usage: python -m flows.stages {{{','.join(STAGE_NAMES)}}} [ITEM]", file=sys.stderr)
        return 2
    retrain_tag = os.environ.get(RETRAIN_TAG_ENV)
    try:
        with prefect_api(), tags(*(retrain_tag.split(",") if retrain_tag else [])):
            run_stage_flow(address)
    except GaitopsError as exc:
        print(f"gaitops {address}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
