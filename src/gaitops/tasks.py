"""What a task is, in one place: its input kind, objective, headline metric, baselines and inputs.

Every other module asks the task (``task.objective``, ``task.input_kind``…) instead of comparing
task names; explainers and scores declare the input kinds and objectives they apply to, and
``applies_to`` matches them against a task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gaitops.errors import registered

InputKind = Literal["curves", "tabular"]
Objective = Literal["classification", "regression"]


@dataclass(frozen=True)
class Task:
    """One prediction task of gaitops."""

    name: str
    input_kind: InputKind
    objective: Objective
    headline_metric: str
    higher_is_better: bool
    description: str
    subject_level_vote: bool = False  # classification of whole subjects makes sense
    # run beside the chosen model on the same folds (train.baselines); every model that does the
    # task is in gaitops.models.registry (models_for)
    baselines: tuple[str, ...] = ()

    @property
    def is_classification(self) -> bool:
        return self.objective == "classification"


TASKS: dict[str, Task] = {
    "group_classification": Task(
        name="group_classification",
        input_kind="curves",
        objective="classification",
        headline_metric="balanced_accuracy",
        higher_is_better=True,
        description="a sample's joint-angle curves -> its group or condition",
        subject_level_vote=True,
        baselines=("linear", "summary_logistic", "minirocket", "multirocket"),
    ),
    "angle_regression": Task(
        name="angle_regression",
        input_kind="tabular",
        objective="regression",
        headline_metric="r2",
        higher_is_better=True,
        baselines=("linear", "gradient_boosting"),
        description="the source paper's SDNN: one-hot attributes and time -> angle (degrees)",
    ),
    "joint_classification": Task(
        name="joint_classification",
        input_kind="tabular",
        objective="classification",
        headline_metric="macro_f1",
        higher_is_better=True,
        baselines=("linear", "gradient_boosting"),
        description="the source paper's DFFN: attributes, time and angle -> joint",
    ),
}


def get_task(name: str) -> Task:
    """The task `name`; a ConfigError naming train.task when it is not registered."""
    return registered(TASKS, name, "train.task")


def applies_to(
    task: Task,
    input_kinds: frozenset[str] | tuple[str, ...],
    objectives: frozenset[str] | tuple[str, ...],
) -> bool:
    """Whether a component declared for these input kinds and objectives fits `task`."""
    return task.input_kind in input_kinds and task.objective in objectives
