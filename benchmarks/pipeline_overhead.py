"""Stage-by-stage time and peak memory, and the cost of orchestration (Prefect + DVC).

Prints:
  - per stage: seconds inside the stage function, seconds of its flow run in the Prefect + DVC
    run (start to end, as the server recorded them), and peak RSS of a process running only it;
  - the whole pipeline run directly (one process, stage functions in a row: wall time incl.
    interpreter start and imports) versus through Prefect + DVC (`python -m flows.run`:
    DVC finds the stale stages, their flows run as subflows of the retrain run, DVC records
    them in dvc.lock), and versus `dvc repro` (one Prefect flow process per stage);
  - their ratios to direct, all measured in this run.

    python benchmarks/pipeline_overhead.py           # fgdi with $GAITOPS_DATA_DIR, else synthetic
    python benchmarks/pipeline_overhead.py --memory --repro   # also peak memory per address
                                                              # and `dvc repro` alone
    python benchmarks/pipeline_overhead.py --smoke   # a tiny synthetic cohort, linear model,
                                                     # one explainer, two scores (make test)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from _prefect_server import benchmark_prefect_server  # noqa: E402 (benchmarks/)
from gaitops.config import Settings  # noqa: E402
from gaitops.pipeline import addresses  # noqa: E402
from helpers import quick_after_train  # noqa: E402
from helpers.project import make_project, tool_env  # noqa: E402

WORKER = str(Path(__file__).with_name("_stage_worker.py"))


def _params(synthetic: bool, smoke: bool) -> dict:
    if smoke:
        return quick_after_train()  # linear, no baselines, one explainer, two scores
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    if synthetic or not os.environ.get("GAITOPS_DATA_DIR"):
        params["data"]["source"] = "synthetic"
    return params


def _fitting(params: dict) -> str:
    model = params["train"]["model"]
    epochs = params.get("models", {}).get(model, {}).get("max_epochs")
    return f"{model}" + (f", {epochs} epochs" if epochs else "")


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    start_time = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start_time
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    return elapsed, result.stdout


def flow_run_seconds(api_url: str, project: Path) -> dict[str, float]:
    """Stage address -> seconds of its flow run (start to end) among the project's flow runs."""
    from flows.abandoned import project_tag
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        names = {flow.id: flow.name for flow in client.read_flows()}
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[project_tag(project)]))
        )
    return {
        run.name if "@" in run.name else names[run.flow_id]: (
            run.end_time - run.start_time
        ).total_seconds()
        for run in runs
        if run.start_time is not None and run.end_time is not None
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="use the synthetic cohort even if fgdi is available",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny synthetic cohort, no dvc repro arm (seconds)"
    )
    parser.add_argument(
        "--memory",
        action="store_true",
        help="also run each stage address alone for its peak memory (a process per address)",
    )
    parser.add_argument("--repro", action="store_true", help="also time `dvc repro` alone")
    args = parser.parse_args()
    params = _params(args.synthetic, args.smoke)
    stage_addresses = addresses(Settings.model_validate(params))
    data_env = (
        {"GAITOPS_DATA_DIR": os.environ["GAITOPS_DATA_DIR"]}
        if os.environ.get("GAITOPS_DATA_DIR")
        else {}
    )
    with tempfile.TemporaryDirectory(prefix="gaitops-bench-") as scratch:
        scratch_path = Path(scratch)
        with benchmark_prefect_server(scratch_path / "prefect") as api_url:
            env = tool_env(api_url, data_env)
            direct_project = make_project(scratch_path / "direct", params)
            direct_seconds, out = _timed(
                [sys.executable, WORKER, str(direct_project), "all"], direct_project, env
            )
            direct = json.loads(out.strip().splitlines()[-1])
            peak_mb = {}
            if args.memory:  # each address alone, for its own peak memory
                for address in stage_addresses:
                    _, out = _timed(
                        [sys.executable, WORKER, str(direct_project), address], direct_project, env
                    )
                    peak_mb[address] = json.loads(out.strip().splitlines()[-1])["peak_rss_mb"]
            prefect_project = make_project(scratch_path / "prefect-run", params)
            prefect_seconds, _ = _timed([sys.executable, "-m", "flows.run"], prefect_project, env)
            flow_seconds = flow_run_seconds(api_url, prefect_project)
            repro_seconds = None
            if args.repro:
                repro_project = make_project(scratch_path / "dvc-repro", params)
                repro_seconds, _ = _timed(["dvc", "repro"], repro_project, env)
    source = params["data"]["source"]
    print(
        f"pipeline benchmark (source: {source}, {params['train'].get('folds', 5)} folds, "
        f"{_fitting(params)}; {len(stage_addresses)} stage addresses)"
    )
    print(f"{'stage address':<28} {'direct s':>9} {'flow run s':>11} {'peak RSS MB':>12}")
    for address in stage_addresses:
        peak = f"{peak_mb[address]:>12.0f}" if address in peak_mb else f"{'-':>12}"
        flow = f"{flow_seconds[address]:>11.2f}" if address in flow_seconds else f"{'-':>11}"
        print(f"{address:<28} {direct['seconds'][address]:>9.2f} {flow} {peak}")
    inside = sum(direct["seconds"].values())
    in_flows = sum(flow_seconds.get(address, 0.0) for address in stage_addresses)
    print(
        f"direct, one process (wall, incl. start-up): {direct_seconds:.1f} s "
        f"(inside the stage functions {inside:.1f} s)"
    )
    print(
        "through Prefect + DVC (retrain flow, stale stages as subflows, recorded by DVC): "
        f"{prefect_seconds:.1f} s (in the stage flow runs {in_flows:.1f} s; the rest: start-up, "
        "DVC's checks and records, the retrain flow's own tasks)"
    )
    print(
        f"orchestration overhead ratio (Prefect + DVC / direct): {prefect_seconds / direct_seconds:.2f}"
    )
    if repro_seconds is not None:
        print(f"dvc repro alone (one Prefect flow process per stage): {repro_seconds:.1f} s")
        print(f"dvc repro / direct: {repro_seconds / direct_seconds:.2f}")


if __name__ == "__main__":
    main()
