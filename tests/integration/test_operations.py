"""Operating gaitops: one retrain at a time, killed runs marked crashed, -S as named experiments."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest
import yaml
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL, temporary_settings

from helpers import quick_after_train
from helpers.prefect_runs import artifact_markdown, flow_runs
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


def retrain_caught_in_train(project, api_url: str, output: int) -> subprocess.Popen:
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


def test_one_retrain_at_a_time_killed_runs_crash_and_overrides_are_experiments(
    tmp_path, prefect_api_url
):
    params = quick_after_train()
    params["models"]["resnet1d"]["max_epochs"] = 400  # a training long enough to be caught running
    project = make_project(tmp_path, params)
    params_text = (project / "params.yaml").read_text()
    before = flow_runs(prefect_api_url)
    first = retrain_caught_in_train(project, prefect_api_url, subprocess.DEVNULL)
    try:
        # a second retrain is refused at once and changes nothing
        second = run(
            ["gaitops", "run", "-S", "models.resnet1d.max_epochs=5"], project, prefect_api_url
        )
        assert second.returncode == 1
        assert "is running in this project" in second.stderr and "Traceback" not in second.stderr
        assert (project / "params.yaml").read_text() == params_text
        assert first.poll() is None  # the first one goes on
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # killed mid-training, as a crash would
        first.wait()
    killed = [
        run_id
        for run_id, (name, state) in flow_runs(prefect_api_url).items()
        if run_id not in before and state == "RUNNING"
    ]
    assert killed  # retrain, train and its fold task's flow: left RUNNING by the dead process

    # the next retrain marks them crashed, with the reason
    quicker = yaml.safe_load(params_text)
    quicker["models"]["resnet1d"]["max_epochs"] = 4
    (project / "params.yaml").write_text(yaml.safe_dump(quicker, sort_keys=False))
    again = run(["gaitops", "run"], project, prefect_api_url)
    assert again.returncode == 0, again.stderr[-3000:]
    for run_id in killed:
        state, message = _state(prefect_api_url, run_id)
        assert state == "CRASHED" and "marked crashed by the next retrain" in message

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


def test_ctrl_c_cancels_the_runs_says_what_finished_and_the_next_retrain_names_it(
    tmp_path, prefect_api_url
):
    params = quick_after_train()
    params["models"]["resnet1d"]["max_epochs"] = 400  # long enough to be interrupted in train
    project = make_project(tmp_path, params)
    params_text = (project / "params.yaml").read_text()
    before = flow_runs(prefect_api_url)
    output = tmp_path / "run.log"
    with output.open("w") as log:
        interrupted = retrain_caught_in_train(project, prefect_api_url, log)
        # the hard moment: a fold training in the task runner's thread, not the main thread
        deadline = time.monotonic() + 300
        while "fold 0 epoch 2/" not in output.read_text():
            assert time.monotonic() < deadline and interrupted.poll() is None, output.read_text()
            time.sleep(0.5)
        os.killpg(interrupted.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        interrupted.wait(timeout=120)
    stderr = output.read_text()
    assert interrupted.returncode == 130, stderr[-3000:]
    said = [line for line in stderr.splitlines() if line.startswith("gaitops:")]
    assert len(said) == 1 and "Traceback" not in stderr, stderr[-3000:]
    assert "Finished: ingest, validate" in said[0] and "train" in said[0].split("cancelled:")[1]
    ours = {k: v for k, v in flow_runs(prefect_api_url).items() if k not in before}
    states = {name: state for name, state in ours.values()}
    assert states["retrain"] == "CANCELLED" and states["train"] == "CANCELLED", states
    assert not (project / "data" / "models").exists()  # nothing half-written

    quicker = yaml.safe_load(params_text)
    quicker["models"]["resnet1d"]["max_epochs"] = 4
    (project / "params.yaml").write_text(yaml.safe_dump(quicker, sort_keys=False))
    again = run(["gaitops", "run"], project, prefect_api_url)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "was interrupted; this one redoes the stages it had not finished" in (
        again.stdout + again.stderr
    )
