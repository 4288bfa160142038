"""The benchmark's controls, which say whether the harness can tell samplers apart at all.

- **Positive control**: BBOB functions (through ``ioh``) evaluated on a grid of ordered levels.
  The functions are smooth or structured, so TPE, GP and CMA-ES must beat random search there;
  if they do not, the harness is broken. One epoch, one "training seed": no noise, no pruning.
- **Negative control**: a tabulated gait problem with whole configurations' results shuffled
  among configurations (`TabularProblem.shuffled`): the parameters then say nothing, and every
  sampler must be equivalent to random search.
"""

from __future__ import annotations

import itertools

import numpy as np

from gaitops.tuning.benchmark.tabular import TabularProblem
from gaitops.tuning.space import level_grid

BBOB_FUNCTIONS = {1: "sphere", 2: "ellipsoid", 8: "rosenbrock"}
BBOB_DIMENSION = 4
BBOB_LEVELS = 8  # per dimension: 8^4 = 4,096 configurations
BBOB_TRIALS = 50


def bbob_problem(
    function: int,
    dimension: int = BBOB_DIMENSION,
    levels: int = BBOB_LEVELS,
    trials: int = BBOB_TRIALS,
    instance: int = 1,
) -> TabularProblem:
    """BBOB `function` (instance 1) on a grid of `levels` evenly spaced points in [-4.5, 4.5]
    per dimension; each point's value is its precision f(x) - f(x*)."""
    import ioh

    f = ioh.get_problem(function, instance, dimension, ioh.ProblemClass.BBOB)
    points = np.linspace(-4.5, 4.5, levels)
    names = [f"x{d}" for d in range(dimension)]
    space = level_grid("bbob", f"bbob_f{function}", {n: tuple(points) for n in names})
    optimum = f.optimum.y
    values = np.array([f(list(p)) - optimum for p in itertools.product(points, repeat=dimension)])
    losses = values.reshape(-1, 1, 1)
    return TabularProblem(
        f"bbob-f{function}-{BBOB_FUNCTIONS.get(function, 'function')}",
        space,
        losses,
        np.zeros_like(losses),
        np.zeros((len(values), 1)),
        trials,
        kind="positive_control",
    )
