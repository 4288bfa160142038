"""Every sampler a study can use, by name (``tune.sampler``): the paper's two and Optuna's."""

from __future__ import annotations

from collections.abc import Callable

from optuna.samplers import BaseSampler, GridSampler, RandomSampler, TPESampler

from gaitops.errors import ConfigError
from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.rewards import RewardKind
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
    grid = {name: list(d.choices) for name, d in space.distributions.items()}  # type: ignore[attr-defined]
    return GridSampler(grid, seed=seed)


SAMPLERS: dict[str, SamplerFactory] = {
    "qlearning": lambda space, agent, seed, reward, weight: QLearningSampler(
        space, agent, seed, reward
    ),
    "mim": lambda space, agent, seed, reward, weight: MIMSampler(
        space, agent, seed, reward, weight
    ),
    "tpe": lambda space, agent, seed, reward, weight: TPESampler(seed=seed),
    "random": lambda space, agent, seed, reward, weight: RandomSampler(seed=seed),
    "grid": _grid,
}
