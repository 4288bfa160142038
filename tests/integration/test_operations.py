"""Operating gaitops: Ctrl-C cancels a retrain, one retrain at a time, killed runs marked
crashed, -S as named experiments. One project goes through them in turn (`operated`): a
retrain interrupted, the next one caught in train and killed, a third that completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL, temporary_settings

from helpers import quick_after_train
from helpers.prefect_runs import artifact_markdown, flow_runs, task_runs_of
from helpers.project import make_project, run, tool_env

pytestmark = pytest.mark.integration
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "gaitops tests",
    "GIT_AUTHOR_EMAIL": "tests@gaitops.invalid",
    "GIT_COMMITTER_NAME": "gaitops tests",
    "GIT_COMMITTER_EMAIL": "tests@gaitops.invalid",
}


def _as_in_a_terminal() -> None:
    """Ctrl-C's signal at its default, as in a terminal: a test run started in the background
    (or by a runner that ignores SIGINT) would pass its ignored SIGINT on to `gaitops run`,
    which then never sees the Ctrl-C this test sends."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def retrain_caught_in_train(project: Path, api_url: str, output: object) -> subprocess.Popen:
    """`gaitops run` in its own process group, returned once its train stage is running."""
    process = subprocess.Popen(
        ["gaitops", "run"],
        cwd=project,
        env=tool_env(api_url),
        stdout=output,
        stderr=output,
        text=True,
        start_new_session=True,
        preexec_fn=_as_in_a_terminal,
    )
    deadline = time.monotonic() + 300
    while not _running(api_url, "train"):
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            raise AssertionError("train never ran")
        time.sleep(1)
    return process


def _running(api_url: str, flow_name: str) -> bool:
    return any(v == (flow_name, "RUNNING") for v in flow_runs(api_url).values())


def _state(api_url: str, run_id: str) -> tuple[str, str]:
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        state = client.read_flow_run(run_id).state
        return state.type.value, state.message or ""


@dataclass(frozen=True)
class Operated:
    project: Path
    interrupted: subprocess.CompletedProcess[str]  # `gaitops run` stopped by Ctrl-C in train
    interrupted_runs: dict[str, str]  # its flow runs: flow name -> state type
    models_after_interrupt: bool  # whether data/models existed right after it
    caught_output: str  # the next `gaitops run`'s output up to its kill
    refused: subprocess.CompletedProcess[str]  # a third started while that one ran
    params_unchanged_by_refused: bool
    caught_ran_on: bool  # the caught run was still running after the refusal
    killed: list[str]  # the flow runs the kill left RUNNING
    completed: subprocess.CompletedProcess[str]  # the retrain after the kill


