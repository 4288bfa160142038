"""Tabulating a tuner-benchmark problem: every configuration x training seed, every epoch, in
shard processes that resume from their parts, then a live check against real training.

  python benchmarks/_tuners_tables.py PROBLEM            # tabulate (two processes, resumable)
  python benchmarks/_tuners_tables.py PROBLEM --check 6  # only retrain 6 runs and compare

Its own file so that the tables (hours of training) depend on this code alone, not on how the
samplers are run or reported (tuners.py). Uses $GAITOPS_DATA_DIR/fgdi (hash-checked).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent / "tuners"

from gaitops.config import Settings  # noqa: E402
from gaitops.io import write_json  # noqa: E402
from gaitops.tuning.benchmark.problems import (  # noqa: E402
    PROBLEMS,
    BenchmarkProblem,
    load_table,
    problem,
    problem_data,
)

TABLE_PARAMS: dict[str, Any] = {"data": {"fallback": None}}  # the real cohort or nothing
WORKERS = 2
LIVE_CHECKS = 2


def problem_dataset(bench: BenchmarkProblem, params: dict[str, Any]):
    """(settings, dataset, tuning split, fold 0's test index) of a problem."""
    from gaitops.data.fetch import data_dir_from_env
    from gaitops.evaluation.protocol import plan_folds

    settings = Settings.model_validate(params)
    table = None
    if bench.source != "digits":
        data_dir = data_dir_from_env() if bench.source == "fgdi" else None
        table = load_table(bench.source, settings, data_dir)
    data, split = problem_data(bench, table)
    train = settings.train.model_copy(update={"task": bench.task, "model": bench.model})
    test_index = plan_folds(data, train)[0].test_index
    return settings, data, split, test_index


def tabulate_shard(
    bench: BenchmarkProblem, params: dict[str, Any], out: Path, shard: int, shards: int
) -> None:
    """Train this shard's configurations not yet in out/parts/PROBLEM."""
    from gaitops.tuning.benchmark.table import shard_configurations, tabulate_into

    settings, data, split, _ = problem_dataset(bench, params)
    space = bench.search_space()
    trained = tabulate_into(
        out / "parts" / bench.name,
        data,
        bench.task_spec,
        split,
        bench.model,
        bench.base_settings(settings),
        space,
        bench.epochs_per_trial,
        list(range(bench.training_seeds)),
        shard_configurations(len(space.actions), shard, shards),
    )
    print(f"{bench.name} shard {shard}/{shards}: {trained} configurations trained", flush=True)


def tabulate(bench: BenchmarkProblem, params: dict[str, Any], out: Path, workers: int) -> None:
    """Tabulate in `workers` processes (one torch thread each), merge, live-check, write
    out/tables/PROBLEM.csv and .json."""
    from gaitops.tuning.benchmark.table import merge_folder

    began = time.perf_counter()
    if workers > 1:
        shards = [
            subprocess.Popen(
                [sys.executable, __file__, bench.name, f"--shard={k}/{workers}"],
                env={**os.environ, "OMP_NUM_THREADS": "1"},
            )
            for k in range(workers)
        ]
        codes = [s.wait() for s in shards]
        if any(codes):
            raise SystemExit(
                f"tabulate {bench.name}: a shard failed ({codes}); run again to resume"
            )
    else:
        tabulate_shard(bench, params, out, 0, 1)
    total = len(bench.search_space().actions)
    frame = merge_folder(out / "parts" / bench.name, total)
    seconds = time.perf_counter() - began
    identical, checked = live_check(bench, params, frame, LIVE_CHECKS)
    target = out / "tables" / f"{bench.name}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(target, index=False)
    write_json(
        out / "tables" / f"{bench.name}.json",
        {
            "configurations": total,
            "rows": len(frame),
            "seconds": seconds,
            "training_seconds": float(
                frame.groupby(["configuration", "training_seed"])["seconds"].sum().sum()
            ),
            "live_check": {"identical": identical, "checked": checked},
        },
    )
    print(f"{bench.name}: {len(frame)} rows ({total} configurations)")
    print(f"{bench.name}: live check: {identical} of {checked} retrained runs match exactly")


def live_check(
    bench: BenchmarkProblem, params: dict[str, Any], frame: pd.DataFrame, runs: int
) -> tuple[int, int]:
    """Retrain `runs` (configuration, training seed) runs of the table for real, on one torch
    thread as the shards trained: their epoch losses must equal the table's (training is
    deterministic), or the table is not the truth."""
    import torch

    from gaitops.tuning.benchmark.table import tabulate as tabulate_runs

    torch.set_num_threads(1)
    settings, data, split, _ = problem_dataset(bench, params)
    space = bench.search_space()
    rng = np.random.default_rng(len(frame) + runs)
    chosen = sorted(rng.choice(len(space.actions), runs, replace=False).tolist())
    identical = 0
    for configuration in chosen:
        seed = int(rng.integers(bench.training_seeds))
        again = tabulate_runs(
            data,
            bench.task_spec,
            split,
            bench.model,
            bench.base_settings(settings),
            space,
            bench.epochs_per_trial,
            [seed],
            [configuration],
        )
        stored = frame[(frame["configuration"] == configuration) & (frame["training_seed"] == seed)]
        identical += bool(
            np.array_equal(
                stored.sort_values("epoch")["validation_loss"].to_numpy(),
                again["validation_loss"].to_numpy(),
            )
        )
    return identical, len(chosen)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("problem", choices=[p.name for p in PROBLEMS])
    parser.add_argument("--shard", help="K/N: train one shard in this process")
    parser.add_argument("--check", type=int, help="only live-check this many runs of the table")
    args = parser.parse_args(argv)
    bench = problem(args.problem)
    if args.shard:
        import torch

        torch.set_num_threads(1)
        shard, shards = (int(v) for v in args.shard.split("/"))
        tabulate_shard(bench, TABLE_PARAMS, HERE, shard, shards)
    elif args.check:
        frame = pd.read_csv(HERE / "tables" / f"{bench.name}.csv")
        identical, checked = live_check(bench, TABLE_PARAMS, frame, args.check)
        print(f"{bench.name}: live check: {identical} of {checked} retrained runs match exactly")
        if identical != checked:
            raise SystemExit(1)
    else:
        tabulate(bench, TABLE_PARAMS, HERE, WORKERS)


if __name__ == "__main__":
    main(sys.argv[1:])
