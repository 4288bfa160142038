"""Search spaces: what TPE and random sample (Optuna distributions) and the discrete set of
actions the Q-learning and MIM agents choose from, for the same problem.

- ``paper_grid``: the source paper's Q-learning actions for the SDNN, learning rate x dropout
  (5 x 4 = 20; the paper lists dropout 0.3 twice);
- ``paper_tuples``: the paper's joint actions, five tuples: SDNN (learning rate, dropout,
  survival probability), DFFN (learning rate, dropout, interaction units);
- ``mixed``: a larger space per model (log learning rate, weight decay, dropout, width, depth,
  batch size) that TPE and random sample continuously while the agents act on a declared
  discretisation (the product of a few levels per parameter);
- ``compact``: a small grid per model (learning rate x two levels of two more parameters, 16 to
  20 configurations), finite, so every sampler (grid included) shares it and the benchmark can
  tabulate it;
- ``paper`` picks the paper's space for the sampler: Q-learning the grid (SDNN), MIM the tuples.

A finite space is shown to Optuna as categorical parameters (a grid per parameter, or one
``configuration`` index for tuples); `decode` turns a trial's parameters into overrides of the
model's section of params.yaml.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

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

    @property
    def finite(self) -> bool:
        return all(isinstance(d, CategoricalDistribution) for d in self.distributions.values())

    def decode(self, params: dict[str, Any]) -> dict[str, Any]:
        """A trial's parameters -> overrides of ``models.<model>`` in params.yaml."""
        chosen = self.tuples[params["configuration"]] if self.tuples is not None else dict(params)
        return _as_model_overrides(self.model, chosen)

    def action_of(self, params: dict[str, Any]) -> int | None:
        """The index of the action matching a trial's parameters (None: not one of them)."""
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


def _grid(model: str, name: str, levels: dict[str, tuple[Any, ...]]) -> SearchSpace:
    distributions: dict[str, BaseDistribution] = {
        k: CategoricalDistribution(list(v)) for k, v in levels.items()
    }
    actions = tuple(
        dict(zip(levels, combo, strict=True)) for combo in itertools.product(*levels.values())
    )
    return SearchSpace(name, model, distributions, actions)


def _tuples(model: str, configurations: list[dict[str, Any]]) -> SearchSpace:
    n = len(configurations)
    distributions: dict[str, BaseDistribution] = {
        "configuration": CategoricalDistribution(list(range(n)))
    }
    actions = tuple({"configuration": i} for i in range(n))
    return SearchSpace("paper_tuples", model, distributions, actions, tuple(configurations))


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
        name = "paper_grid" if sampler != "mim" and model == "sdnn" else "paper_tuples"
    if name == "mixed":
        return mixed_space(model)
    if name == "compact":
        return _grid(model, name, _COMPACT[model])
    if name == "paper_grid" and model == "sdnn":
        return _grid(
            model, name, {"learning_rate": LEARNING_RATES, "dropout": (0.2, 0.3, 0.4, 0.5)}
        )
    if name == "paper_tuples" and model in _PAPER_TUPLES:
        return _tuples(model, _PAPER_TUPLES[model])
    raise ConfigError(
        f"tune.space: the source paper defines {name!r} for sdnn and dffn only, not {model!r}; "
        "use tune.space: mixed"
    )
