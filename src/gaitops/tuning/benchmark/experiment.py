"""Which arms run on a problem, with how many seeds, and their regrets.

The arms: random, grid (without replacement), QMC (scrambled Sobol), TPE, multivariate TPE,
GP, CMA-ES with margin, the paper's Q-learning and MIM (on the whole grid; on the SDNN also on
the paper's own five actions), the steel-manned LinUCB bandit, and three pruned arms with
epochs as the budget (TPE + Hyperband, random + successive halving, TPE + median).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.benchmark.simulate import Arm, Run, run_arm
from gaitops.tuning.benchmark.tabular import TabularProblem
from gaitops.tuning.presets import PAPER_AGENT, PAPER_MIM_WEIGHT
from gaitops.tuning.space import SearchSpace, search_space

SEEDS = 100
GP_SEEDS = 30  # GP costs seconds per trial
STUDY_ARMS = (
    "random",
    "grid",
    "qmc",
    "tpe",
    "tpe_multivariate",
    "gp",
    "cmaes",
    "qlearning",
    "mim",
    "linucb",
)
PRUNED_ARMS = (("tpe", "hyperband"), ("random", "successive_halving"), ("tpe", "median"))
# the pre-registered Holm family per problem: each against random search, one-sided
FAMILY = ("qlearning", "mim", "linucb", "tpe", "tpe_multivariate", "gp", "cmaes", "qmc")


def arms_for(problem: TabularProblem) -> list[Arm]:
    arms = [Arm(name) for name in STUDY_ARMS]
    if problem.epochs > 1:
        arms += [Arm(sampler, pruner) for sampler, pruner in PRUNED_ARMS]
    if problem.space.model == "sdnn" and problem.space.levels is not None:
        arms += [Arm("qlearning", actions="paper"), Arm("mim", actions="paper")]
    return arms


def seeds_for(arm: Arm, seeds: int = SEEDS, gp_seeds: int = GP_SEEDS) -> int:
    return min(seeds, gp_seeds) if arm.sampler == "gp" else seeds


def paper_actions(grid: SearchSpace, sampler: str, base: dict[str, Any]) -> SearchSpace:
    """The paper's five actions for `sampler` (Q-learning: paper_zip, MIM: paper_tuples), placed
    on the grid (a parameter an action leaves alone keeps the base value's level)."""
    assert grid.levels is not None
    paper = search_space("paper", grid.model, sampler)
    assert paper.tuples is not None
    actions = []
    for values in paper.tuples:
        full = {**{k: base[k] for k in grid.levels}, **values}
        actions.append({k: grid.levels[k].index(full[k]) for k in grid.levels})
    return SearchSpace(f"{paper.name}_on_grid", grid.model, grid.distributions, tuple(actions))


def agent_for(problem: TabularProblem, classification: bool) -> tuple[AgentSettings, float]:
    """The paper's agent and MIM weight for the problem's objective (controls: regression's)."""
    objective = "classification" if classification else "regression"
    return PAPER_AGENT[objective], PAPER_MIM_WEIGHT[objective]


@dataclass(frozen=True)
class ProblemRuns:
    problem: str
    runs: list[Run]

    def by_arm(self) -> dict[str, list[Run]]:
        out: dict[str, list[Run]] = {}
        for run in self.runs:
            out.setdefault(run.arm, []).append(run)
        return out

    def as_json(self) -> dict[str, Any]:
        return {"problem": self.problem, "runs": [asdict(r) for r in self.runs]}

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> ProblemRuns:
        return cls(stored["problem"], [Run(**r) for r in stored["runs"]])


def run_problem(
    problem: TabularProblem,
    classification: bool,
    base: dict[str, Any],
    seeds: int = SEEDS,
    gp_seeds: int = GP_SEEDS,
    progress: Callable[[str], None] = lambda _: None,
) -> ProblemRuns:
    """Every arm of the problem for its seeds (seed k of every arm shares its noise)."""
    agent, weight = agent_for(problem, classification)
    runs: list[Run] = []
    for arm in arms_for(problem):
        space = paper_actions(problem.space, arm.sampler, base) if arm.actions == "paper" else None
        for seed in range(seeds_for(arm, seeds, gp_seeds)):
            runs.append(run_arm(problem, arm, seed, agent, weight, sampler_space=space))
        progress(f"{problem.name}: {arm.name} done")
    return ProblemRuns(problem.name, runs)


def regrets_at(problem: TabularProblem, runs: list[Run], epochs: int) -> np.ndarray:
    """Each run's normalised regret once `epochs` epochs were spent (seed order)."""
    ordered = sorted(runs, key=lambda r: r.seed)
    trials = max(1, epochs // problem.epochs)
    return np.array([problem.regret(r.best_at(epochs), trials) for r in ordered])


def anytime(problem: TabularProblem, runs: list[Run], points: int = 20) -> dict[str, list[float]]:
    """Mean normalised regret (against random's expectation at each budget) on a grid of
    epoch budgets, from one trial's epochs to the whole budget."""
    grid = np.unique(np.linspace(problem.epochs, problem.budget_epochs, points).astype(int))
    grid = grid[grid >= problem.epochs]
    means = [float(np.mean(regrets_at(problem, runs, int(e)))) for e in grid]
    return {"epochs": [int(e) for e in grid], "regret": means}


def with_trials(problem: TabularProblem, trials: int) -> TabularProblem:
    return replace(problem, trials=trials)
