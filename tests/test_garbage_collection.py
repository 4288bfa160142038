"""The collector kept off the libraries' objects: imports frozen, no full collection at exit."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from gaitops.garbage_collection import imports_uncollected


@pytest.fixture
def collector_enabled():
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


def test_imports_inside_run_uncollected_and_are_frozen_after(collector_enabled):
    before = gc.get_freeze_count()
    with imports_uncollected():
        assert not gc.isenabled()
        made = [[] for _ in range(1000)]  # tracked objects, as an import makes
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(made)


def test_a_failed_import_freezes_nothing_and_turns_the_collector_back_on(collector_enabled):
    gc.unfreeze()  # the session's frozen objects back in the old generation: a clean count
    try:
        with pytest.raises(ImportError), imports_uncollected():
            raise ImportError("no module named nowhere")
        assert gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.freeze()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with imports_uncollected():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _frozen_now_and_at_exit(call: str) -> str:
    """A fresh interpreter makes `call`: whether objects are frozen right after it, and in the
    last exit handler (registered first: atexit runs the newest first)."""
    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print(gc.get_freeze_count() > 0))\n"
        "from gaitops.garbage_collection import no_collection_at_exit\n"
        f"{call}\n"
        "print(gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_without_the_call_nothing_is_frozen_at_exit():
    assert _frozen_now_and_at_exit("pass") == ["False", "False"]


@pytest.mark.parametrize(
    "call",
    [
        "no_collection_at_exit(); no_collection_at_exit()",
        "from flows.dask_worker import dask_teardown; dask_teardown(None)",  # a closing worker
    ],
)
def test_no_collection_at_exit_freezes_what_is_left_as_the_process_ends(call):
    assert _frozen_now_and_at_exit(call) == ["False", "True"]
