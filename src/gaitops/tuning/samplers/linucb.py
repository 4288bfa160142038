"""An optimistic bandit over action features (LinUCB): the benchmark's steel-manned agent.

The paper's agents learn one value per configuration, so with far fewer trials than
configurations they learn almost nothing. This agent generalises across neighbouring
configurations: each configuration of a finite space is described by its parameters' level
indices (one-hot, scaled index and its square, and products of scaled indices for every pair),
a ridge regression maps features to the standardised objective of the trials so far, and the
next trial is the configuration with the highest mean + ``exploration`` x its standard error
(Li et al. 2010). Ties go to the lowest index; the first trial is drawn at random (seeded).
It tunes nothing about itself on the data it is judged on: ``exploration`` and ``ridge`` are
set on the benchmark's control functions.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
from optuna.distributions import BaseDistribution, IntDistribution
from optuna.samplers import BaseSampler, RandomSampler
from optuna.study import Study, StudyDirection
from optuna.trial import FrozenTrial, TrialState

from gaitops.tuning.space import SearchSpace

DEFAULT_EXPLORATION = 3.0  # the benchmark sets it on its control functions (tuners/steelman.json)
DEFAULT_RIDGE = 1.0


def action_features(space: SearchSpace) -> np.ndarray:
    """One row per action: one-hot levels, scaled index and its square, pairwise products."""
    names = list(space.distributions)
    rows = []
    for action in space.actions:
        scaled, row = [], [1.0]
        for name in names:
            distribution = space.distributions[name]
            assert isinstance(distribution, IntDistribution)
            width = distribution.high - distribution.low
            index = int(action[name]) - distribution.low
            one_hot = [0.0] * (width + 1)
            one_hot[index] = 1.0
            t = index / width if width else 0.0
            scaled.append(t)
            row += [*one_hot, t, t * t]
        row += [a * b for a, b in itertools.combinations(scaled, 2)]
        rows.append(row)
    return np.asarray(rows)


class LinUCBSampler(BaseSampler):
    """Upper confidence bound on a ridge regression over `action_features`."""

    def __init__(
        self,
        space: SearchSpace,
        seed: int = 0,
        exploration: float = DEFAULT_EXPLORATION,
        ridge: float = DEFAULT_RIDGE,
    ) -> None:
        if not space.finite:
            raise ValueError(f"linucb needs a finite space; {space.name!r} is continuous")
        self.space = space
        self.features = action_features(space)
        self.exploration = exploration
        self.ridge = ridge
        self._random = RandomSampler(seed=seed)

    def infer_relative_search_space(
        self, study: Study, trial: FrozenTrial
    ) -> dict[str, BaseDistribution]:
        return dict(self.space.distributions)

    def scores(self, study: Study) -> np.ndarray | None:
        """Each action's upper confidence bound (None before any finished trial)."""
        observed = [
            (self.space.action_of(t.params), t.value)
            for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
            if t.value is not None and math.isfinite(t.value)
        ]
        observed = [(a, v) for a, v in observed if a is not None]
        if not observed:
            return None
        sign = -1.0 if study.direction == StudyDirection.MINIMIZE else 1.0
        values = sign * np.array([v for _, v in observed])
        spread = values.std()
        target = (values - values.mean()) / (spread if spread > 0 else 1.0)
        x = self.features[[a for a, _ in observed]]
        precision = self.ridge * np.eye(x.shape[1]) + x.T @ x
        covariance = np.linalg.inv(precision)
        weights = covariance @ x.T @ target
        mean = self.features @ weights
        width = np.sqrt(np.maximum(((self.features @ covariance) * self.features).sum(axis=1), 0))
        return mean + self.exploration * width

    def sample_relative(
        self, study: Study, trial: FrozenTrial, search_space: dict[str, BaseDistribution]
    ) -> dict[str, Any]:
        if not search_space:
            return {}
        scores = self.scores(study)
        if scores is None:
            return {}  # the first trial: drawn independently at random
        return dict(self.space.actions[int(np.argmax(scores))])

    def sample_independent(
        self,
        study: Study,
        trial: FrozenTrial,
        param_name: str,
        param_distribution: BaseDistribution,
    ) -> Any:
        return self._random.sample_independent(study, trial, param_name, param_distribution)

    def reseed_rng(self) -> None:
        self._random.reseed_rng()
