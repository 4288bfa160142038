"""The parent `retrain` flow: reproduce the DVC pipeline, then publish its metrics in Prefect.

python -m flows.retrain                 # one run now
python -m flows.retrain serve --cron "0 2 * * *"   # serve a scheduled deployment

Without overrides the stale stages run in this process as subflows of the retrain run (DVC
decides what is stale and records each stage in dvc.lock, see gaitops.dvc_repro). With `-S`
overrides the run is a DVC experiment (`dvc exp run`), whose stage processes tag their flow
runs with this retrain run's id.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, serve, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Completed

from flows.runtime import RETRAIN_TAG_ENV, failed_without_traceback, prefect_api, result_or_raise
from flows.stages import run_stage_flow
from gaitops.config import load_settings
from gaitops.data.external import record_external_files
from gaitops.dvc_repro import ReproFailed, reproduce_in_process
from gaitops.errors import FallbackUsed, GaitopsError
from gaitops.io import read_json
from gaitops.paths import Paths
from gaitops.report.summary import collect_metrics, metrics_markdown


def _tool_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment for dvc and the stage commands it runs: this interpreter's bin first."""
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", **extra}


def experiment_command(overrides: list[str]) -> list[str]:
    return ["dvc", "exp", "run", *[arg for o in overrides for arg in ("-S", o)]]


@task(name="dvc exp run", cache_policy=NO_CACHE)
def run_experiment(overrides: list[str]) -> None:
    """The pipeline as a DVC experiment with `overrides`; stage runs tagged with this run's id."""
    logger = get_run_logger()
    command = experiment_command(overrides)
    logger.info("$ %s", " ".join(command))
    tag = f"retrain:{flow_run.get_id()}"
    process = subprocess.Popen(
        command,
        env=_tool_env({RETRAIN_TAG_ENV: tag}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    tail: list[str] = []
    for line in process.stdout:
        line = line.rstrip()
        if line:
            logger.info(line)
            tail = [*tail[-30:], line]
    if process.wait() != 0:
        raise ReproFailed(
            f"`{' '.join(command)}` failed (exit {process.returncode}):\n" + "\n".join(tail)
        )


@task(name="publish metrics", cache_policy=NO_CACHE)
def publish() -> dict[str, Any]:
    metrics = collect_metrics(Paths(Path(".")))
    create_markdown_artifact(
        key="gaitops-metrics",
        markdown=f"# gaitops retrain\n\n{metrics_markdown(metrics)}",
        description="Cross-validated metrics and explanation scores of this retrain run",
    )
    return metrics


@flow(name="retrain", log_prints=True)
def retrain(overrides: list[str] | None = None, force_ingest: bool = False) -> Any:
    """Run every out-of-date stage (each a subflow), then publish the metrics artifact.

    Runs in the current directory, the project root. Ends Completed with a FALLBACK message
    when the data came from the fallback source, and Failed with the user's error (one line,
    no traceback) when a stage rejected the data or the settings.
    """
    try:
        if record_external_files(load_settings("params.yaml"), Path(".")):
            get_run_logger().info("data files outside the repository changed: ingest runs again")
        if overrides:
            run_experiment(list(overrides))
        else:
            ran = reproduce_in_process(
                Path("."),
                run_stage_flow,
                force_stages=frozenset({"ingest"}) if force_ingest else frozenset(),
            )
            get_run_logger().info("stages run: %s", ", ".join(ran) or "none (all up to date)")
    except GaitopsError as exc:
        return failed_without_traceback(exc)
    metrics = publish()
    reason = fallback_reason(Paths(Path(".")))
    if reason:
        get_run_logger().warning("FALLBACK DATA: %s", reason)
        return Completed(message=f"FALLBACK DATA: {reason}", data=metrics)
    return metrics


def fallback_reason(paths: Paths) -> str | None:
    """Why the stored canonical table is the fallback source's, or None."""
    if not paths.source_info.exists():
        return None
    return read_json(paths.source_info).get("fallback_reason")


def run_once(overrides: list[str], allow_fallback: bool, force_ingest: bool = False) -> Any:
    """One retrain run; FallbackUsed when it ran on fallback data and that was not allowed."""
    metrics = result_or_raise(
        retrain(overrides=overrides, force_ingest=force_ingest, return_state=True)
    )
    reason = fallback_reason(Paths(Path(".")))
    if reason and not allow_fallback:
        raise FallbackUsed(
            f"the run used fallback data, not the configured source: {reason}\n"
            "Its models and metrics say so. Fix the source (data.source / $GAITOPS_DATA_DIR), "
            "set data.fallback: null to fail instead, or pass --allow-fallback to accept it."
        )
    return metrics


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.retrain")
    parser.add_argument("mode", nargs="?", choices=["run", "serve"], default="run")
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
        "--cron", default="0 2 * * *", help="schedule for `serve` (default: nightly at 02:00)"
    )
    args = parser.parse_args(argv)
    try:
        with prefect_api() as url:
            if args.mode == "serve":
                print(f"serving deployment retrain/nightly ({args.cron}) on {url}; Ctrl-C to stop")
                deployment = retrain.to_deployment(name="nightly", cron=args.cron)
                serve(deployment, pause_on_shutdown=False)
            else:
                run_once(args.overrides, args.allow_fallback)
    except GaitopsError as exc:
        print(f"gaitops: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
