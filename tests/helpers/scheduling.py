"""How `make test` hands test modules to its xdist workers: whole modules, and the modules that
start from the session's reproduced tiny project together."""

from __future__ import annotations

import pytest
from xdist.scheduler import LoadScopeScheduling

from helpers.project import REPRODUCED_GROUP, REPRODUCED_MODULES


def module_of(nodeid: str) -> str:
    """The test module part of a test id: `tests/x/test_y.py` of `tests/x/test_y.py::test_z[a]`."""
    return nodeid.split("::", 1)[0]


def work_unit(nodeid: str) -> str:
    """The unit one worker runs whole: the test's module, or `REPRODUCED_GROUP` for the modules
    that copy the reproduced tiny project (one worker builds it once and runs them all)."""
    module = module_of(nodeid)
    return REPRODUCED_GROUP if module in REPRODUCED_MODULES else module


class ModuleGroupScheduling(LoadScopeScheduling):
    """`--dist loadgroup` for this suite: each work unit (`work_unit`) goes whole to one worker,
    in collection order under --no-loadscope-reorder.

    xdist's own loadgroup groups the tests whose ids it has suffixed with `@group`; pytest 9.2's
    test ids no longer take that suffix, so each test became a group of its own: a module's
    tests were spread over both workers, and each built the module's fixtures (and the
    reproduced project) again.
    """

    def _split_scope(self, nodeid: str) -> str:
        return work_unit(nodeid)


class SplitUnitCheck:
    """Fails the session when a work unit's tests ran on more than one worker: the grouping
    above would then be broken again (as pytest 9.2 silently broke xdist's own), and modules
    would build their fixtures twice without any test failing."""

    def __init__(self) -> None:
        self.workers: dict[str, set[str]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        node = getattr(report, "node", None)  # on the controller: the worker that ran it
        if node is not None and report.when == "call":
            self.workers.setdefault(work_unit(report.nodeid), set()).add(node.gateway.id)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        split = {unit: sorted(ids) for unit, ids in self.workers.items() if len(ids) > 1}
        if split:
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            reporter.write_sep("=", "work units split across workers", red=True)
            for unit, ids in sorted(split.items()):
                reporter.write_line(f"work unit {unit} ran on {', '.join(ids)}, not one worker")
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
