"""Study-mode trials in parallel: two worker processes sharing one Optuna study through
PostgreSQL (`tune.storage: postgresql+psycopg2://...`), against one process running the same
trials on the same storage.

Prints the wall time of each and the ratio (one worker / two workers), both measured in this
run, on the fgdi-resnet1d-group problem of the tuner benchmark (compact space, TPE). Each
worker uses one torch thread; the single worker is timed with one and with two threads. The
PostgreSQL server is a private cluster on 127.0.0.1 started here (`make postgres` installs
PostgreSQL), as the tests start it.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the tests' private PostgreSQL cluster

from helpers.postgres import private_cluster  # noqa: E402

TRIALS = 16
EPOCHS = 20
PROBLEM = "fgdi-resnet1d-group"


def _worker(storage: str, study_name: str, trials: int, seed: int, threads: int) -> None:
    import optuna
    import torch

    from gaitops.config import Settings
    from gaitops.data.fetch import data_dir_from_env
    from gaitops.tuning.agent import AgentSettings
    from gaitops.tuning.benchmark.problems import load_table, problem, problem_data
    from gaitops.tuning.objective import TrialRunner
    from gaitops.tuning.samplers.registry import SAMPLERS

    torch.set_num_threads(threads)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    bench = problem(PROBLEM)
    settings = Settings.model_validate({"data": {"fallback": None}})
    data, split = problem_data(bench, load_table(bench.source, settings, data_dir_from_env()))
    space = bench.search_space()
    runner = TrialRunner(
        data, bench.task_spec, split, bench.model, bench.base_settings(settings), EPOCHS, space
    )
    sampler = SAMPLERS["tpe"](space, AgentSettings(), seed, "inverse_loss", 0.0)
    study = optuna.load_study(study_name=study_name, storage=storage, sampler=sampler)
    study.optimize(runner, n_trials=trials)


def _timed(storage: str, name: str, workers: int, threads: int) -> float:
    import optuna

    optuna.create_study(study_name=name, storage=storage, direction="maximize")
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker, args=(storage, name, TRIALS // workers, seed, threads))
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
    assert len(optuna.load_study(study_name=name, storage=storage).trials) == TRIALS
    return elapsed


def main() -> None:
    with private_cluster() as cluster:
        storage = cluster.create_database("trials")
        one_two_threads = _timed(storage, "one-worker-2-threads", 1, 2)
        one = _timed(storage, "one-worker", 1, 1)
        two = _timed(storage, "two-workers", 2, 1)
    print(f"{TRIALS} trials of {PROBLEM} ({EPOCHS} epochs each), TPE, PostgreSQL storage")
    print(f"one worker, 2 torch threads: {one_two_threads:.1f} s")
    print(f"one worker, 1 torch thread:  {one:.1f} s")
    print(f"two workers, 1 thread each:  {two:.1f} s")
    print(f"speed-up (one worker 1 thread / two workers): {one / two:.2f}")
    print(f"speed-up (one worker 2 threads / two workers): {one_two_threads / two:.2f}")


if __name__ == "__main__":
    main()
