"""Shared fixtures: a tiny synthetic cohort, settings that train in seconds, and a real Prefect
server started once per test session (per xdist worker) by gaitops itself."""

from __future__ import annotations

import os

# One compute thread per process. The suite runs two xdist workers on two cores, and each starts
# stage, flow and Dask processes of its own. At the defaults (a thread per core for torch and the
# BLAS through OpenMP, and for the ROCKET models' numba loops), their threads outnumber the cores
# and spin waiting on one another. Measured with two modules side by side (the planted-effect and
# the in-process stage tests): 116 s and 153 s at the defaults, 17 s and 66 s with one thread
# each, about what each takes alone (15 s and 62 s). Set before numpy, torch and numba load, so
# that every process the tests start inherits it; a test that compares bytes compares runs made
# under the same setting.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

from collections.abc import Iterator

import pandas as pd
import pytest

from gaitops.config import Settings
from gaitops.data.sources.synthetic import generate
from gaitops.garbage_collection import imports_uncollected, no_collection_at_exit
from gaitops.prefect_server import ServerSpec, start, stop
from helpers import TINY_PARAMS
from helpers.project import REPRODUCED_MODULES, free_port
from helpers.scheduling import ModuleGroupScheduling, SplitUnitCheck, module_of

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DVC_NO_ANALYTICS", "1")


@pytest.fixture(scope="session")
def tiny_settings() -> Settings:
    return Settings.model_validate(TINY_PARAMS)


@pytest.fixture(scope="session")
def tiny_table_cached(tiny_settings: Settings) -> pd.DataFrame:
    return generate(tiny_settings.synthetic)


@pytest.fixture
def tiny_table(tiny_table_cached: pd.DataFrame) -> pd.DataFrame:
    return tiny_table_cached.copy()


@pytest.fixture(scope="session")
def prefect_api_url(tmp_path_factory) -> Iterator[str]:
    spec = ServerSpec(home=tmp_path_factory.mktemp("prefect-home"), port=free_port())
    url = start(spec)
    yield url
    stop(spec)


def _start_order(item: pytest.Item) -> int:
    """0 for an integration test (whole retrains: minutes per module), 1 for a benchmark smoke,
    2 for the rest (seconds)."""
    if item.get_closest_marker("integration"):
        return 0
    return 1 if "benchmarks" in item.path.parts else 2


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`--dist loadgroup` hands out whole work units (helpers/scheduling.py): a module, or the
    modules that copy the reproduced tiny project, together."""
    if config.getoption("dist", None) == "loadgroup":
        return ModuleGroupScheduling(config, log)
    return None


def pytest_configure(config: pytest.Config) -> None:
    no_collection_at_exit()  # as gaitops' own processes (src/gaitops/garbage_collection.py)
    if config.getoption("dist", None) == "loadgroup":  # the controller of `make test`'s workers
        config.pluginmanager.register(SplitUnitCheck(), "split-unit-check")


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> object:
    """Collection imports the test modules and, through them, torch, Lightning, Prefect, DVC
    and Great Expectations: uncollected, then frozen, so that the session's full collections
    do not walk them again."""
    with imports_uncollected():
        return (yield)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest work first. `make test` (--dist loadgroup --no-loadscope-reorder) gives each of two
    workers whole work units in this order (helpers/scheduling.py): the minutes-long ones start
    at once and the short ones fill in after, so neither worker is left alone with a long one at
    the end (xdist's own order, most tests first, ran the one-test lifecycle module last). A
    module that copies the reproduced tiny project must be one of `REPRODUCED_MODULES`, or a
    second worker would build the project again."""
    users = {
        module_of(item.nodeid)
        for item in items
        if "reproduced_tiny" in getattr(item, "fixturenames", ())
    }
    strays = sorted(users - REPRODUCED_MODULES)
    if strays:
        raise pytest.UsageError(
            f"{', '.join(strays)} use reproduced_tiny: add them to "
            "REPRODUCED_MODULES in tests/helpers/project.py"
        )
    items.sort(key=_start_order)  # stable: collection order within each module
