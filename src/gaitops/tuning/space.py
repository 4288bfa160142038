"""Search spaces: what TPE and random sample (Optuna distributions) and the discrete set of
actions the Q-learning and MIM agents choose from, for the same problem.

- ``paper_zip``: the source paper's Q-learning actions for the SDNN as written: its five
  learning rates and five dropouts (0.3 listed twice) zipped into five paired actions, the
  (learning rate, dropout) parts of MIM's five tuples (the reading ``paper`` follows);
- ``paper_grid``: the other reading of the same lists, learning rate x dropout (5 x 4 = 20);
- ``paper_tuples``: the paper's joint actions, five tuples: SDNN (learning rate, dropout,
  survival probability), DFFN (learning rate, dropout, interaction units);
- ``benchmark``: the tuner benchmark's grid per model (80 to 384 configurations of 3 to 5
  ordered parameters; the SDNN's holds every action of the paper's);
- ``mixed``: a larger space per model (log learning rate, weight decay, dropout, width, depth,
  batch size) that TPE and random sample continuously while the agents act on a declared
  discretisation (the product of a few levels per parameter);
- ``compact``: a small grid per model (learning rate x two levels of two more parameters, 16 to
  20 configurations), finite, so every sampler (grid included) shares it and the benchmark can
  tabulate it;
- ``paper`` picks the paper's space for the sampler: Q-learning the zipped pairs (SDNN), MIM
  the tuples.

A finite space is shown to Optuna as ordered integer parameters: each parameter's level index
(its levels in increasing order), or one ``configuration`` index for tuples (ordered by learning
rate), so TPE, GP, CMA-ES and QMC can use the order; `decode` turns a trial's parameters into
overrides of the model's section of params.yaml.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)

from gaitops.errors import ConfigError

LEARNING_RATES = (1e-5, 5e-5, 1e-4, 5e-4, 1e-3)


@dataclass(frozen=True)
class SearchSpace:
    name: str
    model: str
    distributions: dict[str, BaseDistribution]
    actions: tuple[dict[str, Any], ...]  # the agents' discretisation, as Optuna parameters
    tuples: tuple[dict[str, Any], ...] | None = None  # joint configurations (paper_tuples)
    levels: dict[str, tuple[Any, ...]] | None = None  # a grid's values, by level index

    @property
    def finite(self) -> bool:
        return all(
            isinstance(d, CategoricalDistribution)
            or (isinstance(d, IntDistribution) and not d.log and d.step == 1)
            for d in self.distributions.values()
        ) and (self.levels is not None or self.tuples is not None)

    def grid(self) -> dict[str, list[Any]]:
        """Every parameter's choices (a finite space), as Optuna's GridSampler takes them."""
        out: dict[str, list[Any]] = {}
        for name, d in self.distributions.items():
            if isinstance(d, IntDistribution):
                out[name] = list(range(d.low, d.high + 1))
            else:
                out[name] = list(d.choices)  # type: ignore[attr-defined]
        return out

    def values(self, params: dict[str, Any]) -> dict[str, Any]:
        """A trial's parameters as the values they stand for (level indices decoded)."""
        if self.tuples is not None:
            return dict(self.tuples[int(params["configuration"])])
        if self.levels is not None:
            return {k: self.levels[k][int(params[k])] for k in self.levels}
        return dict(params)

    def decode(self, params: dict[str, Any]) -> dict[str, Any]:
        """A trial's parameters -> overrides of ``models.<model>`` in params.yaml."""
        return _as_model_overrides(self.model, self.values(params))

    def action_of(self, params: dict[str, Any]) -> int | None:
        """The index of the action matching a trial's parameters (None: not one of them)."""
        if self.levels is not None:  # a grid: its actions are the product of level indices
            index = 0
            for name, values in self.levels.items():
                level = params.get(name)
                if isinstance(level, bool) or not isinstance(level, (int, np.integer)):
                    return None
                if not 0 <= level < len(values):
                    return None
                index = index * len(values) + level
            return index
        for index, action in enumerate(self.actions):
            if all(params.get(k) == v for k, v in action.items()):
                return index
        return None


