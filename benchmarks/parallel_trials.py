"""Study-mode trials in parallel: two worker processes sharing one Optuna study through
PostgreSQL (`tune.storage: postgresql+psycopg2://...`), against one process running the same
trials on the same storage.

Prints the wall time of each and the ratio (one worker / two workers), both measured in this
run, on the fgdi-resnet1d-group problem of the tuner benchmark (its 324-configuration grid, TPE). Each
worker uses one torch thread; the single worker is timed with one and with two threads. The
PostgreSQL server is a private cluster on 127.0.0.1 started here (`make postgres` installs
PostgreSQL), as the tests start it.

    python benchmarks/parallel_trials.py           # 16 trials of 20 epochs on fgdi
    python benchmarks/parallel_trials.py --smoke   # 2 trials of 1 epoch on the tuner benchmark's
                                                   # tiny synthetic problem (a minute)
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the tests' private PostgreSQL cluster

from helpers.postgres import private_cluster  # noqa: E402
from tuners import FULL, SMOKE_PROBLEM, Scale, problem_dataset, smoke_scale  # noqa: E402

TRIALS = 16
EPOCHS = 20
PROBLEM = "fgdi-resnet1d-group"


@dataclass(frozen=True)
class Run:
    """The trials every timing runs: how many, of how many epochs, of which problem."""

    trials: int
    epochs: int
    problem: str
    scale: Scale  # the problem's settings


FULL_RUN = Run(TRIALS, EPOCHS, PROBLEM, FULL)
SMOKE_RUN = Run(2, 1, SMOKE_PROBLEM.name, smoke_scale(ROOT / "benchmarks" / "tuners"))


def _worker(storage: str, study_name: str, trials: int, seed: int, threads: int, run: Run) -> None:
    import optuna
    import torch

    from gaitops.tuning.objective import TuningProblem
    from gaitops.tuning.samplers.registry import SAMPLERS, NoOptions

    torch.set_num_threads(threads)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    bench = run.scale.problem(run.problem)
    settings, data, split, _ = problem_dataset(bench, run.scale)
    space = bench.search_space()
    runner = TuningProblem(
        data, bench.task_spec, split, bench.model, bench.base_settings(settings), run.epochs, space
    )
    sampler = SAMPLERS["tpe"].make(space, NoOptions(), seed)
    study = optuna.load_study(study_name=study_name, storage=storage, sampler=sampler)
    study.optimize(runner, n_trials=trials)


def _timed(storage: str, name: str, workers: int, threads: int, run: Run) -> float:
    import optuna

    optuna.create_study(study_name=name, storage=storage, direction="maximize")
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(
            target=_worker, args=(storage, name, run.trials // workers, seed, threads, run)
        )
        for seed in range(workers)
    ]
    start = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
        if process.exitcode != 0:
            sys.exit(f"worker failed with exit code {process.exitcode}")
    elapsed = time.perf_counter() - start
    assert len(optuna.load_study(study_name=name, storage=storage).trials) == run.trials
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="2 trials of a tiny problem")
    run = SMOKE_RUN if parser.parse_args().smoke else FULL_RUN
    with private_cluster() as cluster:
        storage = cluster.create_database("trials")
        one_two_threads = _timed(storage, "one-worker-2-threads", 1, 2, run)
        one = _timed(storage, "one-worker", 1, 1, run)
        two = _timed(storage, "two-workers", 2, 1, run)
    print(
        f"{run.trials} trials of {run.problem} ({run.epochs} epochs each), TPE, PostgreSQL storage"
    )
    print(f"one worker, 2 torch threads: {one_two_threads:.1f} s")
    print(f"one worker, 1 torch thread:  {one:.1f} s")
    print(f"two workers, 1 thread each:  {two:.1f} s")
    print(f"speed-up (one worker 1 thread / two workers): {one / two:.2f}")
    print(f"speed-up (one worker 2 threads / two workers): {one_two_threads / two:.2f}")


if __name__ == "__main__":
    main()
