"""What a tuner works on (`TuningProblem`), and one trial: a configuration of the search space
trained on the tuning split, scored on the validation subjects. Writes nothing; reports the
attributes the tuners' rewards read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import optuna
from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from torch import nn

from gaitops.data.dataset import GaitDataset
from gaitops.models.objective import TuningSplit, configure, evaluate_configuration
from gaitops.settings.models import OptimisationSettings
from gaitops.tasks import Task
from gaitops.tuning.mutual_information import Estimator, information_probe
from gaitops.tuning.space import SearchSpace


def suggest(trial: optuna.Trial, name: str, distribution: BaseDistribution) -> Any:
    """Ask `trial` for one parameter of a known distribution through the public API."""
    if isinstance(distribution, CategoricalDistribution):
        return trial.suggest_categorical(name, distribution.choices)
    if isinstance(distribution, IntDistribution):
        return trial.suggest_int(name, distribution.low, distribution.high, log=distribution.log)
    if isinstance(distribution, FloatDistribution):
        return trial.suggest_float(name, distribution.low, distribution.high, log=distribution.log)
    raise TypeError(f"unsupported distribution {distribution!r}")


@dataclass(frozen=True)
class TrialOutcome:
    value: float  # the task's headline metric on the validation subjects, best epoch
    validation_loss: float
    mutual_information: float
    epochs: int
    best_epoch: int | None


@dataclass(frozen=True)
class TuningProblem:
    """What a tuner works on: the task's data, the split, the model, its base settings, the
    space and the epochs per run; everything a trial needs besides its parameters."""

    data: GaitDataset
    task: Task
    split: TuningSplit
    architecture: str
    base: OptimisationSettings
    epochs: int
    space: SearchSpace
    mi_estimator: Estimator = "binned"
    mi_bins: int = 8
    mi_redundancy: bool = False

    def __post_init__(self) -> None:
        if self.task != self.data.task:
            raise ValueError(f"a {self.task.name} problem on {self.data.task.name} data")

    def run(self, params: dict[str, Any]) -> TrialOutcome:
        overrides = {**self.space.decode(params), "max_epochs": self.epochs}
        settings = configure(self.base, overrides)
        fitted = evaluate_configuration(
            self.data, self.task, self.split, self.architecture, settings
        )
        information = self.information_probe(self.split.seed)(fitted.network)
        # No best epoch: the validation loss was never finite (e.g. a validation class absent
        # from the fit part has weight 0): the last epoch stands, with no loss reward.
        last = fitted.history[-1]
        metric = fitted.best_validation_metric
        loss = fitted.best_validation_loss
        return TrialOutcome(
            value=float(last.validation_metric if metric is None else metric),
            validation_loss=float("nan") if loss is None else float(loss),
            mutual_information=information,
            epochs=fitted.epochs,
            best_epoch=fitted.best_epoch,
        )

    def information_probe(self, seed: int) -> Callable[[nn.Module], float]:
        """network -> the information its penultimate layer holds on the validation subjects."""
        validation = self.split.validation_index
        return information_probe(
            self.data.x[validation],
            self.data.y[validation],
            self.task.is_classification,
            self.mi_estimator,
            self.mi_bins,
            seed,
            self.mi_redundancy,
        )

    def __call__(self, trial: optuna.Trial) -> float:
        """An Optuna objective (maximised)."""
        params = {name: suggest(trial, name, d) for name, d in self.space.distributions.items()}
        return record(trial, self.run(params))


def record(trial: optuna.Trial, outcome: TrialOutcome) -> float:
    """Store the outcome's attributes on the trial; return its value."""
    trial.set_user_attr("validation_loss", outcome.validation_loss)
    trial.set_user_attr("mutual_information", outcome.mutual_information)
    trial.set_user_attr("epochs", outcome.epochs)
    trial.set_user_attr("best_epoch", outcome.best_epoch)
    return outcome.value
