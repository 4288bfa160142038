"""Every model gaitops trains, as a descriptor: what it applies to, how it is fitted, whether
gradients reach its inputs, and how its body is built from a stored spec.

Adding a model is one component file (the module and its options model) plus one descriptor
here, and its defaults in params.yaml (``models.NAME``; a test keeps them equal). Deep
networks are fitted by gradient descent through Lightning; the baselines in closed form
(scikit-learn's solvers, weights copied into a torch layer) or as a fitted estimator (aeon's
ROCKET family, gradient boosting) behind a torch forward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from torch import nn

from gaitops.errors import ConfigError, checked_options, registered
from gaitops.models.components.dffn import DFFN, DFFNSettings
from gaitops.models.components.fitted_estimator import (
    FittedEstimator,
    GradientBoostingSettings,
    MultiRocketSettings,
    RocketSettings,
)
from gaitops.models.components.inception_time import InceptionTime, InceptionTimeSettings
from gaitops.models.components.linear import LinearModel, LinearSettings
from gaitops.models.components.lstm import LSTMClassifier, LSTMSettings
from gaitops.models.components.mlp import MLPClassifier, MLPSettings
from gaitops.models.components.resnet1d import ResNet1D, ResNet1DSettings
from gaitops.models.components.sdnn import SDNN, SDNNSettings
from gaitops.models.components.summary import SummaryLogistic, SummaryLogisticSettings
from gaitops.settings.models import ClosedFormSettings, OptimisationSettings
from gaitops.tasks import Task, applies_to, get_task

if TYPE_CHECKING:
    from gaitops.config import Settings

ModelOptions = OptimisationSettings | ClosedFormSettings

Builder = Callable[[dict[str, Any]], nn.Module]
Fitting = Literal["gradient", "closed_form", "estimator"]
CURVES, TABULAR = frozenset({"curves"}), frozenset({"tabular"})
BOTH_KINDS = CURVES | TABULAR
CLASSIFICATION = frozenset({"classification"})
BOTH_OBJECTIVES = CLASSIFICATION | {"regression"}


@dataclass(frozen=True)
class ModelDescriptor:
    name: str
    description: str
    family: Literal["deep", "paper", "linear", "rocket", "trees"]
    fitting: Fitting
    input_kinds: frozenset[str]
    objectives: frozenset[str]
    build: Builder  # stored spec -> the body (after the input scaler)
    options: type[ModelOptions]  # its params.yaml section, models.NAME (defaults and checks)
    # curves: "global" (one mean and sd over all channels and points), "curve" (minus the mean
    # curve, per-channel sd) or "raw" (the body scales its own features); rows: min-max unless raw
    input_scaling: Literal["global", "curve", "raw"] = "global"
    differentiable: bool = True  # gradients reach the inputs: gradient explainers apply

    def applies_to(self, task: Task) -> bool:
        return applies_to(task, self.input_kinds, self.objectives)


def _hp(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["hyper_parameters"]


def _estimator(spec: dict[str, Any]) -> nn.Module:
    return FittedEstimator(classification=spec["outputs"] > 1)


MODELS: dict[str, ModelDescriptor] = {
    d.name: d
    for d in (
        ModelDescriptor(
            "resnet1d",
            "ResNet-1D: residual convolutions over the gait cycle",
            "deep",
            "gradient",
            CURVES,
            CLASSIFICATION,
            lambda s: ResNet1D(s["inputs"], s["outputs"], **_hp(s)),
            ResNet1DSettings,
        ),
        ModelDescriptor(
            "lstm",
            "bidirectional LSTM over the gait cycle",
            "deep",
            "gradient",
            CURVES,
            CLASSIFICATION,
            lambda s: LSTMClassifier(s["inputs"], s["outputs"], **_hp(s)),
            LSTMSettings,
            input_scaling="curve",  # global scaling did not help it (docs/results/models.md)
        ),
        ModelDescriptor(
            "inception_time",
            "InceptionTime: multi-scale convolutions",
            "deep",
            "gradient",
            CURVES,
            CLASSIFICATION,
            lambda s: InceptionTime(s["inputs"], s["outputs"], **_hp(s)),
            InceptionTimeSettings,
        ),
        ModelDescriptor(
            "mlp",
            "multilayer perceptron on the flattened curves",
            "deep",
            "gradient",
            CURVES,
            CLASSIFICATION,
            lambda s: MLPClassifier(s["inputs"], s["outputs"], s["time_points"], **_hp(s)),
            MLPSettings,
        ),
        ModelDescriptor(
            "sdnn",
            "the source paper's stochastic-depth regressor",
            "paper",
            "gradient",
            TABULAR,
            frozenset({"regression"}),
            lambda s: SDNN(s["inputs"], **_hp(s)),
            SDNNSettings,
        ),
        ModelDescriptor(
            "dffn",
            "the source paper's feature-factorisation classifier",
            "paper",
            "gradient",
            TABULAR,
            CLASSIFICATION,
            lambda s: DFFN(s["inputs"], s["outputs"], **_hp(s)),
            DFFNSettings,
        ),
        ModelDescriptor(
            "linear",
            "linear model on the standardised inputs (logistic or ridge regression, in torch)",
            "linear",
            "closed_form",
            BOTH_KINDS,
            BOTH_OBJECTIVES,
            lambda s: LinearModel(s["inputs"], s["outputs"], s["time_points"]),
            LinearSettings,
            input_scaling="curve",  # per-channel standardised curves, as the usual anchor
        ),
        ModelDescriptor(
            "summary_logistic",
            "logistic regression on range, mean, min and max of each curve (in torch)",
            "linear",
            "closed_form",
            CURVES,
            CLASSIFICATION,
            lambda s: SummaryLogistic(s["inputs"], s["outputs"]),
            SummaryLogisticSettings,
            input_scaling="raw",
        ),
        ModelDescriptor(
            "minirocket",
            "MiniRocket (aeon) features with a ridge classifier",
            "rocket",
            "estimator",
            CURVES,
            CLASSIFICATION,
            _estimator,
            RocketSettings,
            input_scaling="raw",
            differentiable=False,
        ),
        ModelDescriptor(
            "multirocket",
            "MultiRocket (aeon) features with a ridge classifier",
            "rocket",
            "estimator",
            CURVES,
            CLASSIFICATION,
            _estimator,
            MultiRocketSettings,
            input_scaling="raw",
            differentiable=False,
        ),
        ModelDescriptor(
            "gradient_boosting",
            "histogram gradient boosting (scikit-learn) on the rows",
            "trees",
            "estimator",
            TABULAR,
            BOTH_OBJECTIVES,
            _estimator,
            GradientBoostingSettings,
            input_scaling="raw",
            differentiable=False,
        ),
    )
}


def get_model(name: str, key: str = "train.model") -> ModelDescriptor:
    """The model `name`; a ConfigError naming `key` when it is not registered."""
    return registered(MODELS, name, key)


def models_for(task: Task) -> list[str]:
    """Every registered model that does `task`, in registry order."""
    return [name for name, model in MODELS.items() if model.applies_to(task)]


def model_options(settings: Settings, name: str | None = None) -> Any:
    """``models.NAME`` (default: ``train.model``'s) checked by the model's options model; the
    options model's defaults for whatever params.yaml leaves out."""
    name = name or settings.train.model
    given = dict(settings.models.get(name, {}))
    return checked_options(get_model(name).options, given, f"models.{name}", name)


def check_models(settings: Settings) -> None:
    """``train.model`` and each baseline are registered and do ``train.task``, and every
    ``models`` entry fits its model's options (the first problem as a ConfigError)."""
    task, train = get_task(settings.train.task), settings.train
    chosen = [("train.model", train.model)]
    if isinstance(train.baselines, list):
        chosen += [("train.baselines", name) for name in train.baselines]
    for key, name in chosen:
        if not get_model(name, key).applies_to(task):
            raise ConfigError(
                f"{key}: {name!r} does not do {task.name}; use one of {models_for(task)}."
            )
    for name in settings.models:
        get_model(name, "models")
        model_options(settings, name)
