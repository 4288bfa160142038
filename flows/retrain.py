"""The parent `retrain` flow: reproduce the DVC pipeline, then publish its metrics in Prefect.

python -m flows.retrain                 # one run now
python -m flows.retrain serve --cron "0 2 * * *"   # serve a scheduled deployment
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

from flows.runtime import prefect_api
from gaitops.errors import GaitopsError
from gaitops.paths import Paths
from gaitops.report.summary import collect_metrics, metrics_markdown


class ReproFailed(GaitopsError):
    """`dvc repro` (or `dvc exp run`) exited non-zero."""


def _tool_env() -> dict[str, str]:
    """The environment for dvc and the stage commands it runs: this interpreter's bin first."""
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}


def dvc_command(overrides: list[str], force_ingest: bool) -> list[list[str]]:
    """The dvc invocations one retrain run makes, in order."""
    commands = [["dvc", "repro", "--force", "--single-item", "ingest"]] if force_ingest else []
    if overrides:
        commands.append(["dvc", "exp", "run", *[arg for o in overrides for arg in ("-S", o)]])
    else:
        commands.append(["dvc", "repro"])
    return commands


@task(name="dvc repro", cache_policy=NO_CACHE)
def reproduce(root: str, overrides: list[str], force_ingest: bool) -> None:
    logger = get_run_logger()
    for command in dvc_command(overrides, force_ingest):
        logger.info("$ %s", " ".join(command))
        process = subprocess.Popen(
            command,
            cwd=root,
            env=_tool_env(),
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
def publish(root: str) -> dict[str, Any]:
    metrics = collect_metrics(Paths(Path(root)))
    create_markdown_artifact(
        key="gaitops-metrics",
        markdown=f"# gaitops retrain\n\n{metrics_markdown(metrics)}",
        description="Cross-validated metrics and explanation scores of this retrain run",
    )
    return metrics


@flow(name="retrain", log_prints=True)
def retrain(
    root: str = ".", overrides: list[str] | None = None, force_ingest: bool = False
) -> dict[str, Any]:
    """Run every out-of-date stage (each a flow of its own), then publish the metrics artifact."""
    reproduce(root, list(overrides or []), force_ingest)
    return publish(root)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.retrain")
    parser.add_argument("mode", nargs="?", choices=["run", "serve"], default="run")
    parser.add_argument(
        "-S",
        "--set",
        dest="overrides",
        action="append",
        default=[],
        help="param override for this run, e.g. train.max_epochs=10 (recorded as a DVC experiment)",
    )
    parser.add_argument(
        "--cron", default="0 2 * * *", help="schedule for `serve` (default: nightly at 02:00)"
    )
    args = parser.parse_args(argv)
    try:
        with prefect_api() as url:
            if args.mode == "serve":
                print(f"serving deployment retrain/nightly ({args.cron}) on {url}; Ctrl-C to stop")
                deployment = retrain.to_deployment(
                    name="nightly", cron=args.cron, parameters={"root": str(Path.cwd())}
                )
                serve(deployment, pause_on_shutdown=False)
            else:
                retrain(root=".", overrides=args.overrides)
    except GaitopsError as exc:
        print(f"gaitops retrain: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
