"""Read flow runs and artifacts back from the Prefect server."""

from __future__ import annotations

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.settings import PREFECT_API_URL, temporary_settings


def flow_runs(api_url: str) -> dict[str, tuple[str, str]]:
    """Flow run id -> (flow name, state type)."""
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        names = {flow.id: flow.name for flow in client.read_flows()}
        return {
            str(run.id): (names[run.flow_id], run.state_type.value)
            for run in client.read_flow_runs(limit=200)
        }


def new_runs(api_url: str, before: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(value for key, value in flow_runs(api_url).items() if key not in before)


def parent_of(api_url: str, flow_name: str) -> str | None:
    """The flow name of the parent run of the newest run of `flow_name` (None: top level)."""
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        names = {flow.id: flow.name for flow in client.read_flows()}
        runs = [r for r in client.read_flow_runs(limit=200) if names[r.flow_id] == flow_name]
        newest = max(runs, key=lambda r: r.created)
        if newest.parent_task_run_id is None:
            return None
        parent_task = client.read_task_run(newest.parent_task_run_id)
        parent = client.read_flow_run(parent_task.flow_run_id)
        return names[parent.flow_id]


def task_run_names(api_url: str, flow_name: str) -> list[str]:
    """Names of the task runs of the newest run of `flow_name`."""
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        names = {flow.id: flow.name for flow in client.read_flows()}
        runs = [r for r in client.read_flow_runs(limit=200) if names[r.flow_id] == flow_name]
        newest = max(runs, key=lambda r: r.created)
    return [name for name, _, _ in task_runs_of(api_url, [str(newest.id)])]


def task_runs_of(api_url: str, flow_run_ids: list[str]) -> list[tuple[str, str, list[str]]]:
    """(name without its suffix, state type, tags) of every task run of these flow runs."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=flow_run_ids))
        )
        return [(t.name.rsplit("-", 1)[0], t.state_type.value, list(t.tags)) for t in tasks]


def artifact_markdown(api_url: str, key: str) -> str:
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )
        return str(max(found, key=lambda a: a.created).data) if found else ""  # the newest


def deployment_schedule(
    api_url: str, flow_name: str, deployment_name: str
) -> tuple[list[str], int] | None:
    """The cron strings of a deployment and how many scheduled runs it has (None: no deployment yet)."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilter,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        found = [
            d
            for d in client.read_deployments(
                deployment_filter=DeploymentFilter(
                    name=DeploymentFilterName(any_=[deployment_name])
                )
            )
            if client.read_flow(d.flow_id).name == flow_name
        ]
        if not found:
            return None
        deployment = found[0]
        crons = [getattr(s.schedule, "cron", "") for s in deployment.schedules]
        scheduled = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id={"any_": [deployment.id]}),
            flow_run_filter=FlowRunFilter(
                state={"type": FlowRunFilterStateType(any_=[StateType.SCHEDULED])}
            ),
        )
        return crons, len(scheduled)


def deployment_parameters(api_url: str, deployment_name: str) -> dict:
    """The properties of a deployment's parameter schema (what an API call may pass)."""
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        (deployment,) = client.read_deployments(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment_name]))
        )
        return dict(deployment.parameter_openapi_schema.get("properties", {}))


def task_run_logs(api_url: str, flow_name: str, task_name: str) -> dict[str, list[str]]:
    """Task run name -> its log messages, for the task runs called `task_name` of the newest
    run of `flow_name`."""
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterTaskRunId,
    )

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        names = {flow.id: flow.name for flow in client.read_flows()}
        runs = [r for r in client.read_flow_runs(limit=200) if names[r.flow_id] == flow_name]
        newest = max(runs, key=lambda r: r.created)
        tasks = [
            t
            for t in client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[newest.id]))
            )
            if t.name.rsplit("-", 1)[0] == task_name
        ]
        return {
            t.name: [
                entry.message
                for entry in client.read_logs(
                    log_filter=LogFilter(task_run_id=LogFilterTaskRunId(any_=[t.id])), limit=200
                )
            ]
            for t in tasks
        }


def newest_run_id(api_url: str, flow_name: str) -> str:
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        names = {flow.id: flow.name for flow in client.read_flows()}
        runs = [r for r in client.read_flow_runs(limit=200) if names[r.flow_id] == flow_name]
        return str(max(runs, key=lambda r: r.created).id)
