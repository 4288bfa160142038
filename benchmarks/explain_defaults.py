"""The demo's explain + score cost with the default methods and scores, against the pipeline's
first explain + score (Integrated Gradients, scored by Lan fidelity and robustness), both
measured in this run.

Runs the explain, score and compare stage functions in one process on a copy of the default
pipeline's inputs (data/canonical, data/validation, data/models, records/train.json), so the
workspace is never touched; orchestration (Prefect + DVC, about the same per stage) is measured by
`pipeline_overhead.py`. Run `gaitops demo` (or `gaitops run`) first.

    python benchmarks/explain_defaults.py           # the demo's inputs
    python benchmarks/explain_defaults.py --smoke   # ingest, validate, train on a tiny synthetic
                                                    # cohort first (the linear model, 2 folds)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from gaitops.config import Settings, load_settings  # noqa: E402
from gaitops.paths import Paths  # noqa: E402
from gaitops.pipeline import addresses, get_stage, split_address  # noqa: E402
from helpers import TINY_PARAMS  # noqa: E402

BASELINE_METHODS = ["integrated_gradients"]
BASELINE_SCORES = ["lan_fidelity", "lan_robustness"]
COPIED = ["data/canonical", "data/validation", "data/models", "records/train.json"]


def smoke_settings() -> Settings:
    """The tests' tiny synthetic cohort, 2 folds of the linear model alone (a torch model: the
    gradient explainers apply too), with params.yaml's explain and score sections."""
    default = load_settings(ROOT / "params.yaml")
    tiny = Settings.model_validate(
        {**TINY_PARAMS, "train": {**TINY_PARAMS["train"], "model": "linear", "baselines": False}}
    )
    return tiny.model_copy(update={"explain": default.explain, "score": default.score})


def smoke_workspace(
    into: Path, settings: Settings, stages: tuple[str, ...] = ("ingest", "validate", "train")
) -> Paths:
    """The inputs `gaitops demo` leaves (data/canonical, data/validation, data/models,
    records/train.json), made in `into` by these stages' functions, in this process."""
    paths = Paths(into)
    for name in stages:
        get_stage(name).function()(settings, paths)
    return paths


def _workspace(into: Path) -> Paths:
    for name in COPIED:
        source, target = ROOT / name, into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    return Paths(into)


def _explain_and_score(settings: Settings, paths: Paths) -> dict[str, float]:
    """Seconds per explain / score / compare stage function, in pipeline order."""
    seconds: dict[str, float] = {}
    for address in addresses(settings):
        stage, item = split_address(address)
        if stage.name not in ("explain", "score", "compare"):
            continue
        function = stage.function()
        started = time.perf_counter()
        function(settings, paths, **({} if item is None else {"item": item}))
        seconds[address] = time.perf_counter() - started
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny synthetic workspace (seconds)")
    smoke = parser.parse_args().smoke
    if not smoke and not (ROOT / "data/models/fold_0.pt").exists():
        print("run `gaitops demo` first: no data/models/fold_0.pt", file=sys.stderr)
        raise SystemExit(1)
    default = smoke_settings() if smoke else load_settings(ROOT / "params.yaml")
    baseline = default.model_copy(
        update={
            "explain": default.explain.model_copy(update={"methods": BASELINE_METHODS}),
            "score": default.score.model_copy(update={"scores": BASELINE_SCORES}),
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths = smoke_workspace(Path(tmp), default) if smoke else _workspace(Path(tmp))
        _explain_and_score(baseline, paths)  # warm-up: imports, first model loads
        measured = {
            "baseline": _explain_and_score(baseline, paths),
            "default": _explain_and_score(default, paths),
        }
    for name, seconds in measured.items():
        settings = baseline if name == "baseline" else default
        print(
            f"{name}: methods {settings.explain.methods}, scores {settings.score.scores}, "
            f"{sum(seconds.values()):.2f} s"
        )
        for address, value in seconds.items():
            print(f"  {address:40s} {value:6.2f} s")
    ratio = sum(measured["default"].values()) / sum(measured["baseline"].values())
    print(f"default / baseline explain + score + compare time: {ratio:.2f}x")


if __name__ == "__main__":
    main()