def _as_model_overrides(model: str, values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if "interaction_units" in out:  # DFFN: the interaction tower's first width, halving
        units = int(out.pop("interaction_units"))
        out["interaction"] = [units, max(units // 2, 4), max(units // 4, 4)]
    if "width" in out and model == "mlp":
        width = int(out.pop("width"))
        out["hidden"] = [width, max(width // 2, 4)]
    return out


def level_grid(model: str, name: str, levels: dict[str, tuple[Any, ...]]) -> SearchSpace:
    """A grid of ordered levels: each parameter its level index, 0 = the smallest value."""
    ordered = {k: tuple(sorted(v)) for k, v in levels.items()}
    distributions: dict[str, BaseDistribution] = {
        k: IntDistribution(0, len(v) - 1) for k, v in ordered.items()
    }
    actions = tuple(
        dict(zip(ordered, combo, strict=True))
        for combo in itertools.product(*(range(len(v)) for v in ordered.values()))
    )
    return SearchSpace(name, model, distributions, actions, levels=ordered)


def _tuples(model: str, name: str, configurations: list[dict[str, Any]]) -> SearchSpace:
    n = len(configurations)
    distributions: dict[str, BaseDistribution] = {"configuration": IntDistribution(0, n - 1)}
    actions = tuple({"configuration": i} for i in range(n))
    return SearchSpace(name, model, distributions, actions, tuple(configurations))


# name -> (continuous distribution, the agents' levels)
_MIXED: dict[str, dict[str, tuple[BaseDistribution, tuple[Any, ...]]]] = {
    "sdnn": {
        "learning_rate": (FloatDistribution(1e-5, 1e-2, log=True), (1e-4, 1e-3, 1e-2)),
        "dropout": (FloatDistribution(0.0, 0.5), (0.0, 0.25, 0.5)),
        "survival_probability": (FloatDistribution(0.5, 1.0), (0.6, 0.8, 1.0)),
        "width": (IntDistribution(16, 128, log=True), (16, 32, 128)),
        "blocks": (IntDistribution(2, 8), (2, 5, 8)),
        "batch_size": (CategoricalDistribution([64, 256, 1024]), (64, 256, 1024)),
    },
    "dffn": {
        "learning_rate": (FloatDistribution(1e-5, 1e-2, log=True), (1e-4, 1e-3, 1e-2)),
        "dropout": (FloatDistribution(0.0, 0.6), (0.0, 0.3, 0.6)),
        "interaction_units": (IntDistribution(128, 2048, log=True), (128, 512, 2048)),
        "factorisation": (IntDistribution(64, 1024, log=True), (64, 256, 1024)),
        "batch_size": (CategoricalDistribution([64, 256, 1024]), (64, 256, 1024)),
    },
    "resnet1d": {
        "learning_rate": (FloatDistribution(1e-4, 1e-2, log=True), (3e-4, 1e-3, 3e-3, 1e-2)),
        "weight_decay": (FloatDistribution(1e-6, 1e-2, log=True), (1e-5, 1e-3)),
        "filters": (IntDistribution(8, 64, log=True), (8, 32, 64)),
        "blocks": (IntDistribution(1, 4), (1, 3)),
        "batch_size": (CategoricalDistribution([8, 16, 32]), (8, 16, 32)),
    },
    "lstm": {
        "learning_rate": (FloatDistribution(1e-4, 1e-2, log=True), (3e-4, 1e-3, 3e-3, 1e-2)),
        "weight_decay": (FloatDistribution(1e-6, 1e-2, log=True), (1e-5, 1e-3)),
        "hidden": (IntDistribution(16, 128, log=True), (16, 64, 128)),
        "layers": (IntDistribution(1, 2), (1, 2)),
        "batch_size": (CategoricalDistribution([8, 16, 32]), (8, 16, 32)),
    },
    "inception_time": {
        "learning_rate": (FloatDistribution(1e-4, 1e-2, log=True), (3e-4, 1e-3, 3e-3, 1e-2)),
        "weight_decay": (FloatDistribution(1e-6, 1e-2, log=True), (1e-5, 1e-3)),
        "filters": (IntDistribution(4, 32, log=True), (8, 16, 32)),
        "depth": (IntDistribution(1, 6), (3, 6)),
        "batch_size": (CategoricalDistribution([8, 16, 32]), (8, 16, 32)),
    },
    "mlp": {
        "learning_rate": (FloatDistribution(1e-4, 1e-2, log=True), (3e-4, 1e-3, 3e-3, 1e-2)),
        "weight_decay": (FloatDistribution(1e-6, 1e-2, log=True), (1e-5, 1e-3)),
        "dropout": (FloatDistribution(0.0, 0.6), (0.0, 0.3, 0.6)),
        "width": (IntDistribution(32, 512, log=True), (64, 256, 512)),
        "batch_size": (CategoricalDistribution([8, 16, 32]), (8, 16, 32)),
    },
}

_PAPER_TUPLES: dict[str, list[dict[str, Any]]] = {
    "sdnn": [
        {"learning_rate": lr, "dropout": d, "survival_probability": p}
        for lr, d, p in zip(
            LEARNING_RATES, (0.2, 0.3, 0.3, 0.4, 0.5), (0.6, 0.7, 0.8, 0.9, 0.9), strict=True
        )
    ],
    "dffn": [
        {"learning_rate": lr, "dropout": d, "interaction_units": u}
        for lr, d, u in zip(
            LEARNING_RATES, (0.3, 0.4, 0.4, 0.5, 0.6), (128, 256, 512, 1024, 2048), strict=True
        )
    ],
}


_PAPER_ZIP_DROPOUTS = (0.2, 0.3, 0.3, 0.4, 0.5)  # the paper's list, in its order

# The benchmark's grids: 3 to 5 ordered parameters, a few hundred configurations
_BENCHMARK: dict[str, dict[str, tuple[Any, ...]]] = {
    "mlp": {  # 6 x 4 x 4 x 4 = 384
        "learning_rate": (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2),
        "weight_decay": (1e-6, 1e-4, 1e-3, 1e-2),
        "dropout": (0.0, 0.2, 0.4, 0.6),
        "width": (32, 64, 256, 512),
    },
    "resnet1d": {  # 4 x 3 x 3 x 3 x 3 = 324
        "learning_rate": (3e-4, 1e-3, 3e-3, 1e-2),
        "weight_decay": (1e-5, 1e-4, 1e-3),
        "filters": (8, 16, 32),
        "blocks": (1, 2, 3),
        "kernel_size": (3, 7, 11),
    },
    "sdnn": {  # 5 x 4 x 4 = 80, holding every one of the paper's five tuples
        "learning_rate": LEARNING_RATES,
        "dropout": (0.2, 0.3, 0.4, 0.5),
        "survival_probability": (0.6, 0.7, 0.8, 0.9),
    },
}

_COMPACT: dict[str, dict[str, tuple[Any, ...]]] = {
    "sdnn": {"learning_rate": (1e-4, 5e-4, 1e-3, 5e-3), "width": (16, 64), "dropout": (0.0, 0.3)},
    "dffn": {
        "learning_rate": LEARNING_RATES,
        "dropout": (0.3, 0.5),
        "interaction_units": (256, 1024),
    },
    "resnet1d": {
        "learning_rate": (3e-4, 1e-3, 3e-3, 1e-2),
        "filters": (8, 32),
        "weight_decay": (1e-5, 1e-3),
    },
    "lstm": {
        "learning_rate": (3e-4, 1e-3, 3e-3, 1e-2),
        "hidden": (16, 64),
        "weight_decay": (1e-5, 1e-3),
    },
    "inception_time": {
        "learning_rate": (3e-4, 1e-3, 3e-3, 1e-2),
        "filters": (8, 16),
        "weight_decay": (1e-5, 1e-3),
    },
    "mlp": {"learning_rate": (3e-4, 1e-3, 3e-3, 1e-2), "width": (64, 256), "dropout": (0.0, 0.5)},
}


def mixed_space(model: str) -> SearchSpace:
    entries = _MIXED[model]
    distributions = {k: d for k, (d, _) in entries.items()}
    levels = {k: v for k, (_, v) in entries.items()}
    actions = tuple(
        dict(zip(levels, combo, strict=True)) for combo in itertools.product(*levels.values())
    )
    return SearchSpace("mixed", model, distributions, actions)


def search_space(name: str, model: str, sampler: str) -> SearchSpace:
    """The named space for `model` (``paper`` resolves by sampler, see the module docstring)."""
    if model not in _MIXED:
        raise ConfigError(
            f"tune: {model} is a baseline fitted without epochs; the tuners tune the trained "
            f"networks ({', '.join(sorted(_MIXED))}): set train.model to one of them"
        )
    if name == "paper":
        name = "paper_zip" if sampler != "mim" and model == "sdnn" else "paper_tuples"
    if name == "mixed":
        return mixed_space(model)
    if name == "compact":
        return level_grid(model, name, _COMPACT[model])
    if name == "benchmark":
        if model not in _BENCHMARK:
            raise ConfigError(
                f"tune.space: benchmark has grids for {', '.join(sorted(_BENCHMARK))}, not {model!r}"
            )
        return level_grid(model, name, _BENCHMARK[model])
    if name == "paper_grid" and model == "sdnn":
        return level_grid(
            model, name, {"learning_rate": LEARNING_RATES, "dropout": (0.2, 0.3, 0.4, 0.5)}
        )
    if name == "paper_zip" and model == "sdnn":
        pairs = zip(LEARNING_RATES, _PAPER_ZIP_DROPOUTS, strict=True)
        return _tuples(model, name, [{"learning_rate": lr, "dropout": d} for lr, d in pairs])
    if name == "paper_tuples" and model in _PAPER_TUPLES:
        return _tuples(model, name, _PAPER_TUPLES[model])
    raise ConfigError(
        f"tune.space: the source paper defines {name!r} for sdnn and dffn only, not {model!r}; "
        "use tune.space: mixed"
    )
