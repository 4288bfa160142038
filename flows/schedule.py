"""Scheduled retraining: a deployment that takes no parameters, named after its cron, that
leaves no runs behind when it stops and catches up at most once after a pause.

`gaitops schedule --cron "0 2 * * *"` serves it; its runs queue behind any retrain already
running in the project (the retrain lock), never beside it.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from prefect import State, flow, serve, tags
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType

from flows.abandoned import project_tag
from flows.retrain import retrain
from flows.runtime import heartbeats_from_the_outer_run_only, prefect_api
from gaitops.errors import GaitopsError
from gaitops.garbage_collection import no_collection_at_exit


@flow(name="scheduled-retrain", log_prints=True)
def scheduled_retrain() -> Any:
    """A scheduled retrain of the project this deployment was served from: no parameters, so an
    API call cannot point it at another directory or other settings. It ends in the retrain's
    own state, message included ("not promoted: ...", "FALLBACK DATA: ...")."""
    no_collection_at_exit()  # the run's own process (Prefect's runner starts one per run)
    with tags(project_tag(Path("."))), heartbeats_from_the_outer_run_only():
        state = retrain(wait_for_lock=True, trigger="schedule", return_state=True)
    # a new state of the same kind: Prefect would fold a subflow's own state into a generic one
    return State(type=state.type, name=state.name, message=state.message)


def deployment_name(cron: str) -> str:
    """A readable name that says the schedule, e.g. "retrain-cron-0-2-x-x-x"."""
    return "retrain-cron-" + re.sub(r"[^0-9A-Za-z]+", "-", cron.replace("*", "x")).strip("-")


def _scheduled_runs(client: Any, deployment_id: UUID) -> list[Any]:
    return client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
        ),
    )


def drop_missed_runs(deployment_id: UUID, now: datetime | None = None) -> tuple[int, int]:
    """Keep one catch-up run of those whose time passed while nothing served them (the newest),
    delete the others. Returns (kept, dropped)."""
    now = now or datetime.now(UTC)
    with get_client(sync_client=True) as client:
        missed = [
            run
            for run in _scheduled_runs(client, deployment_id)
            if run.expected_start_time is not None and run.expected_start_time < now
        ]
        missed.sort(key=lambda run: run.expected_start_time)
        for run in missed[:-1]:
            client.delete_flow_run(run.id)
    return (1 if missed else 0), max(0, len(missed) - 1)


def clear_scheduled_runs(deployment_id: UUID, settle_seconds: float = 2.0, rounds: int = 5) -> int:
    """Pause the deployment (the server schedules no more runs) and delete its future runs:
    nothing will serve them once it stops. Serving it again resumes it.

    Prefect's scheduler selects the deployments that need runs, then inserts their runs in a
    second transaction: a pass that selected this one just before the pause still inserts its
    runs after it (seen once in a test run: 3 runs back after the deletion). So the deletion is
    repeated until a read `settle_seconds` after the last one finds nothing (at most `rounds`)."""
    deleted = 0
    with get_client(sync_client=True) as client:
        client.pause_deployment(deployment_id)
        for attempt in range(rounds):
            runs = _scheduled_runs(client, deployment_id)
            for run in runs:
                client.delete_flow_run(run.id)
            deleted += len(runs)
            if (attempt > 0 and not runs) or attempt == rounds - 1:
                break
            time.sleep(settle_seconds)
    return deleted


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def ensure_process_pool(pool: str) -> bool:
    """Create the process work pool `pool` unless it exists; True when it was created."""
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        except ObjectAlreadyExists:
            return False
    return True


def deploy_to_pool(cron: str, pool: str) -> str:
    """Register the scheduled deployment on process work pool `pool` (created if missing): any
    `prefect worker start --pool POOL` started in this project runs it. Returns its name."""
    name = deployment_name(cron)
    created = ensure_process_pool(pool)
    source = scheduled_retrain.from_source(
        source=str(Path(".").resolve()), entrypoint="flows.schedule.scheduled_retrain"
    )
    source.deploy(
        name=name,
        work_pool_name=pool,
        cron=cron,
        tags=[project_tag(Path("."))],
        print_next_steps=False,
    )
    print(
        f"deployment scheduled-retrain/{name} ({cron}) registered on process work pool {pool}"
        f"{' (created)' if created else ''}; its runs start when a worker serves the pool"
    )
    return name


def serve_schedule(cron: str) -> None:
    """Serve the scheduled deployment until interrupted; tidy its runs before and after."""
    name = deployment_name(cron)
    deployment = scheduled_retrain.to_deployment(
        name=name, cron=cron, tags=[project_tag(Path("."))]
    )
    deployment_id = deployment.apply()
    kept, dropped = drop_missed_runs(deployment_id)
    print(
        f"serving deployment scheduled-retrain/{name} ({cron}); missed runs: {kept} kept as the "
        f"catch-up, {dropped} dropped; Ctrl-C to stop"
    )
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop tidies up as Ctrl-C does
    try:
        serve(deployment, pause_on_shutdown=False)
    except KeyboardInterrupt:
        pass
    finally:
        cleared = clear_scheduled_runs(deployment_id)
        print(f"stopped; {cleared} future run(s) of {name} deleted")


def schedule_command(cron: str, pool: str | None) -> int:
    """Serve the schedule from this process, or register it on a work pool (`pool`), on the
    project's Prefect server; the user's error as one line (exit 1)."""
    try:
        with prefect_api() as url:
            print(f"Prefect API: {url}")
            if pool:
                deploy_to_pool(cron, pool)
                print(
                    f"start a worker in {Path('.').resolve()} (as a service: docs/operations.md):\n"
                    f"  PREFECT_API_URL={url} prefect worker start --pool {pool}"
                )
            else:
                serve_schedule(cron)
    except GaitopsError as exc:
        print(f"gaitops: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    """``python -m flows.schedule [--cron CRON] [--pool POOL]`` (what `gaitops schedule` runs)."""
    parser = argparse.ArgumentParser(prog="python -m flows.schedule")
    parser.add_argument(
        "--cron", default="0 2 * * *", help="the schedule (default: nightly at 02:00)"
    )
    parser.add_argument(
        "--pool",
        default=None,
        help="register the schedule on this process work pool (run by `prefect worker start "
        "--pool NAME`) instead of serving it from this process",
    )
    args = parser.parse_args(argv)
    return schedule_command(args.cron, args.pool)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
