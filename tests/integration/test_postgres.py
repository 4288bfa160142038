"""Prefect and Optuna on a real PostgreSQL server the tests start themselves (a private cluster
on 127.0.0.1): two worker processes share one Optuna study; the stages' runs (one process
each) land in the Prefect server's PostgreSQL database, and the tune stage's study is the one
optuna-dashboard serves."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import optuna
import pytest

from gaitops.prefect_server import ServerSpec, running_database, start, stop
from helpers import TINY_PARAMS
from helpers.project import free_port, make_project, run, tool_env

pytestmark = pytest.mark.integration

# One tuning worker: the tiny synthetic cohort, gaitops' trial runner and Q-learning sampler,
# joined to the study named on the command line (Optuna's own distributed mode).
WORKER_SCRIPT = """
import sys
import optuna
from gaitops.config import Settings, task_of
from gaitops.data.inputs import build_dataset
from gaitops.data.sources.synthetic import generate
from gaitops.evaluation.protocol import plan_folds
from gaitops.models.objective import tuning_split
from gaitops.tuning import presets
from gaitops.tuning.objective import TuningProblem
from gaitops.tuning.samplers.qlearning import QLearningOptions
from gaitops.tuning.samplers.registry import SAMPLERS
from gaitops.tuning.space import search_space
from gaitops.models.registry import model_options

storage, name, seed, params = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
settings = Settings.model_validate_json(params)
task = task_of(settings)
data = build_dataset(generate(settings.synthetic), task)
split = tuning_split(data, plan_folds(data, settings.train)[0], 0.3, settings.train.seed)
space = search_space("mixed", settings.train.model, "qlearning")
runner = TuningProblem(data, task, split, settings.train.model, model_options(settings), 2, space)
options = presets.resolved(QLearningOptions(), task)
sampler = SAMPLERS["qlearning"].make(space, options, seed)
optuna.logging.set_verbosity(optuna.logging.WARNING)
optuna.load_study(study_name=name, storage=storage, sampler=sampler).optimize(runner, n_trials=2)
"""


def _python(script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finished(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output[-3000:]


def test_two_worker_processes_share_one_optuna_study_on_postgresql(postgres):
    storage = postgres.create_database("optuna_shared")
    optuna.create_study(study_name="shared", storage=storage, direction="maximize")
    params = copy.deepcopy(TINY_PARAMS)
    settings = json.dumps(params)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    workers = [
        _python(WORKER_SCRIPT, storage, "shared", str(seed), settings, env=env) for seed in (0, 1)
    ]
    _finished(workers)
    trials = optuna.load_study(study_name="shared", storage=storage).trials
    assert sorted(t.number for t in trials) == [0, 1, 2, 3]
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    assert all("validation_loss" in t.user_attrs for t in trials)  # gaitops' runner ran each


@pytest.fixture(scope="module")
def prefect_on_postgres(postgres, tmp_path_factory) -> Iterator[tuple[str, ServerSpec]]:
    """The project's Prefect server (gaitops' own start) keeping its runs in PostgreSQL."""
    postgres.create_database("prefect")
    spec = ServerSpec(
        home=tmp_path_factory.mktemp("prefect-on-postgres"),
        port=free_port(),
        database_url=f"postgresql://postgres@127.0.0.1:{postgres.port}/prefect",
    )
    api_url = start(spec, timeout_s=180)
    yield api_url, spec
    stop(spec)


def test_the_pipeline_on_postgresql_prefect_runs_and_study_the_dashboard_serves(
    postgres, prefect_on_postgres, tmp_path
):
    api_url, spec = prefect_on_postgres
    assert running_database(spec) == spec.database_url  # no password to mask here
    storage = postgres.create_database("optuna_tune")
    params = copy.deepcopy(TINY_PARAMS)
    params["tune"] = {"enabled": True, "sampler": "tpe", "space": "mixed", "n_trials": 2}
    params["tune"].update({"epochs": 2, "storage": storage})
    project = make_project(tmp_path, params)
    result = run(["dvc", "repro", "tune"], project, api_url)  # one process per stage
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    runs = postgres.query(
        "prefect",
        "select flow.name, flow_run.state_type from flow_run join flow "
        "on flow.id = flow_run.flow_id order by flow_run.created",
    )
    assert runs == [(name, "COMPLETED") for name in ("ingest", "validate", "tune")]
    assert not (spec.home / "prefect.db").exists()  # nothing went to SQLite

    best = json.loads((project / "data" / "tuning" / "best_params.json").read_text())
    study = optuna.load_study(study_name=best["study_name"], storage=storage)
    assert len(study.trials) == 2 and study.best_value == best["best_value"]
    port = free_port()
    dashboard = subprocess.Popen(
        [str(Path(sys.executable).parent / "gaitops"), "tune", "dashboard", "--port", str(port)],
        cwd=project,  # the dashboard reads tune.storage from the project's params.yaml
        env=tool_env(api_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        summaries = _dashboard_json(port, "studies")["study_summaries"]
        served_id = {s["study_name"]: s["study_id"] for s in summaries}[best["study_name"]]
        served = _dashboard_json(port, f"studies/{served_id}")
    finally:
        dashboard.terminate()
        dashboard.wait(timeout=30)
    assert len(served["trials"]) == 2
    assert served["best_trials"][0]["values"] == [best["best_value"]]


def _dashboard_json(port: int, path: str) -> dict:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/{path}", timeout=5).json()
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
