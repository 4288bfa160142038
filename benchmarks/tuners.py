"""The tuner benchmark: every sampler on tabulated grids, with controls, and the controller mode
live. See tuners/README.md for the design and the pre-registered claims.

  python benchmarks/tuners.py pilot                  # timing pilot: seconds per arm, the MDE
  python benchmarks/tuners.py tabulate PROBLEM       # every configuration x 2 training seeds,
                                                     # every epoch (_tuners_tables.py)
  python benchmarks/tuners.py calibrate              # LinUCB's exploration, on the controls only
  python benchmarks/tuners.py run PROBLEM            # every arm x 100 paired seeds on the table
  python benchmarks/tuners.py controller PROBLEM     # controller mode live, 20 paired seeds
  python benchmarks/tuners.py report                 # results.md, summary.json, figures
  dvc repro benchmarks/dvc.yaml                      # all of it (make bench-tuners)
  python benchmarks/tuners.py --smoke                # all of it on a tiny problem, in seconds

Uses $GAITOPS_DATA_DIR/fgdi (hash-checked) for the fgdi problems.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "tuners"

from gaitops.config import Settings  # noqa: E402
from gaitops.io import write_json  # noqa: E402
from gaitops.tuning.benchmark.problems import PROBLEMS, BenchmarkProblem  # noqa: E402
from gaitops.tuning.benchmark.simulate import Arm  # noqa: E402
from gaitops.tuning.benchmark.tabular import TabularProblem  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tuners_tables as tables  # noqa: E402

LINUCB_EXPLORATIONS = (0.3, 1.0, 2.0, 3.0, 5.0, 10.0)
CALIBRATION_SEEDS = 20
CONTROLLER_SEEDS = 20
CONTROLLER_PROBLEMS = ("fgdi-mlp-group", "fgdi-sdnn-angle")
SHUFFLED = "fgdi-mlp-group-shuffled"
BBOB = {"bbob-f1": 1, "bbob-f2": 2, "bbob-f8": 8}


@dataclass(frozen=True)
class Scale:
    """What a benchmark run covers and where it writes."""

    out: Path
    problems: tuple[BenchmarkProblem, ...]
    params: dict[str, Any]  # the Settings the problems' data and model sections come from
    seeds: int
    gp_seeds: int
    controller_seeds: int
    calibration_seeds: int
    bbob: dict[str, dict[str, int]]  # name -> bbob_problem's arguments
    shuffled_from: str
    controller_problems: tuple[str, ...]
    workers: int  # processes for tabulate, run and controller
    # run name -> arm name (or "*" for every arm) -> seeds, where a control needs more power
    seed_overrides: dict[str, dict[str, int]] = field(default_factory=dict)

    def problem(self, name: str) -> BenchmarkProblem:
        return next(p for p in self.problems if p.name == name)

    def settings(self) -> Settings:
        return Settings.model_validate(self.params)

    @property
    def shuffled(self) -> str:
        return f"{self.shuffled_from}-shuffled"

    def run_names(self) -> list[str]:
        return [*(p.name for p in self.problems), self.shuffled, *self.bbob]

    def seeds_for(self, name: str, arm: Arm) -> int:
        """An arm's paired seeds on a run: the scale's (GP's fewer), unless a control's
        pre-registered power says otherwise."""
        overrides = self.seed_overrides.get(name, {})
        if arm.name in overrides:
            return overrides[arm.name]
        seeds = overrides.get("*", self.seeds)
        return min(seeds, overrides.get("gp", self.gp_seeds)) if arm.sampler == "gp" else seeds


# the controls' seeds, as pre-registered before the second run (tuners/README.md, amendment)
POSITIVE_CONTROL_SEEDS = 500  # random, TPE and CMA-ES on every BBOB function
NEGATIVE_CONTROL_SEEDS = {"*": 200, "gp": 100}
FULL = Scale(
    HERE,
    PROBLEMS,
    tables.TABLE_PARAMS,
    100,
    30,
    CONTROLLER_SEEDS,
    CALIBRATION_SEEDS,
    {name: {"function": f} for name, f in BBOB.items()},
    "fgdi-mlp-group",
    CONTROLLER_PROBLEMS,
    tables.WORKERS,
    {
        SHUFFLED: NEGATIVE_CONTROL_SEEDS,
        **{
            name: {arm: POSITIVE_CONTROL_SEEDS for arm in ("random", "tpe", "cmaes")}
            for name in BBOB
        },
    },
)
SMOKE_PROBLEM = BenchmarkProblem(
    "synthetic-mlp-group", "synthetic", "group_classification", "mlp", 2, 4, space="compact"
)


def smoke_scale(out: Path) -> Scale:
    """The tests' tiny cohort and models (5 subjects per group), a tiny BBOB grid, few seeds."""
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import TINY_PARAMS

    params = {
        **TINY_PARAMS,
        "synthetic": {**TINY_PARAMS["synthetic"], "subjects_per_group": 5},
        "models": {**TINY_PARAMS["models"], "mlp": {"hidden": [64, 32], "batch_size": 8}},
    }
    bbob = {"bbob-f1": {"function": 1, "dimension": 2, "levels": 4, "trials": 5}}
    return Scale(
        out,
        (SMOKE_PROBLEM,),
        params,
        3,
        2,
        2,
        2,
        bbob,
        SMOKE_PROBLEM.name,
        (SMOKE_PROBLEM.name,),
        1,
        {
            f"{SMOKE_PROBLEM.name}-shuffled": {"*": 4, "gp": 3},
            "bbob-f1": {"random": 5, "tpe": 5, "cmaes": 5},
        },
    )


def problem_dataset(bench: BenchmarkProblem, scale: Scale):
    """(settings, dataset, tuning split, fold 0's test index) of a problem at `scale`."""
    return tables.problem_dataset(bench, scale.params)


def cmd_tabulate(name: str, scale: Scale) -> None:
    tables.tabulate(scale.problem(name), scale.params, scale.out, scale.workers)


# --- problems on tables ---------------------------------------------------------------------


def tabular_problem(name: str, scale: Scale) -> tuple[TabularProblem, bool, dict[str, Any]]:
    """(problem, classification?, the model's base settings) for a run name."""
    from gaitops.tuning.benchmark.controls import bbob_problem

    if name in scale.bbob:
        return bbob_problem(**scale.bbob[name]), False, {}
    source = scale.shuffled_from if name == scale.shuffled else name
    bench = scale.problem(source)
    frame = pd.read_csv(scale.out / "tables" / f"{source}.csv")
    problem = TabularProblem.from_frame(source, frame, bench.search_space(), bench.trials)
    if name == scale.shuffled:  # and each run seed permutes it afresh (_run_arm_job)
        problem = problem.shuffled(seed=0)
    base = bench.base_settings(scale.settings()).model_dump()
    return problem, bench.task_spec.is_classification, base


def _run_arm_job(job: tuple[Scale, str, Any, int, float]) -> list[dict[str, Any]]:
    """One arm's seeds (a worker process's job)."""
    import torch

    torch.set_num_threads(1)
    from gaitops.tuning.benchmark.experiment import agent_for, paper_actions
    from gaitops.tuning.benchmark.simulate import run_arm

    scale, name, arm, seeds, exploration = job
    problem, classification, base = tabular_problem(name, scale)
    agent, weight = agent_for(problem, classification)
    space = paper_actions(problem.space, arm.sampler, base) if arm.actions == "paper" else None
    shuffled = problem.kind == "negative_control"
    return [
        asdict(
            run_arm(
                problem.permuted(seed) if shuffled else problem,
                arm,
                seed,
                agent,
                weight,
                sampler_space=space,
                exploration=exploration,
            )
        )
        for seed in range(seeds)
    ]


def cmd_run(name: str, scale: Scale, exploration: float | None = None) -> None:
    """Every arm of a problem, its seeds in parallel over arms; runs/NAME.json."""
    from gaitops.tuning.benchmark.experiment import ProblemRuns, arms_for
    from gaitops.tuning.benchmark.simulate import Run

    if exploration is None:
        exploration = json.loads((scale.out / "steelman.json").read_text())["exploration"]
    problem, _, _ = tabular_problem(name, scale)
    began = time.perf_counter()
    jobs = [
        (scale, name, arm, scale.seeds_for(name, arm), exploration) for arm in arms_for(problem)
    ]
    if scale.workers > 1:
        with ProcessPoolExecutor(scale.workers) as pool:
            results = list(pool.map(_run_arm_job, jobs))
    else:
        results = [_run_arm_job(job) for job in jobs]
    runs = [Run(**r) for result in results for r in result]
    stored = ProblemRuns(name, runs).as_json()
    stored["seconds"] = time.perf_counter() - began
    write_json(scale.out / "runs" / f"{name}.json", stored)
    print(f"{name}: {len(jobs)} arms, {len(runs)} runs in {stored['seconds']:.0f} s", flush=True)


def cmd_calibrate(scale: Scale) -> None:
    """LinUCB's exploration: the value with the lowest mean regret summed over the BBOB controls
    (never a gait table); steelman.json."""
    from gaitops.tuning.benchmark.experiment import agent_for
    from gaitops.tuning.benchmark.simulate import Arm, run_arm

    began = time.perf_counter()
    rows = []
    for exploration in LINUCB_EXPLORATIONS:
        for name in scale.bbob:
            problem, classification, _ = tabular_problem(name, scale)
            agent, weight = agent_for(problem, classification)
            regrets = [
                problem.regret(
                    run_arm(
                        problem, Arm("linucb"), seed, agent, weight, exploration=exploration
                    ).best[-1]
                )
                for seed in range(1000, 1000 + scale.calibration_seeds)  # not the run seeds
            ]
            rows.append(
                {"exploration": exploration, "problem": name, "regret": float(np.mean(regrets))}
            )
    frame = pd.DataFrame(rows)
    totals = frame.groupby("exploration")["regret"].sum()
    chosen = float(totals.idxmin())
    write_json(
        scale.out / "steelman.json",
        {
            "exploration": chosen,
            "sweep": rows,
            "seeds": scale.calibration_seeds,
            "rule": "lowest sum over the BBOB controls of mean regret (seeds 1000+)",
            "seconds": time.perf_counter() - began,
        },
    )
    print(f"linucb exploration {chosen} (sum of mean regrets {totals.min():.3f})")


# --- controller mode ------------------------------------------------------------------------


def controller_problem(name: str, scale: Scale):
    from gaitops.tuning.benchmark.controller_runs import ControllerProblem
    from gaitops.tuning.mutual_information import information_probe
    from gaitops.tuning.space import search_space

    bench = scale.problem(name)
    settings, data, split, test_index = problem_dataset(bench, scale)
    base = bench.base_settings(settings)
    if bench.model == "sdnn":
        actions = [dict(t) for t in search_space("paper", "sdnn", "mim").tuples or ()]
    else:  # five learning rates around the default, the default's dropout
        actions = [{"learning_rate": base.learning_rate * f} for f in (0.1, 0.3, 1.0, 3.0, 10.0)]
    x_val, y_val = data.x[split.validation_index], data.y[split.validation_index]
    task = bench.task_spec
    return ControllerProblem(
        name,
        data,
        task,
        split,
        test_index,
        bench.model,
        base,
        bench.epochs_per_trial,
        actions,
        best_static(name, bench, base, scale),
        information_probe(x_val, y_val, task.is_classification),
    )


def best_static(name: str, bench: BenchmarkProblem, base: Any, scale: Scale) -> dict[str, Any]:
    """The best constant learning rate / dropout / survival for the default structure, from the
    table (mean best-epoch loss over training seeds)."""
    from gaitops.tuning.controller import ADJUSTABLE

    problem, _, _ = tabular_problem(name, scale)
    space = problem.space
    assert space.levels is not None
    defaults = base.model_dump()
    if bench.model == "mlp":
        defaults["width"] = defaults["hidden"][0]
    means = problem.values().mean(axis=1)
    candidates = []
    for index, action in enumerate(space.actions):
        values = space.values(action)
        structural = {k: v for k, v in values.items() if k not in ADJUSTABLE}
        if all(defaults.get(k) == v for k, v in structural.items()):
            candidates.append((means[index], {k: v for k, v in values.items() if k in ADJUSTABLE}))
    if not candidates:
        raise ValueError(f"{name}: no configuration of the table has the default structure")
    return min(candidates, key=lambda c: c[0])[1]


_CONTROLLER_SETUPS: dict[tuple[str, str], Any] = {}


def _controller_job(job: tuple[Scale, str, int, str]) -> dict[str, Any]:
    """One (seed, arm) of the controller experiment (a worker process's job; the problem is
    built once per process)."""
    import torch

    from gaitops.tuning.benchmark.controller_runs import run_controller_arm
    from gaitops.tuning.benchmark.experiment import agent_for

    torch.set_num_threads(1)
    scale, name, seed, arm = job
    key = (str(scale.out), name)
    if key not in _CONTROLLER_SETUPS:
        table_problem, classification, _ = tabular_problem(name, scale)
        _CONTROLLER_SETUPS[key] = (
            controller_problem(name, scale),
            *agent_for(table_problem, classification),
        )
    problem, agent, weight = _CONTROLLER_SETUPS[key]
    return asdict(run_controller_arm(problem, arm, seed, agent, weight))


def cmd_controller(name: str, scale: Scale) -> None:
    """Every controller arm x the paired training seeds, over `scale.workers` processes (one
    torch thread each); controller/NAME.csv and .json."""
    from gaitops.tuning.benchmark.controller_runs import CONTROLLER_ARMS

    began = time.perf_counter()
    jobs = [
        (scale, name, seed, arm)
        for seed in range(scale.controller_seeds)
        for arm in CONTROLLER_ARMS
    ]
    if scale.workers > 1:
        with ProcessPoolExecutor(scale.workers) as pool:
            rows = list(pool.map(_controller_job, jobs))
    else:
        rows = [_controller_job(job) for job in jobs]
    problem = controller_problem(name, scale)
    frame = pd.DataFrame(rows)
    out = scale.out / "controller" / f"{name}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False)
    write_json(
        out.with_suffix(".json"),
        {
            "best_static": problem.best_static,
            "actions": problem.actions,
            "seconds": time.perf_counter() - began,
            "workers": scale.workers,
        },
    )
    print(frame.groupby("arm")[["best_validation_loss", "test_metric"]].mean().round(4))


# --- pilot and report -----------------------------------------------------------------------


def cmd_pilot(scale: Scale) -> None:
    """About five minutes: each arm's seconds per run and the sd of paired regret differences
    against random on the first tabulated problem, sizing the seeds; pilot.json."""
    from gaitops.tuning.benchmark.experiment import FAMILY, agent_for, arms_for
    from gaitops.tuning.benchmark.simulate import run_arm
    from gaitops.tuning.benchmark.statistics import ALPHA, minimum_detectable_effect

    name = scale.problems[0].name
    problem, classification, _ = tabular_problem(name, scale)
    agent, weight = agent_for(problem, classification)
    pilot_seeds = max(2, min(10, scale.seeds))
    regrets, seconds = {}, {}
    for arm in arms_for(problem):
        if arm.actions != "grid":
            continue
        began = time.perf_counter()
        regrets[arm.name] = np.array(
            [
                problem.regret(run_arm(problem, arm, 500 + s, agent, weight).best[-1])
                for s in range(pilot_seeds)
            ]
        )
        seconds[arm.name] = (time.perf_counter() - began) / pilot_seeds
    sds = {
        a: float(np.std(r - regrets["random"], ddof=1)) for a, r in regrets.items() if a != "random"
    }
    sd = float(np.median(list(sds.values())))
    alpha = ALPHA / len(FAMILY)  # Holm's strictest step
    record = {
        "problem": name,
        "seeds": pilot_seeds,
        "seconds_per_run": seconds,
        "sd_of_paired_differences": sds,
        "median_sd": sd,
        "mde_at_100_seeds": minimum_detectable_effect(sd, 100, alpha),
        "mde_at_30_seeds": minimum_detectable_effect(sd, 30, alpha),
        "alpha": alpha,
    }
    write_json(scale.out / "pilot.json", record)
    print(json.dumps(record, indent=1))


def cmd_report(scale: Scale) -> None:
    from _tuners_report import report

    report(scale)


def smoke() -> None:
    """Every command in turn on the smoke problem and a tiny BBOB grid, in a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="gaitops-tuners-") as folder:
        scale = smoke_scale(Path(folder))
        name = SMOKE_PROBLEM.name
        cmd_tabulate(name, scale)
        cmd_pilot(scale)
        cmd_calibrate(scale)
        for run_name in scale.run_names():
            cmd_run(run_name, scale)
        cmd_controller(name, scale)
        cmd_report(scale)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = ["pilot", "tabulate", "calibrate", "run", "controller", "report"]
    parser.add_argument("command", nargs="?", choices=commands)
    parser.add_argument("problem", nargs="?", choices=FULL.run_names())
    parser.add_argument("--smoke", action="store_true", help="every command on a tiny problem")
    args = parser.parse_args(argv)
    if args.smoke:
        if args.command is not None:
            parser.error("--smoke runs every command itself: give no command")
        smoke()
        return
    if args.command is None:
        parser.error("give a command, or --smoke")
    if args.command in ("tabulate", "run", "controller") and not args.problem:
        parser.error(f"{args.command} needs a problem")
    if args.command == "tabulate":
        cmd_tabulate(args.problem, FULL)
    elif args.command == "run":
        cmd_run(args.problem, FULL)
    elif args.command == "controller":
        cmd_controller(args.problem, FULL)
    else:
        {"pilot": cmd_pilot, "calibrate": cmd_calibrate, "report": cmd_report}[args.command](FULL)


if __name__ == "__main__":
    main(sys.argv[1:])
