"""Runs a dead process left RUNNING: the project's flow runs and every unfinished task run in
them end CRASHED (tagged or not); the runs of the retrain doing it, and other projects', stay."""

from __future__ import annotations

from uuid import UUID

from flows.abandoned import mark_abandoned_runs
from prefect import flow, task
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.states import Completed, Running

PROJECT = "gaitops:test-abandoned"
OTHER = "gaitops:test-other-project"


@flow(name="abandoned-stage")
def stage() -> None:
    """Never called: the runs below are made through the API, as a killed process leaves them."""


@task(name="abandoned fold")
def fold() -> None:
    """Never called (see `stage`)."""


def _left_running(client: SyncPrefectClient, flow_tag: str, task_tags: list[str]) -> UUID:
    """A flow run tagged `flow_tag` with a RUNNING task run tagged `task_tags`; the task run id."""
    run = client.create_flow_run(stage, tags=[flow_tag], state=Running())
    task_run = client.create_task_run(
        fold, flow_run_id=run.id, dynamic_key=str(run.id), extra_tags=task_tags, state=Running()
    )
    return task_run.id


def test_unfinished_task_runs_of_the_project_end_crashed_tagged_or_not(prefect_api_url):
    with (
        temporary_settings({PREFECT_API_URL: prefect_api_url}),
        get_client(sync_client=True) as client,
    ):
        untagged = _left_running(client, PROJECT, [])  # a stage's fold
        tagged = _left_running(client, PROJECT, [PROJECT])  # the retrain flow's own task
        other = _left_running(client, OTHER, [])
        with_finished_task = client.create_flow_run(stage, tags=[PROJECT], state=Running())
        finished = client.create_task_run(
            fold, flow_run_id=with_finished_task.id, dynamic_key="done", state=Completed()
        ).id
        current = client.create_flow_run(stage, tags=[PROJECT], state=Running())
        ours = client.create_task_run(
            fold, flow_run_id=current.id, dynamic_key="ours", state=Running()
        ).id

        marked = mark_abandoned_runs(PROJECT, {str(current.id)}, "flow run test")

        def state(task_run_id: UUID) -> str:
            return client.read_task_run(task_run_id).state_type.value

        assert len(marked) == 3  # the two left running, and with_finished_task (RUNNING itself)
        assert state(untagged) == state(tagged) == "CRASHED"
        message = client.read_task_run(untagged).state.message
        assert "marked crashed by the next retrain, flow run test" in message
        assert state(other) == "RUNNING"  # another project's
        assert state(finished) == "COMPLETED"
        assert state(ours) == "RUNNING"  # the retrain's own
        assert client.read_flow_run(current.id).state_type.value == "RUNNING"
