"""Folds on Dask workers through Prefect: the same metrics and model bytes as one at a time, and
what the items share (the data) sent to each worker once, not with every item."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import dask
import distributed  # noqa: F401  (its config defaults load before the test overrides one)
import pytest
import yaml
from flows.stages import prefect_map
from flows.task_runners import WORKER_PRELOAD, task_runner
from prefect import flow
from prefect.settings import PREFECT_API_URL, temporary_settings

from gaitops.config import load_settings
from gaitops.settings.runtime import RuntimeSettings
from helpers.prefect_runs import task_run_names
from helpers.project import Reproduced, copy_project, run

pytestmark = pytest.mark.integration


def _models(project) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((project / "data" / "models").iterdir())
    }


def _set_runtime(project: Path, **runtime: object) -> None:
    settings = yaml.safe_load((project / "params.yaml").read_text())
    settings["runtime"] = {**settings.get("runtime", {}), **runtime}
    (project / "params.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))


def _serially_trained(reproduced: Reproduced, target: Path) -> Path:
    """A copy of the session's reproduced project, whose folds `dvc repro` trained one at a
    time in the train stage's process (the serial runner, the default)."""
    project = copy_project(reproduced, target)
    assert load_settings(project / "params.yaml").runtime.runner == "serial"
    return project


def test_folds_give_the_same_bytes_directly_serially_and_on_two_dask_workers(
    tmp_path, prefect_api_url, reproduced_tiny
):
    """The evidence that lets the orchestration code out of the stages' deps
    (tests/lineage/test_dvc_lineage.py, ORCHESTRATION_ONLY)."""
    project = _serially_trained(reproduced_tiny, tmp_path / "project")
    serial_models = _models(project)
    serial_metrics = (project / "records" / "train.json").read_text()
    assert json.loads(serial_metrics)["protocol"]["folds"] == 2

    _set_runtime(project, runner="dask", workers=2)
    status = run(["dvc", "status", "train"], project, prefect_api_url)
    assert "up to date" in status.stdout  # runtime is no stage's param: it changes no result
    on_dask = run(["dvc", "repro", "--force", "--single-item", "train"], project, prefect_api_url)
    assert on_dask.returncode == 0, on_dask.stdout[-3000:] + on_dask.stderr[-3000:]
    assert task_run_names(prefect_api_url, "train").count("train fold") == 2
    assert _models(project) == serial_models
    assert (project / "records" / "train.json").read_text() == serial_metrics

    direct = run(  # the stage function alone: no Prefect, no DVC, no task runner
        [
            sys.executable,
            "-c",
            "from gaitops.config import load_settings; from gaitops.paths import Paths; "
            "from gaitops.pipeline import get_stage; from pathlib import Path; "
            "get_stage('train').function()(load_settings('params.yaml'), Paths(Path('.')))",
        ],
        project,
        prefect_api_url,
    )
    assert direct.returncode == 0, direct.stderr[-3000:]
    assert _models(project) == serial_models
    assert (project / "records" / "train.json").read_text() == serial_metrics


class CountedArrival:
    """A callable that records, in `log`, every process that unpickles it."""

    def __init__(self, log: str) -> None:
        self.log = log

    def __call__(self, item: int) -> tuple[int, int]:
        return item * item, os.getpid()

    def __reduce__(self):
        return (_arrived, (self.log,))


def _arrived(log: str) -> CountedArrival:
    with open(log, "a") as file:
        file.write(f"{os.getpid()}\n")
    return CountedArrival(log)


# Dask's active memory manager drops copies no submitted task waits for (every 2 s by default):
# were it on, running every 10 ms it would show a copy sent twice every time
AMM_EVERY_10_MS = {"distributed.scheduler.active-memory-manager.interval": "10ms"}


@pytest.mark.parametrize("runner", ["serial", "dask"])
def test_mapped_items_share_one_copy_of_the_function_per_process(runner, tmp_path, prefect_api_url):
    log = tmp_path / "arrivals.log"
    log.touch()
    runtime = RuntimeSettings(runner=runner, workers=2)

    @flow(task_runner=task_runner(runtime))
    def squares() -> list[tuple[int, int]]:
        return prefect_map("item", torch_threads=1)(CountedArrival(str(log)), list(range(6)))

    with (
        temporary_settings({PREFECT_API_URL: prefect_api_url}),
        dask.config.set(AMM_EVERY_10_MS),  # the runner's local cluster turns the manager off
    ):
        results = squares()
    assert [value for value, _ in results] == [i * i for i in range(6)]
    arrivals = Path(log).read_text().split()
    workers = {pid for _, pid in results}
    if runner == "serial":
        assert arrivals == [] and workers == {os.getpid()}  # never pickled
    else:
        assert len(arrivals) == len(set(arrivals))  # one copy per worker process, at most
        assert workers <= set(map(int, arrivals))  # every worker that ran an item got its copy
        assert len(arrivals) <= 2 < 6


def _start(command: list[str], cwd: Path) -> subprocess.Popen[str]:
    """A process outside the project (its cwd and PYTHONPATH do not hold the project): what it
    imports comes from the installed gaitops only, as on a cluster's machines."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def test_an_existing_cluster_started_as_its_own_processes_gives_the_same_bytes(
    tmp_path, prefect_api_url, reproduced_tiny
):
    """runtime.address: a scheduler and two workers started with `dask scheduler` / `dask
    worker` from the same environment, elsewhere: the stage's tasks must unpickle there
    (`flows` is installed with gaitops), and the models match a serial run's bytes."""
    project = _serially_trained(reproduced_tiny, tmp_path / "project")
    serial_models = _models(project)
    elsewhere = tmp_path / "cluster"
    elsewhere.mkdir()
    scheduler_file = elsewhere / "scheduler.json"
    dask_cli = str(Path(sys.executable).parent / "dask")
    scheduler = _start(
        [
            dask_cli,
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(scheduler_file),
        ],
        elsewhere,
    )
    workers = None
    try:
        for _ in range(120):
            if scheduler_file.exists() and scheduler_file.stat().st_size:
                break
            time.sleep(0.5)
        address = json.loads(scheduler_file.read_text())["address"]
        workers = _start(
            [
                dask_cli,
                "worker",
                "--scheduler-file",
                str(scheduler_file),
                "--nworkers",
                "2",
                "--nthreads",
                "1",
                "--no-dashboard",
                *(f"--preload={module}" for module in WORKER_PRELOAD),  # as docs/scaling-out.md
            ],
            elsewhere,
        )
        _set_runtime(project, runner="dask", address=address)
        on_cluster = run(
            ["dvc", "repro", "--force", "--single-item", "train"], project, prefect_api_url
        )
        assert on_cluster.returncode == 0, on_cluster.stdout[-3000:] + on_cluster.stderr[-3000:]
    finally:
        for process in (workers, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    assert task_run_names(prefect_api_url, "train").count("train fold") == 2
    assert _models(project) == serial_models
