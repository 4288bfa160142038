"""One retrain from a terminal: `gaitops run`, or ``python -m flows.run`` (the same flags).

It runs the retrain flow (flows/retrain.py) on the project's Prefect server, says a user's error
in one line, turns Ctrl-C into cancelled runs and one line, and ends with the run's figures.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import tags

from flows.abandoned import cancel_interrupted, project_tag
from flows.retrain import retrain
from flows.runtime import prefect_api, result_or_raise
from gaitops.errors import FallbackUsed, GaitopsError
from gaitops.lifecycle.keeper import fallback_reason
from gaitops.paths import Paths
from gaitops.report.summary import summary_for


def run_once(
    overrides: list[str], allow_fallback: bool, force_ingest: bool = False, wait: bool = False
) -> Any:
    """One retrain run; FallbackUsed when it ran on fallback data and that was not allowed."""
    with tags(project_tag(Path("."))):
        state = retrain(
            overrides=overrides, force_ingest=force_ingest, wait_for_lock=wait, return_state=True
        )
    metrics = result_or_raise(state)
    reason = None if overrides else fallback_reason(Paths(Path(".")))
    if reason and not allow_fallback:
        raise FallbackUsed(
            f"the run used fallback data, not the configured source: {reason}\n"
            "Its models and metrics say so. Fix the source (data.source / $GAITOPS_DATA_DIR), "
            "set data.fallback: null to fail instead, or pass --allow-fallback to accept it."
        )
    return metrics


def closing_summary(overrides: list[str]) -> str:
    """What a finished `gaitops run` says last: the run's figures and where to look, as the
    demo does (an experiment's figures are in `dvc exp show`, the workspace kept its own)."""
    if overrides:
        return "\nthe experiment's params and metrics: dvc exp show --only-changed"
    paths = Paths(Path("."))
    return (
        "\n"
        + summary_for(paths.root)
        + f"\nreport: {paths.report_page} · every retrain: gaitops history · lineage: dvc.lock"
    )


def run_command(overrides: list[str], allow_fallback: bool, wait: bool) -> int:
    """One retrain from a terminal on the project's Prefect server: its exit code, the user's
    error as one line (exit 1), Ctrl-C as one line (exit 130)."""
    try:
        with prefect_api():
            code = run_interruptibly(lambda: run_once(overrides, allow_fallback, wait=wait))
            if code == 0:
                print(closing_summary(overrides))
            return code
    except GaitopsError as exc:
        print(f"gaitops: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.run")
    parser.add_argument(
        "-S",
        "--set",
        dest="overrides",
        action="append",
        default=[],
        help="param override for this run, e.g. models.resnet1d.max_epochs=10 (a DVC experiment)",
    )
    parser.add_argument(
        "--allow-fallback",
        action="store_true",
        help="exit 0 even when the built-in data set was missing and the fallback data was used",
    )
    parser.add_argument(
        "--wait",
        action="store_true",
        help="wait for a retrain already running in this project instead of refusing to start",
    )
    args = parser.parse_args(argv)
    return run_command(args.overrides, args.allow_fallback, args.wait)


def run_interruptibly(run: Callable[[], Any]) -> int:
    """Run a retrain; on Ctrl-C, its unfinished runs end CANCELLED, one line says what
    finished and what did not, and the process exits 130 at once (no traceback).

    At once: Ctrl-C reaches the main thread, while a fold may be training in a task runner's
    thread, which Python would wait for at exit (minutes, for a long fit). Exiting without
    waiting loses nothing: every output is replaced only whole and on success, and the
    retrain and DVC locks are released with the process."""
    since = datetime.now(UTC)
    try:
        run()
    except KeyboardInterrupt:
        finished, stopped = cancel_interrupted(project_tag(Path(".")), since)
        done = ", ".join(f for f in finished if f != "retrain") or "none"
        print(
            f"gaitops: interrupted. Finished: {done}; cancelled: {', '.join(stopped) or 'none'}. "
            "Outputs of unfinished stages were not replaced; the next retrain redoes those "
            "stages.",
            file=sys.stderr,
        )
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
