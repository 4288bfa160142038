"""Controller mode as its own live experiment: within one training run, what sets each epoch's
learning rate (and dropout / survival) — the paper's agents, a random controller, constants, or
a classic schedule — scored by the best-epoch validation loss and the fold-0 test metric.

Every arm starts from the model's default structure (its params.yaml section) and trains for the
same epochs with the same training seeds (paired); nothing else differs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pytorch_lightning as pl

from gaitops.data.dataset import GaitDataset
from gaitops.metrics.headline import headline_metric
from gaitops.models.objective import TuningSplit, configure, evaluate_configuration
from gaitops.models.training import predict
from gaitops.settings.models import OptimisationSettings
from gaitops.tasks import Task
from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.controller import QController, apply_action
from gaitops.tuning.network_agent import make_agent

CONTROLLER_ARMS = (
    "qlearning",
    "mim",
    "random_actions",
    "constant_default",
    "constant_best_static",
    "cosine",
    "one_cycle",
    "plateau",
)


class LearningRateSchedule(pl.Callback):
    """Sets the learning rate before each epoch from `rate(epoch)`."""

    def __init__(self, rate: Callable[[int], float]) -> None:
        self.rate = rate

    def on_train_epoch_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        apply_action(pl_module, trainer, {"learning_rate": self.rate(trainer.current_epoch)})


class PlateauSchedule(pl.Callback):
    """ReduceLROnPlateau on the validation loss: x `factor` after `patience` epochs without a
    new best."""

    def __init__(self, start: float, factor: float = 0.5, patience: int = 3) -> None:
        self.rate, self.factor, self.patience = start, factor, patience
        self.best, self.waited = math.inf, 0

    def on_train_epoch_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        apply_action(pl_module, trainer, {"learning_rate": self.rate})

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        loss = float(trainer.callback_metrics.get("val_loss", math.inf))
        if loss < self.best:
            self.best, self.waited = loss, 0
        else:
            self.waited += 1
            if self.waited > self.patience:
                self.rate, self.waited = self.rate * self.factor, 0


def cosine(start: float, epochs: int) -> Callable[[int], float]:
    return lambda epoch: 0.5 * start * (1 + math.cos(math.pi * epoch / epochs))


def one_cycle(start: float, epochs: int, warm_share: float = 0.3) -> Callable[[int], float]:
    """Up from start / 25 to start over the first 30 % of epochs, then cosine down to
    start / 25e4 (PyTorch's OneCycleLR shape, per epoch)."""
    low, floor = start / 25, start / 25e4
    warm = max(1, round(warm_share * epochs))

    def rate(epoch: int) -> float:
        if epoch < warm:
            return low + (start - low) * epoch / warm
        progress = (epoch - warm) / max(1, epochs - warm)
        return floor + 0.5 * (start - floor) * (1 + math.cos(math.pi * progress))

    return rate


@dataclass(frozen=True)
class ControllerOutcome:
    arm: str
    seed: int
    best_validation_loss: float
    best_epoch: int | None
    test_metric: float
    seconds: float


@dataclass(frozen=True)
class ControllerProblem:
    """A live controller problem: data, fold-0 split, model and its default settings."""

    name: str
    data: GaitDataset
    task: Task
    split: TuningSplit
    test_index: np.ndarray
    architecture: str
    base: OptimisationSettings
    epochs: int
    actions: list[dict[str, Any]]  # what the controllers may set each epoch
    best_static: dict[str, Any]  # the best constant setting found in the tables
    information: Callable[[Any], float]  # MIM's probe on the validation subjects


def run_controller_arm(
    problem: ControllerProblem,
    arm: str,
    seed: int,
    agent: AgentSettings,
    mim_weight: float,
) -> ControllerOutcome:
    """One arm, one training seed."""
    settings = configure(problem.base, {"max_epochs": problem.epochs})
    start = settings.learning_rate
    callbacks: list[pl.Callback] = []
    if arm in ("qlearning", "mim", "random_actions"):
        chosen = (
            agent.model_copy(update={"exploration": 1.0, "min_exploration": 1.0})
            if arm == "random_actions"
            else agent
        )
        callbacks.append(
            QController(
                make_agent(
                    arm if arm != "random_actions" else "qlearning",
                    len(problem.actions),
                    chosen,
                    seed,
                ),
                problem.actions,
                "inverse_loss",
                problem.information if arm == "mim" else None,
                mim_weight if arm == "mim" else 0.0,
            )
        )
    elif arm == "constant_best_static":
        settings = configure(settings, problem.best_static)
    elif arm == "cosine":
        callbacks.append(LearningRateSchedule(cosine(start, problem.epochs)))
    elif arm == "one_cycle":
        callbacks.append(LearningRateSchedule(one_cycle(start, problem.epochs)))
    elif arm == "plateau":
        callbacks.append(PlateauSchedule(start))
    elif arm != "constant_default":
        raise ValueError(f"unknown controller arm {arm!r}")
    began = time.perf_counter()
    fitted = evaluate_configuration(
        problem.data,
        problem.task,
        replace(problem.split, seed=seed),
        problem.architecture,
        settings,
        callbacks,
    )
    seconds = time.perf_counter() - began
    outputs = predict(fitted.network, problem.data.x[problem.test_index], problem.task.objective)
    test = headline_metric(problem.task, problem.data.n_classes)(
        problem.data.y[problem.test_index], outputs
    )
    loss = fitted.best_validation_loss
    return ControllerOutcome(
        arm,
        seed,
        float("nan") if loss is None else float(loss),
        fitted.best_epoch,
        float(test),
        seconds,
    )
