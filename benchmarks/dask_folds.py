"""The default five-fold training with its folds on two Dask workers (through Prefect's
DaskTaskRunner), against one fold at a time, both on one torch thread per fit (so both give the
same bytes, compared here), measured in this run; and, for reference, one fold at a time on
torch's default thread count (the default settings: other bytes).

Runs `python -m flows.stages train` (the stage as DVC runs it: a Prefect flow, here on a private
Prefect server this run starts and stops, or the one named by $GAITOPS_BENCH_PREFECT_API_URL)
three times in a copy of the default pipeline's inputs (data/canonical, data/validation): one
fold at a time on torch's default threads and on one, then on Dask; the workspace is never
touched. Run `gaitops demo` first.

    python benchmarks/dask_folds.py           # the demo's inputs and params.yaml
    python benchmarks/dask_folds.py --smoke   # a tiny synthetic cohort (ingested and validated
                                              # here), 2 folds of a small ResNet-1D
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from _prefect_server import benchmark_prefect_server  # noqa: E402 (benchmarks/)
from explain_defaults import smoke_workspace  # noqa: E402 (benchmarks/)
from gaitops.config import Settings  # noqa: E402
from helpers import TINY_PARAMS  # noqa: E402

COPIED = ["data/canonical", "data/validation", "flows", "src", "dvc.yaml"]
CODE = ["flows", "src", "dvc.yaml"]  # the smoke run makes its own data


def _copy(into: Path, names: list[str] = COPIED) -> None:
    for name in names:
        source, target = ROOT / name, into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)


def smoke_params() -> dict:
    """Every params section, for the tests' tiny synthetic cohort and a small ResNet-1D alone."""
    train = {**TINY_PARAMS["train"], "baselines": False}
    return Settings.model_validate({**TINY_PARAMS, "train": train}).model_dump(by_alias=True)


def _train(
    project: Path, params: dict, runner: str, workers: int, threads: int | None
) -> tuple[float, dict[str, str]]:
    params = {**params, "runtime": {"runner": runner, "workers": workers, "torch_threads": threads}}
    (project / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "flows.stages", "train"],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    models = project / "data" / "models"
    return seconds, {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in models.iterdir()}


def _prepare(project: Path, smoke: bool) -> dict:
    """The project's code and train inputs (smoke: made here); the params to train with."""
    if not smoke:
        _copy(project)
        return yaml.safe_load((ROOT / "params.yaml").read_text())
    params = smoke_params()
    _copy(project, CODE)
    smoke_workspace(project, Settings.model_validate(params), ("ingest", "validate"))
    return params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny synthetic cohort (a minute)")
    smoke = parser.parse_args().smoke
    if not smoke and not (ROOT / "data/canonical").exists():
        print("run `gaitops demo` first: no data/canonical", file=sys.stderr)
        raise SystemExit(1)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        params = _prepare(project, smoke)
        with benchmark_prefect_server(project / ".prefect-server"):
            default, _ = _train(project, params, "serial", 1, None)
            serial, serial_models = _train(project, params, "serial", 1, 1)
            dask, dask_models = _train(project, params, "dask", 2, 1)
    train = params["train"]
    settings = (
        f"smoke settings ({train['folds']} folds of {train['model']} on synthetic)"
        if smoke
        else f"default settings ({train['folds']} folds of {train['model']} on fgdi)"
    )
    print(f"train stage, {settings}:")
    print(f"  one fold at a time, torch's default threads:       {default:.1f} s")
    print(f"  one fold at a time, 1 torch thread per fit:        {serial:.1f} s")
    print(f"  folds on 2 Dask worker processes, 1 thread each:   {dask:.1f} s")
    print(f"speed-up, same bytes (serial / dask, 1 thread per fit): {serial / dask:.2f}x")
    print(f"speed-up against the default serial run:               {default / dask:.2f}x")
    same = serial_models == dask_models
    print(f"model bytes identical across runners: {same} ({len(serial_models)} files)")


if __name__ == "__main__":
    main()
