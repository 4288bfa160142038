"""Each pipeline stage as a Prefect flow; fold loops run as mapped tasks.

DVC calls this module (``python -m flows.stages NAME``); the work is the stage function in
gaitops.stages, the same one a direct call runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.runtime import prefect_api
from gaitops import stages
from gaitops.config import Settings, load_settings
from gaitops.errors import GaitopsError
from gaitops.paths import Paths

# One fold at a time: training seeds torch's global RNG, so threads would break determinism.
# For parallel folds use a process-based runner (prefect-dask's DaskTaskRunner).
SERIAL = ThreadPoolTaskRunner(max_workers=1)


def prefect_map(task_name: str) -> stages.MapFn:
    """A ``map_folds`` that runs each item as a Prefect task on the flow's task runner."""

    def run(function: Callable[[Any], Any], items: list[Any]) -> list[Any]:
        fold_task = task(function, name=task_name, cache_policy=NO_CACHE)
        return [future.result() for future in fold_task.map(items)]

    return run


@task(name="load settings", cache_policy=NO_CACHE)
def settings_task(params_path: str) -> Settings:
    return load_settings(params_path)


def _stage_task(name: str) -> Any:
    return task(stages.STAGES[name], name=name, cache_policy=NO_CACHE)


@flow(name="ingest", log_prints=True)
def ingest_flow(params_path: str = "params.yaml", root: str = ".") -> dict[str, Any]:
    info = _stage_task("ingest")(settings_task(params_path), Paths(Path(root)))
    return info.as_dict()


@flow(name="validate", log_prints=True)
def validate_flow(params_path: str = "params.yaml", root: str = ".") -> bool:
    report = _stage_task("validate")(settings_task(params_path), Paths(Path(root)))
    return bool(report["success"])


@flow(name="train", task_runner=SERIAL, log_prints=True)
def train_flow(params_path: str = "params.yaml", root: str = ".") -> dict[str, Any]:
    return stages.train(
        settings_task(params_path), Paths(Path(root)), map_folds=prefect_map("train fold")
    )


@flow(name="explain", task_runner=SERIAL, log_prints=True)
def explain_flow(params_path: str = "params.yaml", root: str = ".") -> dict[str, Any]:
    return stages.explain(
        settings_task(params_path), Paths(Path(root)), map_folds=prefect_map("explain fold")
    )


@flow(name="score", log_prints=True)
def score_flow(params_path: str = "params.yaml", root: str = ".") -> dict[str, Any]:
    return _stage_task("score")(settings_task(params_path), Paths(Path(root)))


STAGE_FLOWS = {
    "ingest": ingest_flow,
    "validate": validate_flow,
    "train": train_flow,
    "explain": explain_flow,
    "score": score_flow,
}


def main(argv: list[str]) -> int:
    """``python -m flows.stages NAME``: run one stage as a flow on the project's Prefect server."""
    if len(argv) != 1 or argv[0] not in STAGE_FLOWS:
        print(f"usage: python -m flows.stages {{{','.join(STAGE_FLOWS)}}}", file=sys.stderr)
        return 2
    try:
        with prefect_api():
            STAGE_FLOWS[argv[0]]()
    except GaitopsError as exc:
        print(f"gaitops {argv[0]}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
