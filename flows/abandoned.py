"""Flow and task runs whose process died (killed, machine lost) stay RUNNING in Prefect: the next
retrain of the project, holding its lock, marks them CRASHED with the reason."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunFilterTags,
    TaskRunFilter,
    TaskRunFilterState,
    TaskRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.states import Cancelled, Crashed

UNFINISHED = [StateType.RUNNING, StateType.PENDING]


def project_tag(root: Path) -> str:
    """The tag on every flow run of this project's retrains (a server may hold other projects');
    task runs carry no tags (flows/runtime.untagged_task_runs), they are found through their
    flow run."""
    return "gaitops:" + hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:12]


def mark_abandoned_runs(tag: str, current_runs: set[str], marked_by: str) -> list[str]:
    """Mark the project's unfinished flow and task runs, other than `current_runs` (this run and
    the runs it is nested in), CRASHED.

    Only valid while holding the project's retrain lock: no other retrain of it can be running.
    Returns the names of the flow runs marked."""
    reason = (
        "its process ended without reporting (killed or lost); marked crashed by the next "
        f"retrain, {marked_by}"
    )
    marked = []
    with get_client(sync_client=True) as client:
        flow_runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                tags=FlowRunFilterTags(all_=[tag]),
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=UNFINISHED)),
            )
        )
        for run in flow_runs:
            if str(run.id) not in current_runs:
                client.set_flow_run_state(run.id, Crashed(message=reason), force=True)
                marked.append(run.name)
        task_runs = client.read_task_runs(  # the task runs of the project's flow runs
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag])),
            task_run_filter=TaskRunFilter(
                state=TaskRunFilterState(type=TaskRunFilterStateType(any_=UNFINISHED)),
            ),
        )
        for task_run in task_runs:
            if str(task_run.flow_run_id) not in current_runs:
                client.set_task_run_state(task_run.id, Crashed(message=reason), force=True)
    return marked


INTERRUPTED = "interrupted (Ctrl-C or SIGINT) before it finished"


def cancel_interrupted(tag: str, since: datetime) -> tuple[list[str], list[str]]:
    """After an interrupt: this project's runs started since `since` that did not finish (the
    engine marks them CRASHED, or they stay RUNNING) become CANCELLED, saying so. Returns the
    names of the stage flows that finished and of those that did not."""
    finished, stopped = [], []
    with get_client(sync_client=True) as client:
        names = {flow.id: flow.name for flow in client.read_flows()}
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag]))
        )
        for run in sorted(runs, key=lambda r: r.created or since):
            if run.created is None or run.created < since:
                continue
            name = names.get(run.flow_id, "?")
            if run.state_type == StateType.COMPLETED:
                finished.append(name)
            elif run.state_type in (StateType.CRASHED, *UNFINISHED):
                client.set_flow_run_state(run.id, Cancelled(message=INTERRUPTED), force=True)
                stopped.append(name)
    return finished, stopped


def last_interrupted(tag: str) -> str | None:
    """A line naming this project's newest retrain if it was interrupted, else None."""
    with get_client(sync_client=True) as client:
        names = {flow.id: flow.name for flow in client.read_flows()}
        runs = [
            run
            for run in client.read_flow_runs(
                flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag])), limit=200
            )
            if names.get(run.flow_id) == "retrain"
            and run.state_type is not None
            and run.state_type not in UNFINISHED
        ]
    if not runs:
        return None
    newest = max(runs, key=lambda r: r.created)
    if newest.state_type != StateType.CANCELLED or newest.state.message != INTERRUPTED:
        return None
    when = newest.created.strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"the previous retrain {newest.name} (started {when}) was interrupted; this one redoes "
        "the stages it had not finished (DVC recorded the ones it had)"
    )
