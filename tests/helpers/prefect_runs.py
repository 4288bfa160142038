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


def artifact_markdown(api_url: str, key: str) -> str:
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )
        return str(found[-1].data) if found else ""