def _interrupt_in_train(project: Path, api_url: str, log: Path) -> subprocess.CompletedProcess[str]:
    """`gaitops run` stopped by Ctrl-C while a fold trains in the task runner's thread (the
    hard moment: not the main thread)."""
    with log.open("w") as output:
        interrupted = retrain_caught_in_train(project, api_url, output)
        deadline = time.monotonic() + 300
        while "fold 0 epoch 2/" not in log.read_text():
            assert time.monotonic() < deadline and interrupted.poll() is None, log.read_text()
            time.sleep(0.5)
        os.killpg(interrupted.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        interrupted.wait(timeout=120)
    return subprocess.CompletedProcess(
        interrupted.args, interrupted.returncode, "", log.read_text()
    )


@pytest.fixture(scope="module")
def operated(tmp_path_factory, prefect_api_url) -> Operated:
    params = quick_after_train()
    params["train"]["model"] = "resnet1d"  # epochs: a training that can be caught running
    params["models"]["resnet1d"]["max_epochs"] = 400
    project = make_project(tmp_path_factory.mktemp("operated"), params)
    logs = tmp_path_factory.mktemp("logs")
    params_text = (project / "params.yaml").read_text()

    before = flow_runs(prefect_api_url)
    interrupted = _interrupt_in_train(project, prefect_api_url, logs / "interrupted.log")
    interrupted_runs = {
        name: state
        for key, (name, state) in flow_runs(prefect_api_url).items()
        if key not in before
    }
    models_after_interrupt = (project / "data" / "models").exists()

    before = flow_runs(prefect_api_url)
    with (logs / "caught.log").open("w") as output:
        caught = retrain_caught_in_train(project, prefect_api_url, output)
        try:
            refused = run(
                ["gaitops", "run", "-S", "models.resnet1d.max_epochs=5"], project, prefect_api_url
            )
            params_unchanged = (project / "params.yaml").read_text() == params_text
            caught_ran_on = caught.poll() is None
        finally:
            os.killpg(caught.pid, signal.SIGKILL)  # killed mid-training, as a crash would
            caught.wait()
    killed = [
        run_id
        for run_id, (_, state) in flow_runs(prefect_api_url).items()
        if run_id not in before and state == "RUNNING"
    ]

    quicker = yaml.safe_load(params_text)
    quicker["models"]["resnet1d"]["max_epochs"] = 4
    (project / "params.yaml").write_text(yaml.safe_dump(quicker, sort_keys=False))
    completed = run(["gaitops", "run"], project, prefect_api_url)
    return Operated(
        project=project,
        interrupted=interrupted,
        interrupted_runs=interrupted_runs,
        models_after_interrupt=models_after_interrupt,
        caught_output=(logs / "caught.log").read_text(),
        refused=refused,
        params_unchanged_by_refused=params_unchanged,
        caught_ran_on=caught_ran_on,
        killed=killed,
        completed=completed,
    )


def test_ctrl_c_cancels_the_runs_says_what_finished_and_the_next_retrain_names_it(operated):
    stderr = operated.interrupted.stderr
    assert operated.interrupted.returncode == 130, stderr[-3000:]
    said = [line for line in stderr.splitlines() if line.startswith("gaitops:")]
    assert len(said) == 1 and "Traceback" not in stderr, stderr[-3000:]
    assert "Finished: ingest, validate" in said[0] and "train" in said[0].split("cancelled:")[1]
    runs = operated.interrupted_runs
    assert runs["retrain"] == "CANCELLED" and runs["train"] == "CANCELLED", runs
    assert not operated.models_after_interrupt  # nothing half-written
    # the next retrain says so
    assert "was interrupted; this one redoes the stages it had not finished" in (
        operated.caught_output
    ), operated.caught_output[-3000:]


def test_one_retrain_at_a_time_and_the_next_marks_killed_runs_crashed(operated, prefect_api_url):
    refused = operated.refused
    # a second retrain is refused at once and changes nothing; the first one goes on
    assert refused.returncode == 1
    assert "is running in this project" in refused.stderr and "Traceback" not in refused.stderr
    assert operated.params_unchanged_by_refused and operated.caught_ran_on
    # retrain, train and its fold task's flow: left RUNNING by the dead process
    assert operated.killed
    completed = operated.completed
    assert completed.returncode == 0, completed.stderr[-3000:]
    for run_id in operated.killed:
        state, message = _state(prefect_api_url, run_id)
        assert state == "CRASHED" and "marked crashed by the next retrain" in message
    # and none of their task runs is left running (whether a fold was running at the kill
    # depends on timing: tests/flows/test_abandoned.py marks an untagged one for certain)
    tasks = task_runs_of(prefect_api_url, operated.killed)
    assert not [task for task in tasks if task[1] in ("RUNNING", "PENDING")], tasks


def test_overrides_run_as_named_experiments_and_a_wrong_key_is_one_message(
    operated, prefect_api_url
):
    project = operated.project
    assert operated.completed.returncode == 0, operated.completed.stderr[-3000:]
    # -S: a named DVC experiment in a temporary copy; params.yaml and the workspace stay
    no_commit = run(
        ["gaitops", "run", "-S", "models.resnet1d.max_epochs=5"], project, prefect_api_url
    )
    assert no_commit.returncode == 1 and "git commit" in no_commit.stderr
    for command in (["git", "add", "-A"], ["git", "commit", "-qm", "baseline"]):
        subprocess.run(
            command, cwd=project, check=True, env=tool_env(prefect_api_url, GIT_IDENTITY)
        )
    workspace = (project / "params.yaml").read_text()
    metrics = (project / "metrics" / "train.json").read_bytes()
    experiment = run(  # a param only compare reads: DVC runs compare and report in the copy
        ["gaitops", "run", "-S", "compare.max_cards=50"], project, prefect_api_url
    )
    assert experiment.returncode == 0, experiment.stderr[-3000:]
    assert (project / "params.yaml").read_text() == workspace
    assert (project / "metrics" / "train.json").read_bytes() == metrics
    names = run(["dvc", "exp", "list", "--name-only"], project, prefect_api_url).stdout.split()
    assert len(names) == 1 and names[0].startswith("gaitops-")
    key = "group-classification-resnet1d"
    assert f"# gaitops experiment {names[0]}" in artifact_markdown(
        prefect_api_url, f"gaitops-metrics-{key}"
    )
    provenance = artifact_markdown(prefect_api_url, f"gaitops-provenance-{key}")
    assert f"experiment {names[0]}" in provenance
    assert "| `compare.max_cards` | 200 | 50 |" in provenance
    stray = subprocess.run(
        ["git", "for-each-ref", "refs/exps/exec"], cwd=project, capture_output=True, text=True
    )
    assert stray.stdout == ""

    # a wrong key is one clear message, before anything runs
    wrong = run(["gaitops", "run", "-S", "train.max_epochs=30"], project, prefect_api_url)
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert (
        "train has no key 'max_epochs'" in wrong.stderr
        and "models.resnet1d.max_epochs" in wrong.stderr
    )
    assert json.loads((project / "metrics" / "train.json").read_text())  # untouched, readable
