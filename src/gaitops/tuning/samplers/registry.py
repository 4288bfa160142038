"""Every sampler a study can use, by name (``tune.sampler``), as a descriptor: the paper's two
(MIM also with the tabular agent), the benchmark's steel-manned bandit, and Optuna's. Adding a
sampler is its module in gaitops/tuning/samplers/ (none for one of Optuna's) plus one descriptor
here. A sampler with options declares their model beside its code (``QLearningOptions``); its
``tune.options.NAME`` section is checked against it.

The name is checked here, when the tune stage or ``gaitops run`` starts, not when params.yaml is
read (which every stage does: a registry read there would make every stage depend on it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from optuna.samplers import (
    BaseSampler,
    CmaEsSampler,
    GPSampler,
    GridSampler,
    QMCSampler,
    RandomSampler,
    TPESampler,
)

from gaitops.errors import ConfigError, checked_options, registered
from gaitops.settings.base import Strict
from gaitops.settings.tune import TuneSettings
from gaitops.tasks import Task
from gaitops.tuning import presets
from gaitops.tuning.samplers.linucb import LinUCBSampler
from gaitops.tuning.samplers.mim import MIMOptions, MIMSampler
from gaitops.tuning.samplers.qlearning import QLearningOptions, QLearningSampler
from gaitops.tuning.space import SearchSpace


class NoOptions(Strict):
    """A sampler without options of its own (each of Optuna's takes only the seed here)."""


# (space, its options with the paper's values filled in, seed) -> sampler
SamplerFactory = Callable[[SearchSpace, Any, int], BaseSampler]


@dataclass(frozen=True)
class SamplerDescriptor:
    name: str
    description: str
    family: Literal["paper", "bandit", "optuna"]
    build: SamplerFactory
    options: type[Strict] = NoOptions  # its tune.options.NAME, defaults included
    finite_only: bool = False  # proposes from a finite space only (a grid of configurations)
    controller: bool = False  # also steers one training run epoch by epoch (tune.mode controller)

    @property
    def mutual_information(self) -> bool:
        """Whether its reward adds the units' information (it takes MIM's options)."""
        return issubclass(self.options, MIMOptions)

    def make(self, space: SearchSpace, options: Strict, seed: int) -> BaseSampler:
        """The sampler for `space` with `options` (resolved: gaitops.tuning.presets); a
        ConfigError when it needs a finite space and `space` is not."""
        if self.finite_only and not space.finite:
            raise ConfigError(
                f"tune.sampler: {self.name} needs a finite space; {space.name!r} is continuous"
            )
        if not isinstance(options, self.options):
            raise TypeError(f"{self.name} takes {self.options.__name__}, not {options!r}")
        return self.build(space, options, seed)

    def configured(self, **values: Any) -> Strict:
        """Its options from those of `values` it has (an Optuna sampler: none), e.g. the same
        agent, reward and weight for every arm of the tuner benchmark."""
        fields = self.options.model_fields
        return self.options.model_validate({k: v for k, v in values.items() if k in fields})


SAMPLERS: dict[str, SamplerDescriptor] = {
    d.name: d
    for d in (
        SamplerDescriptor(
            "qlearning",
            "the source paper's Q-learning tuner",
            "paper",
            lambda space, o, seed: QLearningSampler(space, o.agent_settings(), seed, o.reward),
            options=QLearningOptions,
            controller=True,
        ),
        SamplerDescriptor(
            "mim",
            "the source paper's mutual-information-maximisation tuner (network agent)",
            "paper",
            lambda space, o, seed: MIMSampler(
                space, o.agent_settings(), seed, o.reward, o.information_weight(), "network"
            ),
            options=MIMOptions,
            controller=True,
        ),
        SamplerDescriptor(
            "mim_table",
            "the MIM tuner with a tabular Q agent",
            "paper",
            lambda space, o, seed: MIMSampler(
                space, o.agent_settings(), seed, o.reward, o.information_weight(), "table"
            ),
            options=MIMOptions,
            controller=True,
        ),
        SamplerDescriptor(
            "linucb",
            "LinUCB contextual bandit over the configurations' features",
            "bandit",
            lambda space, o, seed: LinUCBSampler(space, seed),
            finite_only=True,
        ),
        SamplerDescriptor(
            "tpe",  # each parameter on its own (Optuna 5's default TPE is the multivariate one)
            "Optuna's independent TPE",
            "optuna",
            lambda space, o, seed: TPESampler(seed=seed, multivariate=False),
        ),
        SamplerDescriptor(
            "tpe_multivariate",
            "Optuna's multivariate TPE",
            "optuna",
            lambda space, o, seed: TPESampler(seed=seed, multivariate=True),
        ),
        SamplerDescriptor(
            "gp",
            "Optuna's Gaussian-process sampler",
            "optuna",
            lambda space, o, seed: GPSampler(seed=seed),
        ),
        SamplerDescriptor(
            "cmaes",
            "Optuna's CMA-ES with margin",
            "optuna",
            lambda space, o, seed: CmaEsSampler(
                seed=seed, with_margin=True, warn_independent_sampling=False
            ),
        ),
        SamplerDescriptor(
            "qmc",
            "Optuna's scrambled Sobol quasi-Monte Carlo",
            "optuna",
            lambda space, o, seed: QMCSampler(
                qmc_type="sobol", scramble=True, seed=seed, warn_independent_sampling=False
            ),
        ),
        SamplerDescriptor(
            "random",
            "Optuna's random search",
            "optuna",
            lambda space, o, seed: RandomSampler(seed=seed),
        ),
        SamplerDescriptor(
            "grid",
            "Optuna's grid search over the finite space",
            "optuna",
            lambda space, o, seed: GridSampler(space.grid(), seed=seed),
            finite_only=True,
        ),
    )
}


def get_sampler(name: str) -> SamplerDescriptor:
    """The sampler `name`; a ConfigError naming tune.sampler when it is not registered."""
    return registered(SAMPLERS, name, "tune.sampler")


def sampler_options(tune: TuneSettings, task: Task) -> Strict:
    """The options of ``tune.sampler`` from ``tune.options``, checked by its options model, the
    paper's values filled in for the task (a ConfigError naming the key when one is wrong)."""
    descriptor = get_sampler(tune.sampler)
    given = tune.options.get(tune.sampler, {})
    where = f"tune.options.{tune.sampler}"
    options = checked_options(descriptor.options, given, where, f"the {tune.sampler} sampler")
    return presets.resolved(options, task)


def check_sampler_options(tune: TuneSettings) -> None:
    """``tune.sampler`` and every ``tune.options`` entry name registered samplers, and each entry
    fits its sampler's options model (the first problem as a ConfigError), before any stage."""
    get_sampler(tune.sampler)
    for name, given in tune.options.items():
        descriptor = registered(SAMPLERS, name, "tune.options")
        checked_options(descriptor.options, given, f"tune.options.{name}", f"the {name} sampler")
