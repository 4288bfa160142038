"""Every sampler a study can use, by name (``tune.sampler``), as a descriptor: the paper's two
(MIM also with the tabular agent), the benchmark's steel-manned bandit, and Optuna's. Adding a
sampler is its module in gaitops/tuning/samplers/ (none for one of Optuna's) plus one descriptor
here.

The name is checked here, when the tune stage or ``gaitops run`` starts, not when params.yaml is
read (which every stage does: a registry read there would make every stage depend on it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

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


@dataclass(frozen=True)
class SamplerDescriptor:
    name: str
    description: str
    family: Literal["paper", "bandit", "optuna"]
    build: SamplerFactory
    finite_only: bool = False  # proposes from a finite space only (a grid of configurations)
    controller: bool = False  # also steers one training run epoch by epoch (tune.mode controller)
    mutual_information: bool = False  # its reward adds the units' information (tune.mim_weight)

    def make(
        self,
        space: SearchSpace,
        agent: AgentSettings,
        seed: int,
        reward: RewardKind,
        weight: float,
    ) -> BaseSampler:
        """The sampler for `space`; a ConfigError when it needs a finite space and `space` is not."""
        if self.finite_only and not space.finite:
            raise ConfigError(
                f"tune.sampler: {self.name} needs a finite space; {space.name!r} is continuous"
            )
        return self.build(space, agent, seed, reward, weight)


SAMPLERS: dict[str, SamplerDescriptor] = {
    d.name: d
    for d in (
        SamplerDescriptor(
            "qlearning",
            "the source paper's Q-learning tuner",
            "paper",
            lambda space, agent, seed, reward, weight: QLearningSampler(space, agent, seed, reward),
            controller=True,
        ),
        SamplerDescriptor(
            "mim",
            "the source paper's mutual-information-maximisation tuner (network agent)",
            "paper",
            lambda space, agent, seed, reward, weight: MIMSampler(
                space, agent, seed, reward, weight, "network"
            ),
            controller=True,
            mutual_information=True,
        ),
        SamplerDescriptor(
            "mim_table",
            "the MIM tuner with a tabular Q agent",
            "paper",
            lambda space, agent, seed, reward, weight: MIMSampler(
                space, agent, seed, reward, weight, "table"
            ),
            controller=True,
            mutual_information=True,
        ),
        SamplerDescriptor(
            "linucb",
            "LinUCB contextual bandit over the configurations' features",
            "bandit",
            lambda space, agent, seed, reward, weight: LinUCBSampler(space, seed),
            finite_only=True,
        ),
        SamplerDescriptor(
            "tpe",  # each parameter on its own (Optuna 5's default TPE is the multivariate one)
            "Optuna's independent TPE",
            "optuna",
            lambda space, agent, seed, reward, weight: TPESampler(seed=seed, multivariate=False),
        ),
        SamplerDescriptor(
            "tpe_multivariate",
            "Optuna's multivariate TPE",
            "optuna",
            lambda space, agent, seed, reward, weight: TPESampler(seed=seed, multivariate=True),
        ),
        SamplerDescriptor(
            "gp",
            "Optuna's Gaussian-process sampler",
            "optuna",
            lambda space, agent, seed, reward, weight: GPSampler(seed=seed),
        ),
        SamplerDescriptor(
            "cmaes",
            "Optuna's CMA-ES with margin",
            "optuna",
            lambda space, agent, seed, reward, weight: CmaEsSampler(
                seed=seed, with_margin=True, warn_independent_sampling=False
            ),
        ),
        SamplerDescriptor(
            "qmc",
            "Optuna's scrambled Sobol quasi-Monte Carlo",
            "optuna",
            lambda space, agent, seed, reward, weight: QMCSampler(
                qmc_type="sobol", scramble=True, seed=seed, warn_independent_sampling=False
            ),
        ),
        SamplerDescriptor(
            "random",
            "Optuna's random search",
            "optuna",
            lambda space, agent, seed, reward, weight: RandomSampler(seed=seed),
        ),
        SamplerDescriptor(
            "grid",
            "Optuna's grid search over the finite space",
            "optuna",
            lambda space, agent, seed, reward, weight: GridSampler(space.grid(), seed=seed),
            finite_only=True,
        ),
    )
}


def get_sampler(name: str) -> SamplerDescriptor:
    """The sampler `name`; a ConfigError naming tune.sampler when it is not registered."""
    try:
        return SAMPLERS[name]
    except KeyError:
        raise ConfigError(f"tune.sampler: {name!r} is not one of {sorted(SAMPLERS)}.") from None
