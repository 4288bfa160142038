"""The source paper's tuner settings (Tables 1 and 2), by objective."""

from __future__ import annotations

from gaitops.settings.tune import AgentParams, TuneSettings
from gaitops.tasks import Task
from gaitops.tuning.agent import AgentSettings

# Regression (SDNN): exploration 0.5, decay 0.99, discount 0.95, Q learning rate 0.5, target
# table every 10 (Q-learning) / 5 (MIM) epochs, 30 epochs, batch 64. Classification (DFFN):
# 0.9, 0.98, 0.99, 0.9, every 10, 50 epochs, batch 64, MIM's information reward x 0.5.
PAPER_AGENT = {
    "regression": AgentParams(
        exploration=0.5, exploration_decay=0.99, discount=0.95, learning_rate=0.5, target_update=10
    ),
    "classification": AgentParams(
        exploration=0.9, exploration_decay=0.98, discount=0.99, learning_rate=0.9, target_update=10
    ),
}
PAPER_EPOCHS = {"regression": 30, "classification": 50}
PAPER_BATCH_SIZE = 64
PAPER_MIM_WEIGHT = {"regression": 1.0, "classification": 0.5}  # regression: not stated, 1


def agent_settings(tune: TuneSettings, task: Task) -> AgentSettings:
    """The agent of `tune`: the paper's for the task's objective, or the one given."""
    params = PAPER_AGENT[task.objective] if tune.agent == "paper" else tune.agent
    if tune.agent == "paper" and tune.sampler.startswith("mim") and task.objective == "regression":
        params = params.model_copy(update={"target_update": 5})
    return AgentSettings(**params.model_dump())


def epochs(tune: TuneSettings, task: Task) -> int:
    return tune.epochs or PAPER_EPOCHS[task.objective]


def mim_weight(tune: TuneSettings, task: Task) -> float:
    return PAPER_MIM_WEIGHT[task.objective] if tune.mim_weight is None else tune.mim_weight
