"""Flow and task runs whose process died (killed, machine lost) stay RUNNING in Prefect: the next
retrain of the project, holding its lock, marks them CRASHED with the reason."""

from __future__ import annotations

import hashlib
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
    TaskRunFilterTags,
)
from prefect.client.schemas.objects import StateType
from prefect.states import Crashed

UNFINISHED = [StateType.RUNNING, StateType.PENDING]


def project_tag(root: Path) -> str:
    """The tag on every flow and task run of this project (a server may hold other projects')."""
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
        task_runs = client.read_task_runs(
            task_run_filter=TaskRunFilter(
                tags=TaskRunFilterTags(all_=[tag]),
                state=TaskRunFilterState(type=TaskRunFilterStateType(any_=UNFINISHED)),
            )
        )
        for task_run in task_runs:
            if task_run.flow_run_id is None or str(task_run.flow_run_id) not in current_runs:
                client.set_task_run_state(task_run.id, Crashed(message=reason), force=True)
    return marked
