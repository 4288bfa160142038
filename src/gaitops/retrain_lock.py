"""One retrain at a time per project: an OS file lock, released even when its process is killed.

A second retrain waits (scheduled runs) or is refused with a message naming the one running
(`gaitops run`); either way it never touches the first one's params, data or outputs.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gaitops.errors import GaitopsError


class RetrainBusy(GaitopsError):
    """Another retrain holds this project's lock."""


def lock_path(root: Path) -> Path:
    return root / ".gaitops" / "retrain.lock"


def _holder(handle: int) -> str:
    os.lseek(handle, 0, os.SEEK_SET)
    try:
        record = json.loads(os.read(handle, 4096).decode() or "{}")
    except (ValueError, UnicodeDecodeError):
        return "another retrain"
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.get("since", 0)))
    run = f", Prefect flow run {record['run']}" if record.get("run") else ""
    return f"the retrain of pid {record.get('pid')} (since {since}{run})"


@contextmanager
def exclusive_retrain(root: Path, wait: bool, run_id: str | None = None) -> Iterator[None]:
    """Hold the project's retrain lock for the enclosed block; wait for it, or RetrainBusy."""
    path = lock_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise RetrainBusy(
                    f"{_holder(handle)} is running in this project; this one did not start and "
                    "changed nothing. Wait for it to finish (`gaitops run --wait` queues behind it)."
                ) from None
            fcntl.flock(handle, fcntl.LOCK_EX)
        os.ftruncate(handle, 0)
        os.lseek(handle, 0, os.SEEK_SET)
        os.write(
            handle, json.dumps({"pid": os.getpid(), "since": time.time(), "run": run_id}).encode()
        )
        try:
            yield
        finally:
            os.ftruncate(handle, 0)
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
