"""Every sampler a study can use, by name (``tune.sampler``): the paper's two (MIM also with
the tabular agent), the benchmark's steel-manned bandit, and Optuna's."""

from __future__ import annotations

from collections.abc import Callable

from optuna.samplers import (
    BaseSampler,
    CmaEsSampler,
    GPSampler,
    GridSampler,
    QMCSampler,
    RandomSampler,
    TPESampler,
)

from gaitops.errors import ConfigError
from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.rewards import RewardKind
from gaitops.tuning.samplers.linucb import LinUCBSampler
from gaitops.tuning.samplers.mim import MIMSampler
from gaitops.tuning.samplers.qlearning import QLearningSampler
from gaitops.tuning.space import SearchSpace

# (space, agent, seed, reward, MIM weight) -> sampler
SamplerFactory = Callable[[SearchSpace, AgentSettings, int, RewardKind, float], BaseSampler]


def _grid(
    space: SearchSpace, agent: AgentSettings, seed: int, reward: RewardKind, weight: float
) -> BaseSampler:
    if not space.finite:
        raise ConfigError(f"tune.sampler: grid needs a finite space; {space.name!r} is continuous")
    return GridSampler(space.grid(), seed=seed)


def _linucb(
    space: SearchSpace, agent: AgentSettings, seed: int, reward: RewardKind, weight: float
) -> BaseSampler:
    if not space.finite:
        raise ConfigError(
            f"tune.sampler: linucb needs a finite space; {space.name!r} is continuous"
        )
    return LinUCBSampler(space, seed)


SAMPLERS: dict[str, SamplerFactory] = {
    "qlearning": lambda space, agent, seed, reward, weight: QLearningSampler(
        space, agent, seed, reward
    ),
    "mim": lambda space, agent, seed, reward, weight: MIMSampler(
        space, agent, seed, reward, weight, "network"
    ),
    "mim_table": lambda space, agent, seed, reward, weight: MIMSampler(
        space, agent, seed, reward, weight, "table"
    ),
    "linucb": _linucb,
    # independent TPE, each parameter on its own (Optuna 5's default is the multivariate one)
    "tpe": lambda space, agent, seed, reward, weight: TPESampler(seed=seed, multivariate=False),
    "tpe_multivariate": lambda space, agent, seed, reward, weight: TPESampler(
        seed=seed, multivariate=True
    ),
    "gp": lambda space, agent, seed, reward, weight: GPSampler(seed=seed),
    "cmaes": lambda space, agent, seed, reward, weight: CmaEsSampler(
        seed=seed, with_margin=True, warn_independent_sampling=False
    ),
    "qmc": lambda space, agent, seed, reward, weight: QMCSampler(
        qmc_type="sobol", scramble=True, seed=seed, warn_independent_sampling=False
    ),
    "random": lambda space, agent, seed, reward, weight: RandomSampler(seed=seed),
    "grid": _grid,
}
