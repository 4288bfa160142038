"""The `train` section: task, label, model, baselines, inputs and the split protocol."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from gaitops.settings.base import Strict
from gaitops.tasks import TASKS

TaskName = Literal["group_classification", "angle_regression", "joint_classification"]

ProtocolName = Literal["subject_kfold", "loso", "paper"]


class TrainSettings(Strict):
    task: TaskName = "group_classification"
    hyperparameters: Literal["params", "tuned"] = "params"  # tuned: data/tuning/best_params.json
    label: Literal["group", "condition"] = "group"
    channels: Literal["all"] | list[str] = "all"
    # a registered model that does the task (gaitops.models.registry), checked when a stage that
    # trains starts and when `gaitops run` starts; multirocket: the best on fgdi and synthetic
    # cohorts (docs/results/models.md)
    model: str = "multirocket"
    protocol: ProtocolName = "subject_kfold"
    folds: int = Field(5, ge=2)
    seed: int = 42
    paper_test_fraction: float = Field(0.3, gt=0, lt=1)
    paper_seed: int = 42
    validation_fraction: float = Field(0.2, ge=0.0, lt=0.5)
    keep_epoch: Literal["last", "best"] = (
        "last"  # best: lowest loss on validation_fraction's subjects
    )
    # true: the task's baselines run on the same folds beside the model; a list: these; false: none
    baselines: bool | list[str] = True
    inputs: Literal["angles", "shape"] = "angles"  # shape: each curve's own mean removed

    @model_validator(mode="after")
    def _inputs_fit_task(self) -> TrainSettings:
        if self.inputs == "shape" and TASKS[self.task].input_kind != "curves":
            raise ValueError(f"inputs: shape applies to curve tasks, not {self.task}")
        return self

    def selection_fraction(self) -> float:
        """The share of a fold's training subjects held out to choose its epoch (0: keep the
        last epoch, trained on every training subject)."""
        return self.validation_fraction if self.keep_epoch == "best" else 0.0

    def baseline_models(self) -> list[str]:
        """The baselines that run beside the chosen model (never the model itself)."""
        chosen = (
            list(TASKS[self.task].baselines) if self.baselines is True else self.baselines or []
        )
        return [m for m in chosen if m != self.model]
