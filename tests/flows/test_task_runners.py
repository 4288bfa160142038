"""The Dask settings a local cluster starts with, and only a local cluster."""

from __future__ import annotations

import dask
import distributed  # noqa: F401  (Dask's defaults for these keys, loaded)
import pytest
from flows.task_runners import LOCAL_CLUSTER_CONFIG, local_cluster_settings

from gaitops.config import RuntimeSettings


def _current(keys) -> dict[str, object]:
    return {key: dask.config.get(key, default="unset") for key in keys}


def test_a_local_cluster_starts_without_the_settings_that_slow_fits_or_resend_data():
    before = _current(LOCAL_CLUSTER_CONFIG)
    with local_cluster_settings(RuntimeSettings(runner="dask", workers=2)):
        assert _current(LOCAL_CLUSTER_CONFIG) == LOCAL_CLUSTER_CONFIG
        assert dask.config.get("distributed.comm.timeouts.connect")  # Dask's own defaults kept
    assert _current(LOCAL_CLUSTER_CONFIG) == before
    assert dask.config.get("distributed.comm.timeouts.connect")  # and still there after


@pytest.mark.parametrize(
    "runtime",
    [
        None,
        RuntimeSettings(runner="serial"),
        RuntimeSettings(runner="dask", address="tcp://h:8786"),
    ],
)
def test_nothing_changes_for_serial_runs_or_a_cluster_the_user_runs(runtime):
    before = _current(LOCAL_CLUSTER_CONFIG)
    with local_cluster_settings(runtime):
        assert _current(LOCAL_CLUSTER_CONFIG) == before
