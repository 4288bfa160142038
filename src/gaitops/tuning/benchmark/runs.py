"""Sampler runs: study mode on a tabulated space (and live, to check the table), controller mode
live; each gives a best-so-far trajectory against training epochs spent."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import optuna

from gaitops.models.objective import configure, evaluate_configuration
from gaitops.tuning.agent import AgentSettings, QAgent
from gaitops.tuning.benchmark.problems import with_seed
from gaitops.tuning.benchmark.table import Table
from gaitops.tuning.controller import QController
from gaitops.tuning.objective import TrialOutcome, TrialRunner, record, suggest
from gaitops.tuning.samplers.registry import SAMPLERS
from gaitops.tuning.space import SearchSpace


@dataclass(frozen=True)
class Trajectory:
    """One run of one sampler: the value after each step and the epochs spent by then."""

    sampler: str
    seed: int
    mode: str  # "study" or "controller"
    epochs: list[int]
    values: list[float]
    sampler_seconds: float  # the sampler's own time (choosing), all steps
    wall_seconds: float

    @property
    def best_so_far(self) -> list[float]:
        return list(np.maximum.accumulate(self.values))


def training_seed(table_seeds: list[int], sampler_seed: int, trial: int) -> int:
    """Which tabulated training seed a trial draws: fixed by (sampler seed, trial number)."""
    rng = np.random.default_rng([sampler_seed, trial, 7919])
    return int(table_seeds[rng.integers(len(table_seeds))])


def study_on_table(
    sampler_name: str,
    space: SearchSpace,
    table: Table,
    agent: AgentSettings,
    mim_weight: float,
    seed: int,
    trials: int,
    epochs_per_trial: int,
) -> Trajectory:
    """A study whose objective looks each configuration up in the table."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = SAMPLERS[sampler_name](space, agent, seed, "inverse_loss", mim_weight)
    study = optuna.create_study(sampler=sampler, direction="maximize")
    values, choosing, start = [], 0.0, time.perf_counter()
    for _ in range(trials):
        began = time.perf_counter()
        trial = study.ask()
        params = {name: suggest(trial, name, d) for name, d in space.distributions.items()}
        choosing += time.perf_counter() - began
        configuration = space.action_of(params)
        assert configuration is not None
        outcome = table.outcome(
            configuration, training_seed(table.seeds, seed, trial.number), epochs_per_trial
        )
        began = time.perf_counter()
        study.tell(trial, record(trial, outcome))
        choosing += time.perf_counter() - began
        values.append(outcome.value)
    epochs = [epochs_per_trial * (i + 1) for i in range(trials)]
    return Trajectory(
        sampler_name, seed, "study", epochs, values, choosing, time.perf_counter() - start
    )


def live_study(
    sampler_name: str,
    runner: TrialRunner,
    table: Table,
    agent: AgentSettings,
    mim_weight: float,
    seed: int,
    trials: int,
) -> tuple[Trajectory, list[tuple[float, float]]]:
    """The same study as `study_on_table`, training every trial for real; also returns (live,
    tabulated) value pairs."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = SAMPLERS[sampler_name](runner.space, agent, seed, "inverse_loss", mim_weight)
    study = optuna.create_study(sampler=sampler, direction="maximize")
    values, pairs, choosing, start = [], [], 0.0, time.perf_counter()
    for _ in range(trials):
        began = time.perf_counter()
        trial = study.ask()
        params = {name: suggest(trial, name, d) for name, d in runner.space.distributions.items()}
        choosing += time.perf_counter() - began
        train_seed = training_seed(table.seeds, seed, trial.number)
        live_runner = replace(runner, split=with_seed(runner.split, train_seed))
        outcome: TrialOutcome = live_runner.run(params)
        tabulated = table.outcome(runner.space.action_of(params), train_seed, runner.epochs)
        pairs.append((outcome.value, tabulated.value))
        study.tell(trial, record(trial, outcome))
        values.append(outcome.value)
    epochs = [runner.epochs * (i + 1) for i in range(trials)]
    return Trajectory(
        sampler_name, seed, "study-live", epochs, values, choosing, time.perf_counter() - start
    ), pairs


def controller_run(
    sampler_name: str,
    runner: TrialRunner,
    agent: AgentSettings,
    mim_weight: float,
    seed: int,
    budget_epochs: int,
    information: Callable[[Any], float] | None = None,
) -> Trajectory:
    """The paper's mode, live: one training run of `budget_epochs` epochs whose epochs are the
    agent's steps; the value after each epoch is the headline metric at the best epoch so far."""
    space = runner.space
    controller = QController(
        QAgent(len(space.actions), agent, seed),
        [space.decode(a) for a in space.actions],
        "inverse_loss",
        information if sampler_name == "mim" else None,
        mim_weight if sampler_name == "mim" else 0.0,
    )
    start = time.perf_counter()
    settings = configure(
        runner.base, {**space.decode(space.actions[0]), "max_epochs": budget_epochs}
    )
    fitted = evaluate_configuration(
        runner.data,
        runner.task,
        with_seed(runner.split, seed),
        runner.architecture,
        settings,
        [controller],
    )
    values, best_loss, best_value = [], float("inf"), float("nan")
    for record_ in fitted.history:
        loss = record_.validation_loss
        if loss is not None and loss < best_loss:
            best_loss, best_value = loss, record_.validation_metric
        values.append(best_value if np.isfinite(best_value) else record_.validation_metric)
    return Trajectory(
        sampler_name,
        seed,
        "controller",
        [r.epoch + 1 for r in fitted.history],
        values,
        0.0,
        time.perf_counter() - start,
    )
