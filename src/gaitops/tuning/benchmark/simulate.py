"""One sampler run on a tabulated problem: an Optuna study whose trials look their results up,
epoch by epoch, so pruners can stop them early; the budget is counted in training epochs.

Common random numbers: the training seed a trial draws depends only on (run seed, trial
number), so every sampler meets the same noise in the same order.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass

import numpy as np
import optuna
from optuna.pruners import BasePruner, HyperbandPruner, MedianPruner, SuccessiveHalvingPruner
from optuna.samplers import BaseSampler
from optuna.trial import TrialState

from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.benchmark.tabular import TabularProblem
from gaitops.tuning.objective import suggest
from gaitops.tuning.rewards import RewardKind
from gaitops.tuning.samplers.linucb import LinUCBSampler
from gaitops.tuning.samplers.registry import get_sampler
from gaitops.tuning.space import SearchSpace

PRUNERS: dict[str, type[BasePruner] | None] = {
    "none": None,
    "hyperband": HyperbandPruner,
    "successive_halving": SuccessiveHalvingPruner,
    "median": MedianPruner,
}


@dataclass(frozen=True)
class Arm:
    """A sampler, optionally with a pruner, as one arm of the benchmark."""

    sampler: str
    pruner: str = "none"
    actions: str = "grid"  # grid | paper (the paper's five actions placed on the grid)

    @property
    def name(self) -> str:
        name = self.sampler if self.actions == "grid" else f"{self.sampler}_paper_actions"
        return name if self.pruner == "none" else f"{name}+{self.pruner}"


@dataclass(frozen=True)
class Run:
    """One run of one arm: the incumbent after each finished trial, against epochs spent."""

    arm: str
    seed: int
    epochs: list[int]  # cumulative epochs when each trial ended
    best: list[float]  # the best completed value by then (inf before the first)
    distinct: int  # distinct configurations evaluated
    trials: int
    sampler_seconds: float  # the sampler's own time (ask and tell), whole run

    def best_at(self, epochs: int) -> float:
        """The incumbent once `epochs` epochs were spent (inf before any completed trial)."""
        value = math.inf
        for spent, best in zip(self.epochs, self.best, strict=True):
            if spent > epochs:
                break
            value = best
        return value


def training_seed(seeds: int, run_seed: int, trial: int) -> int:
    """The tabulated training seed a trial draws: fixed by (run seed, trial number)."""
    return int(np.random.default_rng([run_seed, trial, 7919]).integers(seeds))


def make_pruner(name: str, epochs: int) -> BasePruner | None:
    kind = PRUNERS[name]
    if kind is None:
        return None
    if kind is HyperbandPruner:
        return HyperbandPruner(min_resource=1, max_resource=epochs, reduction_factor=3)
    if kind is SuccessiveHalvingPruner:
        return SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    return MedianPruner(n_startup_trials=5, n_warmup_steps=max(1, epochs // 5))


def run_arm(
    problem: TabularProblem,
    arm: Arm,
    seed: int,
    agent: AgentSettings,
    mim_weight: float,
    reward: RewardKind = "inverse_loss",
    sampler_space: SearchSpace | None = None,
    exploration: float | None = None,
) -> Run:
    """Trials until the budget's epochs are spent (a trial that would pass it is not started).
    `sampler_space`: the actions the sampler may take, when not the whole grid; `exploration`:
    LinUCB's, when not its default."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    space = problem.space
    if arm.sampler == "linucb" and exploration is not None:
        sampler: BaseSampler = LinUCBSampler(sampler_space or space, seed, exploration)
    else:
        descriptor = get_sampler(arm.sampler)
        options = descriptor.configured(agent=agent, reward=reward, weight=mim_weight)
        sampler = descriptor.make(sampler_space or space, options, seed)
    study = optuna.create_study(  # named: Hyperband's brackets hash the study's name
        study_name=f"{problem.name}-{arm.name}-{seed}",
        sampler=sampler,
        pruner=make_pruner(arm.pruner, problem.epochs),
        direction="minimize",
    )
    spent, best, choosing = 0, math.inf, 0.0
    epochs_log: list[int] = []
    best_log: list[float] = []
    seen: set[int] = set()
    while spent + (1 if arm.pruner != "none" else problem.epochs) <= problem.budget_epochs:
        began = time.perf_counter()
        trial = study.ask()
        params = {name: suggest(trial, name, d) for name, d in space.distributions.items()}
        choosing += time.perf_counter() - began
        configuration = space.action_of(params)
        assert configuration is not None, params
        seen.add(configuration)
        training = training_seed(problem.seeds, seed, trial.number)
        curve = problem.losses[configuration, training]
        ran, pruned = problem.epochs, False
        if arm.pruner != "none":
            for epoch in range(problem.epochs):
                if spent + epoch + 1 > problem.budget_epochs:
                    ran, pruned = epoch, True
                    break
                loss = float(curve[epoch])
                trial.report(loss if math.isfinite(loss) else 1e12, epoch)
                if trial.should_prune():
                    ran, pruned = epoch + 1, True
                    break
        spent += ran
        began = time.perf_counter()
        if pruned:
            study.tell(trial, state=TrialState.PRUNED)
        else:
            value = problem.value(configuration, training)
            chosen_epoch = problem.best_epoch(configuration, training)
            trial.set_user_attr("validation_loss", value)
            trial.set_user_attr(
                "mutual_information",
                float(problem.information[configuration, training, chosen_epoch]),
            )
            trial.set_user_attr("epochs", problem.epochs)
            study.tell(trial, value)
            best = min(best, value)
        choosing += time.perf_counter() - began
        epochs_log.append(spent)
        best_log.append(best)
    return Run(arm.name, seed, epochs_log, best_log, len(seen), len(epochs_log), choosing)
