"""Sequential feature selection with retraining (Lan et al.): how many angles does the model need?

Forward: start with no angle; at each step retrain once per remaining angle with it added (the
angles not kept are zeroed in the raw input, as Lan et al. did) and keep the angle with the best
validation score. Backward: start with every angle; at each step remove the angle whose removal
lowers the validation score most, so its order is most important first, as in Lan's code.
Validation subjects of the fold's training part choose (Lan chose on the test patients); the
fold's test subjects only report the curve, beside the model trained on every angle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from gaitops.data.dataset import GaitDataset
from gaitops.metrics.headline import headline_metric
from gaitops.models.objective import TuningSplit
from gaitops.models.training import fit_network, predict
from gaitops.settings.models import OptimisationSettings
from gaitops.tasks import Task

Direction = Literal["forward", "backward"]
MapFn = Callable[[Callable[[tuple[int, ...]], "Scores"], list[tuple[int, ...]]], list["Scores"]]


@dataclass(frozen=True)
class Scores:
    validation: float
    test: float


@dataclass(frozen=True)
class SelectionStep:
    direction: Direction
    step: int  # 1, 2, ...
    angle: str  # added (forward) or removed (backward) at this step
    kept: tuple[str, ...]  # the angles the model uses after this step
    validation: float
    test: float


@dataclass(frozen=True)
class SelectionProblem:
    data: GaitDataset
    task: Task
    split: TuningSplit
    test_index: np.ndarray
    architecture: str
    settings: OptimisationSettings


def keeping(data: GaitDataset, channels: tuple[int, ...]) -> GaitDataset:
    """The data with every channel not in `channels` set to zero."""
    x = np.zeros_like(data.x)
    x[:, list(channels)] = data.x[:, list(channels)]
    return replace(data, x=x)


def fit_and_score(problem: SelectionProblem, channels: tuple[int, ...]) -> Scores:
    """Train from scratch on the kept channels; the headline metric on validation and test."""
    data = keeping(problem.data, channels)
    fitted = fit_network(
        data,
        problem.split.fit_index,
        problem.split.validation_index,
        problem.architecture,
        problem.settings,
        problem.split.seed,
        task=problem.task,
    )
    score = headline_metric(problem.task, data.n_classes)
    test = problem.test_index
    outputs = predict(fitted.network, data.x[test], problem.task.objective)
    if fitted.best_validation_metric is None:
        raise ValueError(
            "selection needs a validation score, and fold 0's validation subjects gave none "
            f"(their loss was {fitted.history[-1].validation_loss}): raise "
            "train.validation_fraction or use more subjects"
        )
    return Scores(fitted.best_validation_metric, score(data.y[test], outputs))


def sequential_selection(
    problem: SelectionProblem, direction: Direction, max_steps: int, map_items: MapFn
) -> list[SelectionStep]:
    """Up to `max_steps` greedy steps; each step's candidates are fitted through `map_items`."""
    names = problem.data.input_names
    every = tuple(range(len(names)))
    kept: tuple[int, ...] = () if direction == "forward" else every
    steps: list[SelectionStep] = []
    sign = 1.0 if problem.task.higher_is_better else -1.0
    for step in range(1, min(max_steps, len(names) - 1) + 1):
        candidates = [c for c in every if c not in kept] if direction == "forward" else list(kept)
        trials = [
            tuple(sorted((*kept, c)))
            if direction == "forward"
            else tuple(k for k in kept if k != c)
            for c in candidates
        ]
        results = map_items(lambda channels: fit_and_score(problem, channels), trials)
        values = np.array([sign * r.validation for r in results])
        # forward: the best addition; backward: the removal that hurts most (the worst result)
        chosen = int(np.argmax(values)) if direction == "forward" else int(np.argmin(values))
        kept = trials[chosen]
        steps.append(
            SelectionStep(
                direction,
                step,
                names[candidates[chosen]],
                tuple(names[k] for k in kept),
                results[chosen].validation,
                results[chosen].test,
            )
        )
    return steps


def step_ranking(found: list[SelectionStep], names: list[str]) -> np.ndarray:
    """Channel indexes, most important first: forward in order of addition, backward in order of
    removal (Lan's backward removes the most important first); unranked angles last."""
    order = [names.index(s.angle) for s in found]
    rest = [i for i in range(len(names)) if i not in order]
    return np.array(order + rest)


def retrainings(n: int, steps: int) -> int:
    """Retrainings of `steps` greedy steps over `n` angles: n + (n - 1) + ..."""
    return sum(n - k for k in range(steps))


def curve_rows(steps: dict[str, list[SelectionStep]], full: Scores) -> list[dict[str, object]]:
    """One row per step of each direction: angles kept, test and validation score, beside the
    test score of the model trained on every angle."""
    return [
        {
            "direction": s.direction,
            "angles_kept": len(s.kept),
            "test": s.test,
            "validation": s.validation,
            "full_model_test": full.test,
        }
        for found in steps.values()
        for s in found
    ]
