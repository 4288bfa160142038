"""The collector kept off the libraries' objects: imports frozen, no full collection at exit."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from gaitops.garbage_collection import imports_uncollected


def test_imports_inside_run_uncollected_and_are_frozen_after():
    gc.enable()
    before = gc.get_freeze_count()
    with imports_uncollected():
        assert not gc.isenabled()
        made = [[] for _ in range(1000)]  # tracked objects, as an import makes
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(made)


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with imports_uncollected():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _frozen_at_exit(call: str) -> str:
    """What a fresh interpreter's last exit handler sees: whether objects were frozen."""
    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print(gc.get_freeze_count() > 0))  # runs last\n"
        "from gaitops.garbage_collection import no_collection_at_exit\n"
        f"{call}\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.mark.parametrize(
    "call",
    [
        "no_collection_at_exit()",
        "from flows.dask_worker import dask_teardown; dask_teardown(None)",  # a closing worker
    ],
)
def test_no_collection_at_exit_freezes_what_is_left_as_the_process_ends(call):
    assert _frozen_at_exit(call) == "True"
    assert _frozen_at_exit("pass") == "False"
