"""How flow processes talk to Prefect: the project's server, quiet clients, gaitops logs in the UI."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("DO_NOT_TRACK", "1")

from prefect.context import TagsContext
from prefect.runtime import flow_run
from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
    temporary_settings,
)
from prefect.states import Failed, State

from gaitops.errors import DEBUG_ENV, GaitopsError, one_line
from gaitops.prefect_server import ensure_api_url

# Prefect gives the extra loggers its API handler but not a level: left NOTSET, "gaitops" would
# inherit the root's WARNING and its INFO lines (epochs, folds, stage results) would never reach
# the UI.
logging.getLogger("gaitops").setLevel(logging.INFO)

# Set by a retrain run for the stage processes it starts through DVC (`dvc exp run`): their flow
# runs carry these comma-separated tags (the retrain run's and the project's), so the UI finds
# them from the retrain run and a later retrain can mark them crashed if their process dies.
RETRAIN_TAG_ENV = "GAITOPS_RETRAIN_TAG"


@contextmanager
def prefect_api(root: Path = Path(".")) -> Iterator[str]:
    """Point Prefect at the configured (or the project's own) server for the enclosed flow calls."""
    url = ensure_api_url(root)
    os.environ["PREFECT_API_URL"] = url  # child processes (dvc -> stage flows) use it too
    with temporary_settings({PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield url


@contextmanager
def heartbeats_from_the_outer_run_only() -> Iterator[None]:
    """Flow runs started inside send no heartbeats of their own; the run already going (a
    scheduled retrain on a worker) keeps sending its own, so Prefect still sees a dead process.
    Each run's heartbeat thread wakes once a second, and the run waits for it when it ends:
    about 1 s more for every stage of a retrain."""
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


@contextmanager
def untagged_task_runs() -> Iterator[None]:
    """Task runs submitted inside carry none of the tags of the runs around them; their flow run
    keeps its own (the project's tag, by which a later retrain finds them if their process dies,
    flows/abandoned.py).

    Prefect checks a tagged task run's tag concurrency limits on the server as the run starts. A
    check is cached for 5 s only, so a task run starting more than 5 s after the last one (the
    next fold, trial or selection fit; the retrain's tasks after a stage) writes to the server's
    database, which on SQLite is refused while the server writes the previous run's states; the
    client then retries after about 2 s (measured: 1.8 to 2.4 s before most folds of a stage)."""
    with TagsContext(current_tags=set()):
        yield


# The user's error of the flow run that just failed in this process, raised again by the caller.
_failures: dict[str, GaitopsError] = {}


def failed_without_traceback(exc: GaitopsError) -> State:
    """End the current flow run Failed with the error's one-line message (no Prefect traceback);
    `result_or_raise` raises `exc` itself again. With GAITOPS_DEBUG set, raise as is."""
    if os.environ.get(DEBUG_ENV):
        raise exc
    run_id = str(flow_run.get_id())
    _failures[run_id] = exc
    return Failed(message=one_line(exc))


def result_or_raise(state: State) -> Any:
    """A finished flow run's result; its user's error raised again when it failed with one."""
    failure = _failures.pop(str(state.state_details.flow_run_id), None)
    if failure is not None:
        raise failure
    return state.result()
