"""Reproduce dvc.yaml in this process: DVC decides which stages are stale and records each run in
dvc.lock; a function given per stage does the work instead of a `cmd` subprocess.

This is ``dvc repro`` with one difference: a stage's command is not started as a new process
(each would import torch, Lightning, Great Expectations and Prefect anew), the stage function it
would run is called here. Everything else is DVC's own: the staleness check (deps, params, outs,
upstream changes), the run cache, the hashes saved to the cache and written to dvc.lock, and the
repository lock held for the whole run, so a concurrent ``dvc repro`` in the workspace waits.
Outputs are not deleted before a stage runs: stages replace them atomically on success. DVC reads
dvc.lock with the C YAML loader when it records a stage (gaitops.dvc_lockfile): the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gaitops.dvc_lockfile import lockfile_writes_parsed_in_c
from gaitops.errors import GaitopsError

log = logging.getLogger("gaitops")
StageRunner = Callable[[str], Any]


class ReproFailed(GaitopsError):
    """A stage of the DVC pipeline failed."""


@contextmanager
def dvc_prints_once() -> Iterator[None]:
    """DVC prints its messages through its own handlers; passed on to the root logger too
    (where Prefect's console handler is) every line would be printed twice."""
    dvc_logger = logging.getLogger("dvc")
    before = dvc_logger.propagate
    dvc_logger.propagate = False
    try:
        yield
    finally:
        dvc_logger.propagate = before


def reproduce_in_process(
    root: Path, run_stage: StageRunner, force_stages: frozenset[str] = frozenset()
) -> list[str]:
    """Run every stale stage of ``root``'s dvc.yaml (and `force_stages`) in pipeline order
    with ``run_stage(name)``; record each in dvc.lock. Returns the names of the stages run."""
    from dvc.exceptions import ReproductionError
    from dvc.repo import Repo
    from dvc.stage.cache import RunCacheNotFoundError
    from dvc.stage.decorators import rwlocked

    ran: list[str] = []

    @rwlocked(read=["deps"], write=["outs"])  # the per-stage lock `dvc repro` takes
    def run_and_record(stage: Any) -> None:
        """DVC's Stage.run, with the stage function for the command and outputs kept."""
        stage.unprotect_outs()  # a linked cache must not be written through
        stage.save_deps()
        run_stage(stage.addressing)
        uncached = any(not o.use_cache for o in stage.outs if not (o.is_metric or o.is_plot))
        stage.save(run_cache=not uncached)
        stage.commit()

    @rwlocked(read=["deps"], write=["outs"])
    def restore(stage: Any) -> None:
        stage.repo.stage_cache.restore(stage)
        stage.save(run_cache=False)
        stage.commit()

    def reproduce_stage(stage: Any, upstream: Any = None, force: bool = False, **_: Any) -> Any:
        name = stage.addressing
        forced_now = force or name in force_stages
        if not forced_now and not stage.changed(False, upstream):
            log.info("stage %s: up to date", name)
            return None
        try:
            if forced_now:
                raise RunCacheNotFoundError(stage)
            restore(stage)
            log.info("stage %s: outputs restored from DVC's run cache", name)
        except RunCacheNotFoundError:
            run_and_record(stage)
        stage.dump(update_pipeline=False)
        ran.append(name)
        return stage

    with dvc_prints_once(), lockfile_writes_parsed_in_c(), Repo(str(root)) as repo:
        try:
            repo.reproduce(repro_fn=reproduce_stage)
        except ReproductionError as exc:
            cause = exc.__cause__
            if isinstance(cause, GaitopsError):
                raise cause from None
            raise ReproFailed(f"{exc}: {cause}") from cause
    return ran
