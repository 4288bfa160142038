"""How leave-one-subject-out training grows with the cohort: synthetic cohorts of 30, 60, 120
and 240 subjects, the train stage with `train.protocol: loso` (one fold per subject, each fit on
all the others), one fold at a time and on two Dask workers, both on one torch thread per fit.

Runs `python -m flows.stages train` (the stage as DVC runs it: a Prefect flow, here on a private
Prefect server this run starts and stops, or the one named by $GAITOPS_BENCH_PREFECT_API_URL)
in a scratch project per cohort, after ingest and validate (their functions, run in this
process: only train is timed). Measures wall time and the
peak memory of the whole process tree (the flow and its Dask workers, summed RSS sampled every
0.1 s), prints each with the ratio to the 30-subject run of the same runner, the two-worker
speed-up per size, and the fitted growth exponent b of time ~ subjects^b (least squares on the
logs; LOSO is quadratic in principle: n folds of n - 1 subjects each).

Six cycles per subject and a small ResNet-1D (8 filters, 1 block, 3 epochs) keep the 900 fits
to about a quarter of an hour on two cores.

    python benchmarks/loso_growth.py           # 30, 60, 120 and 240 subjects
    python benchmarks/loso_growth.py --smoke   # 6 and 9 subjects, one epoch, the model alone
                                               # with small kernels
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from _prefect_server import benchmark_prefect_server  # noqa: E402 (benchmarks/)
from explain_defaults import smoke_workspace  # noqa: E402 (benchmarks/)
from gaitops.config import load_settings  # noqa: E402
from helpers import TINY_PARAMS  # noqa: E402

SUBJECTS = (30, 60, 120, 240)
SMOKE_SUBJECTS = (6, 9)
GROUPS = 3
RUNNERS = {
    "serial": {"runner": "serial", "workers": 1},
    "2 dask workers": {"runner": "dask", "workers": 2},
}
MODEL = {"filters": 8, "blocks": 1, "kernel_size": 5, "max_epochs": 3, "batch_size": 64}
SMOKE_MODEL = {**MODEL, "max_epochs": 1}  # the same code paths, a third of the fitting
CYCLES_PER_SESSION = 3  # 6 cycles (3 per side) per subject


def _project(scratch: Path, subjects: int, smoke: bool) -> Path:
    project = scratch / f"loso-{subjects}"
    project.mkdir()
    for name in ("flows", "src", "dvc.yaml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / name)
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    params["data"].update({"source": "synthetic", "fallback": None})
    params["synthetic"]["subjects_per_group"] = subjects // GROUPS
    params["synthetic"]["cycles_per_session"] = CYCLES_PER_SESSION
    params["train"]["protocol"] = "loso"
    params["models"]["resnet1d"].update(SMOKE_MODEL if smoke else MODEL)
    params["train"].update({"model": "resnet1d", "baselines": False})  # what the table names
    if smoke:  # the tests' small model sections
        params["models"].update({**TINY_PARAMS["models"], "resnet1d": params["models"]["resnet1d"]})
    (project / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    smoke_workspace(project, load_settings(project / "params.yaml"), ("ingest", "validate"))
    return project


def _tool_env() -> dict[str, str]:
    """This environment with the venv's tools (dvc, prefect) first on PATH."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def _train(project: Path, runtime: dict) -> tuple[float, float]:
    """Wall seconds and peak summed RSS (MB) of the train stage's process tree."""
    params = yaml.safe_load((project / "params.yaml").read_text())
    params["runtime"] = {**runtime, "torch_threads": 1}
    (project / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.stages", "train"],
        cwd=project,
        env=_tool_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak, watched = 0, psutil.Process(process.pid)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(watched))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"train failed ({project.name}, {runtime}):\n{errors[-3000:]}")
    return seconds, peak / 2**20


def _exponent(sizes: list[int], values: list[float]) -> float:
    slope, _ = np.polyfit(np.log(sizes), np.log(values), 1)
    return float(slope)


def _measure(
    scratch: Path, sizes: tuple[int, ...], smoke: bool
) -> dict[str, list[tuple[float, float]]]:
    """Per runner, the train stage's (seconds, peak MB) at each cohort size."""
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in RUNNERS}
    for subjects in sizes:
        project = _project(scratch, subjects, smoke)
        for name, runtime in RUNNERS.items():
            results[name].append(_train(project, runtime))
            seconds, peak = results[name][-1]
            print(
                f"  {subjects:>3} subjects, {name:<14} {seconds:7.1f} s  {peak:7.0f} MB",
                flush=True,
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="6 and 9 subjects, small kernels")
    smoke = parser.parse_args().smoke
    sizes = SMOKE_SUBJECTS if smoke else SUBJECTS
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        with benchmark_prefect_server(scratch / "prefect"):
            results = _measure(scratch, sizes, smoke)
    print(
        f"\nLOSO train stage on synthetic cohorts ({2 * CYCLES_PER_SESSION} cycles per subject, "
        f"ResNet-1D {SMOKE_MODEL if smoke else MODEL}), 1 torch thread per fit"
    )
    print(f"{'subjects':>8} " + "".join(f"| {n:<32}" for n in RUNNERS) + "| speed-up")
    for i, subjects in enumerate(sizes):
        cells = ""
        for name in RUNNERS:
            seconds, peak = results[name][i]
            base_s, base_mb = results[name][0]
            cells += f"| {seconds:6.1f} s ({seconds / base_s:5.1f}x) {peak:5.0f} MB ({peak / base_mb:3.1f}x) "
        speed_up = results["serial"][i][0] / results["2 dask workers"][i][0]
        print(f"{subjects:>8} {cells}| {speed_up:.2f}x")
    for name in RUNNERS:
        times = [seconds for seconds, _ in results[name]]
        peaks = [peak for _, peak in results[name]]
        print(
            f"growth exponent, {name}: time ~ subjects^{_exponent(list(sizes), times):.2f}, "
            f"peak memory ~ subjects^{_exponent(list(sizes), peaks):.2f}"
        )


if __name__ == "__main__":
    main()
