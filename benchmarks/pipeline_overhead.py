"""Stage-by-stage time and peak memory, and the cost of orchestration (Prefect + DVC).

Prints:
  - per stage: seconds inside the stage function, and peak RSS of a process running only it;
  - the whole pipeline run directly (one process, stage functions in a row: wall time incl.
    interpreter start and imports) versus through Prefect + DVC (`python -m flows.retrain`:
    DVC finds the stale stages, their flows run as subflows of the retrain run, DVC records
    them in dvc.lock), and versus `dvc repro` (one Prefect flow process per stage);
  - their ratios to direct, all measured in this run.
"""

from __future__ import annotations

import argparse
import copy
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
from gaitops.prefect_server import ServerSpec, start, stop  # noqa: E402
from gaitops.stages import STAGE_NAMES  # noqa: E402
from helpers.project import free_port, make_project, tool_env  # noqa: E402

STAGES = list(STAGE_NAMES)
WORKER = str(Path(__file__).with_name("_stage_worker.py"))


def _params(synthetic: bool) -> dict:
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    if synthetic or not os.environ.get("GAITOPS_DATA_DIR"):
        params["data"]["source"] = "synthetic"
    return copy.deepcopy(params)


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    start_time = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start_time
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    return elapsed, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="use the synthetic cohort even if fgdi is available",
    )
    args = parser.parse_args()
    params = _params(args.synthetic)
    data_env = (
        {"GAITOPS_DATA_DIR": os.environ["GAITOPS_DATA_DIR"]}
        if os.environ.get("GAITOPS_DATA_DIR")
        else {}
    )
    with tempfile.TemporaryDirectory(prefix="gaitops-bench-") as scratch:
        scratch_path = Path(scratch)
        spec = ServerSpec(home=scratch_path / "prefect", port=free_port())
        api_url = start(spec)
        try:
            env = tool_env(api_url, data_env)
            direct_project = make_project(scratch_path / "direct", params)
            per_stage = {}
            for name in STAGES:
                _, out = _timed(
                    [sys.executable, WORKER, str(direct_project), name], direct_project, env
                )
                per_stage[name] = json.loads(out.strip().splitlines()[-1])
            direct_seconds, _ = _timed(
                [sys.executable, WORKER, str(direct_project), *STAGES], direct_project, env
            )
            prefect_project = make_project(scratch_path / "prefect-run", params)
            prefect_seconds, _ = _timed(
                [sys.executable, "-m", "flows.retrain"], prefect_project, env
            )
            repro_project = make_project(scratch_path / "dvc-repro", params)
            repro_seconds, _ = _timed(["dvc", "repro"], repro_project, env)
        finally:
            stop(spec)
    source = params["data"]["source"]
    print(
        f"pipeline benchmark (source: {source}, {params['train']['folds']} folds, {params['models'][params['train']['model']]['max_epochs']} epochs of {params['train']['model']})"
    )
    print(f"{'stage':<10} {'seconds':>9} {'peak RSS MB':>12}")
    for name in STAGES:
        stats = per_stage[name]
        print(f"{name:<10} {stats['seconds'][name]:>9.2f} {stats['peak_rss_mb']:>12.0f}")
    print(f"direct, one process (wall, incl. start-up): {direct_seconds:.1f} s")
    print(
        f"through Prefect + DVC (retrain flow, stale stages as subflows, recorded by DVC): {prefect_seconds:.1f} s"
    )
    print(f"dvc repro alone (one Prefect flow process per stage): {repro_seconds:.1f} s")
    print(
        f"orchestration overhead ratio (Prefect + DVC / direct): {prefect_seconds / direct_seconds:.2f}"
    )
    print(f"dvc repro / direct: {repro_seconds / direct_seconds:.2f}")


if __name__ == "__main__":
    main()
