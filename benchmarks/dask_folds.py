"""The default five-fold training with its folds on two Dask workers (through Prefect's
DaskTaskRunner), against one fold at a time, both on one torch thread per fit (so both give the
same bytes, compared here), measured in this run; and, for reference, one fold at a time on
torch's default thread count (the default settings: other bytes).

Runs `python -m flows.stages train` (the stage as DVC runs it: a Prefect flow on the project's
server) twice in a copy of the default pipeline's inputs (data/canonical, data/validation), once
per `runtime.runner`; the workspace is never touched. Run `gaitops demo` first.
"""

from __future__ import annotations

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
COPIED = ["data/canonical", "data/validation", "flows", "src", "dvc.yaml"]


def _copy(into: Path) -> None:
    for name in COPIED:
        source, target = ROOT / name, into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)


def _train(
    project: Path, runner: str, workers: int, threads: int | None
) -> tuple[float, dict[str, str]]:
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    params["runtime"] = {"runner": runner, "workers": workers, "torch_threads": threads}
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


def main() -> None:
    if not (ROOT / "data/canonical").exists():
        print("run `gaitops demo` first: no data/canonical", file=sys.stderr)
        raise SystemExit(1)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        _copy(project)
        default, _ = _train(project, "serial", 1, None)
        serial, serial_models = _train(project, "serial", 1, 1)
        dask, dask_models = _train(project, "dask", 2, 1)
    print("train stage, default settings (5 folds of ResNet-1D on fgdi):")
    print(f"  one fold at a time, torch's default threads:       {default:.1f} s")
    print(f"  one fold at a time, 1 torch thread per fit:        {serial:.1f} s")
    print(f"  folds on 2 Dask worker processes, 1 thread each:   {dask:.1f} s")
    print(f"speed-up, same bytes (serial / dask, 1 thread per fit): {serial / dask:.2f}x")
    print(f"speed-up against the default serial run:               {default / dask:.2f}x")
    same = serial_models == dask_models
    print(f"model bytes identical across runners: {same} ({len(serial_models)} files)")


if __name__ == "__main__":
    main()
