"""Controller mode (the source paper's): within one training run each epoch is a step.

Before an epoch the agent picks an action and its hyper-parameters are set for that epoch
(learning rate on the optimiser and its schedule, dropout on every dropout layer, survival
probability on every stochastic-depth block); after the epoch's validation the reward
1 / (1 + validation loss) (plus, for MIM, the scaled mutual information of the penultimate
representation with the target on the validation subjects, capped at 1.0) updates the agent
(a Q-table, or MIM's Q-network), and its target is cloned on schedule. Structural parameters (widths, batch size) cannot change inside a
run: they stay as built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytorch_lightning as pl
from torch import nn

from gaitops.models.components.sdnn import StochasticDepthBlock
from gaitops.tuning.agent import Agent
from gaitops.tuning.rewards import RewardKind, base_reward, mim_reward

ADJUSTABLE = ("learning_rate", "dropout", "survival_probability")


@dataclass(frozen=True)
class ControllerStep:
    epoch: int
    action: int
    explored: bool
    exploration: float
    validation_loss: float
    mutual_information: float | None
    reward: float
    td_error: float


def apply_action(module: pl.LightningModule, trainer: pl.Trainer, values: dict[str, Any]) -> None:
    """Set the adjustable hyper-parameters of `values` on a running fit."""
    if "learning_rate" in values:
        for optimiser in trainer.optimizers:
            for group in optimiser.param_groups:
                group["lr"] = values["learning_rate"]
        for config in trainer.lr_scheduler_configs:
            config.scheduler.base_lrs = [values["learning_rate"]] * len(config.scheduler.base_lrs)
    for layer in module.modules():
        if "dropout" in values and isinstance(layer, nn.Dropout):
            layer.p = values["dropout"]
        if "survival_probability" in values and isinstance(layer, StochasticDepthBlock):
            layer.survival_probability = values["survival_probability"]


class QController(pl.Callback):
    """Chooses each epoch's hyper-parameters with `agent` and learns from the validation reward."""

    def __init__(
        self,
        agent: Agent,
        actions: list[dict[str, Any]],
        reward: RewardKind = "inverse_loss",
        information: Callable[[nn.Module], float] | None = None,
        information_weight: float = 0.0,
    ) -> None:
        self.agent = agent
        self.actions = [{k: v for k, v in a.items() if k in ADJUSTABLE} for a in actions]
        self.reward_kind = reward
        self.information = information
        self.information_weight = information_weight
        self.steps: list[ControllerStep] = []
        self._current: tuple[int, bool, float] | None = None

    def on_train_epoch_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        exploration = self.agent.exploration
        action, explored = self.agent.choose()
        apply_action(pl_module, trainer, self.actions[action])
        self._current = (action, explored, exploration)

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        """After the epoch and its validation (Lightning validates before this hook)."""
        if self._current is None or "val_loss" not in trainer.callback_metrics:
            return
        action, explored, exploration = self._current
        loss = float(trainer.callback_metrics["val_loss"])
        metric = getattr(pl_module, "last_validation_metric", None)
        information = self.information(pl_module.network) if self.information else None
        reward = base_reward(self.reward_kind, loss, metric)
        if self.information is not None:
            reward = mim_reward(reward, information, self.information_weight)
        error = self.agent.update(action, reward)
        self.steps.append(
            ControllerStep(
                trainer.current_epoch,
                action,
                explored,
                exploration,
                loss,
                information,
                reward,
                error,
            )
        )
        self._current = None
