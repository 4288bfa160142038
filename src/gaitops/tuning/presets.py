"""The source paper's tuner settings (Tables 1 and 2), by objective."""

from __future__ import annotations

from typing import TypeVar

from gaitops.settings.base import Strict
from gaitops.settings.tune import TuneSettings
from gaitops.tasks import Task
from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.samplers.mim import MIMOptions
from gaitops.tuning.samplers.qlearning import QLearningOptions

# Regression (SDNN): exploration 0.5, decay 0.99, discount 0.95, Q learning rate 0.5, target
# table every 10 (Q-learning) / 5 (MIM) epochs, 30 epochs, batch 64. Classification (DFFN):
# 0.9, 0.98, 0.99, 0.9, every 10, 50 epochs, batch 64, MIM's information reward x 0.5.
PAPER_AGENT = {
    "regression": AgentSettings(
        exploration=0.5, exploration_decay=0.99, discount=0.95, learning_rate=0.5, target_update=10
    ),
    "classification": AgentSettings(
        exploration=0.9, exploration_decay=0.98, discount=0.99, learning_rate=0.9, target_update=10
    ),
}
PAPER_MIM_TARGET_UPDATE = {"regression": 5}  # MIM's target network on regression
PAPER_EPOCHS = {"regression": 30, "classification": 50}
PAPER_BATCH_SIZE = 64
PAPER_MIM_WEIGHT = {"regression": 1.0, "classification": 0.5}  # regression: not stated, 1

Options = TypeVar("Options", bound=Strict)


def resolved(options: Options, task: Task) -> Options:
    """A sampler's options with the paper's values filled in where they say ``paper`` / null:
    the agent for the task's objective, MIM's target period and information weight."""
    update: dict[str, object] = {}
    if isinstance(options, QLearningOptions) and options.agent == "paper":
        agent = PAPER_AGENT[task.objective]
        if isinstance(options, MIMOptions) and task.objective in PAPER_MIM_TARGET_UPDATE:
            target = PAPER_MIM_TARGET_UPDATE[task.objective]
            agent = agent.model_copy(update={"target_update": target})
        update["agent"] = agent
    if isinstance(options, MIMOptions) and options.weight is None:
        update["weight"] = PAPER_MIM_WEIGHT[task.objective]
    return options.model_copy(update=update)


def epochs(tune: TuneSettings, task: Task) -> int:
    return tune.epochs or PAPER_EPOCHS[task.objective]
