"""What keeping Python's garbage collector off the libraries' objects saves a stage process
(src/gaitops/garbage_collection.py: imports frozen, no full collection at exit).

Each stage address runs as DVC runs it (`python -m flows.stages ADDRESS`, reporting to a Prefect
server) twice on the same inputs, measured in this run: with gaitops' collector settings, and
with Python's defaults (the same command with the two calls made no-ops; with `runtime.runner:
dask`, the workers keep their preload's settings in both). Each run starts without the stage's
outputs (its outs and metrics in dvc.yaml). Prints, per address and in total, wall and CPU
seconds and the peak RSS of each, their ratios, and whether the outputs came out byte-identical
both ways. Which arm runs first alternates from address to address and round to round; the
stages before the first measured one run once.

    python benchmarks/garbage_collection.py             # the default params (fgdi with
                                                        # $GAITOPS_DATA_DIR, else synthetic),
                                                        # every stage address, one round
    python benchmarks/garbage_collection.py --rounds 3 --addresses validate train
    python benchmarks/garbage_collection.py --smoke     # the tests' tiny cohort, ingest alone
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from _prefect_server import benchmark_prefect_server  # noqa: E402 (benchmarks/)
from gaitops.config import Settings  # noqa: E402
from gaitops.pipeline import addresses  # noqa: E402
from helpers import quick_after_train  # noqa: E402
from helpers.project import declared_outputs, make_project, tool_env  # noqa: E402

# `python -m flows.stages ADDRESS` with gaitops' two collector calls made no-ops
PYTHON_DEFAULTS = (
    "import contextlib, runpy, sys\n"
    "import gaitops.garbage_collection as collector\n"
    "collector.imports_uncollected = contextlib.nullcontext\n"
    "collector.no_collection_at_exit = lambda: None\n"
    "sys.argv = ['flows.stages', *sys.argv[1:]]\n"
    "runpy.run_module('flows.stages', run_name='__main__', alter_sys=True)\n"
)
ARMS = {
    "Python's defaults": [sys.executable, "-c", PYTHON_DEFAULTS],
    "gaitops": [sys.executable, "-m", "flows.stages"],
}
BASELINE, CHANGED = ARMS


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    outputs: str  # a hash of the stage's outputs' bytes


def _params(smoke: bool) -> dict:
    if smoke:
        return quick_after_train()  # ingest alone is measured: the later sections do not matter
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    if not os.environ.get("GAITOPS_DATA_DIR"):
        params["data"]["source"] = "synthetic"
    return params


def _output_roots(project: Path, address: str) -> list[Path]:
    """The address's outputs in the project's dvc.yaml (files and folders)."""
    return [project / path for path in declared_outputs(project / "dvc.yaml", address)]


def _digest(project: Path, address: str) -> str:
    """A hash of the outputs' paths and bytes (a missing output counts as such)."""
    digest = hashlib.sha256()
    for root in _output_roots(project, address):
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            digest.update(str(path.relative_to(project)).encode())
            digest.update(path.read_bytes() if path.exists() else b"(missing)")
    return digest.hexdigest()


def _remove_outputs(project: Path, address: str) -> None:
    for root in _output_roots(project, address):
        if root.is_dir():
            shutil.rmtree(root)
        else:
            root.unlink(missing_ok=True)


def _run(command: list[str], address: str, project: Path, env: dict[str, str]) -> Run:
    """One stage process, started without the stage's outputs: its wall time, its CPU time and
    peak RSS from the kernel, and a hash of the outputs it wrote."""
    _remove_outputs(project, address)
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*command, *address.split("@")],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C: the stage's process goes too
            process.kill()
            process.wait()
            raise
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{address} failed:\n{errors.read().decode()[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024, _digest(project, address))


def _measure(
    project: Path, env: dict[str, str], measured: list[str], order: list[str], rounds: int
) -> dict[str, dict[str, list[Run]]]:
    """Per measured address, per arm, one run per round. The stages from the first measured
    one to the last run each round, the unmeasured ones once with gaitops' command (they make
    the next one's inputs); those before the first, once in all."""
    runs: dict[str, dict[str, list[Run]]] = {a: {arm: [] for arm in ARMS} for a in measured}
    first, last = order.index(measured[0]), order.index(measured[-1])

    def prepare(address: str) -> None:
        _run(ARMS[CHANGED], address, project, env)

    for address in order[:first]:
        prepare(address)
    for round_ in range(rounds):
        for position, address in enumerate(order[first : last + 1]):
            if address not in measured:
                prepare(address)
                continue
            arms = list(ARMS) if (round_ + position) % 2 == 0 else list(reversed(ARMS))
            for arm in arms:
                run = _run(ARMS[arm], address, project, env)
                runs[address][arm].append(run)
                print(f"  {address:<28} {arm:<18} {run.seconds:6.1f} s", flush=True)
    return runs


def _report(runs: dict[str, dict[str, list[Run]]], rounds: int) -> None:
    print(
        f"\n{'stage address':<28} | {'wall s':>15} | {'CPU s':>15} | {'peak MB':>11} | "
        f"{'wall ratio':>10} | identical"
    )
    totals = {arm: [0.0, 0.0] for arm in ARMS}
    for address, arms in runs.items():
        figures = {}
        for arm, measured in arms.items():
            wall = statistics.median(r.seconds for r in measured)
            cpu = statistics.median(r.cpu_seconds for r in measured)
            figures[arm] = (wall, cpu, max(r.peak_mb for r in measured))
            totals[arm][0] += wall
            totals[arm][1] += cpu
        (w0, c0, m0), (w1, c1, m1) = figures[BASELINE], figures[CHANGED]
        same = len({r.outputs for arm in arms.values() for r in arm}) == 1
        print(
            f"{address:<28} | {w0:6.1f} -> {w1:6.1f} | {c0:6.1f} -> {c1:6.1f} | "
            f"{m0:4.0f} -> {m1:4.0f} | {w1 / w0:10.2f} | {same}"
        )
    (w0, c0), (w1, c1) = totals[BASELINE], totals[CHANGED]
    print(
        f"total, medians of {rounds} round(s) ({BASELINE} -> {CHANGED}): wall {w0:.1f} s -> "
        f"{w1:.1f} s, ratio {w1 / w0:.2f}; CPU {c0:.1f} s -> {c1:.1f} s, ratio {c1 / c0:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="tiny synthetic cohort, ingest alone")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each arm per address")
    parser.add_argument("--addresses", nargs="+", help="the stage addresses to measure")
    args = parser.parse_args()
    params = _params(args.smoke)
    order = addresses(Settings.model_validate(params))
    measured = ["ingest"] if args.smoke else (args.addresses or order)
    unknown = sorted(set(measured) - set(order))
    if unknown:
        raise SystemExit(f"not stage addresses of these params: {unknown}; they are {order}")
    measured = [a for a in order if a in measured]
    data_env = {k: v for k, v in os.environ.items() if k == "GAITOPS_DATA_DIR"}
    with tempfile.TemporaryDirectory(prefix="gaitops-bench-") as scratch:
        scratch_path = Path(scratch)
        with benchmark_prefect_server(scratch_path / "prefect") as api_url:
            project = make_project(scratch_path / "project", params)
            print(
                f"stage processes on {params['data']['source']} ({params['train']['model']}), "
                f"{args.rounds} round(s): {BASELINE} against {CHANGED} (its collector settings)"
            )
            runs = _measure(project, tool_env(api_url, data_env), measured, order, args.rounds)
    _report(runs, args.rounds)


if __name__ == "__main__":
    main()
