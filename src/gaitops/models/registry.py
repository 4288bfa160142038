"""Every model gaitops trains, as a descriptor: what it applies to, how it is fitted, whether
gradients reach its inputs, and how its body is built from a stored spec.

Adding a model is one component file plus one line here (and its settings section). Deep
networks are fitted by gradient descent through Lightning; the baselines in closed form
(scikit-learn's solvers, weights copied into a torch layer) or as a fitted estimator (aeon's
ROCKET family, gradient boosting) behind a torch forward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from torch import nn

from gaitops.errors import ConfigError
from gaitops.models.components.dffn import DFFN
from gaitops.models.components.fitted_estimator import FittedEstimator
from gaitops.models.components.inception_time import InceptionTime
from gaitops.models.components.linear import LinearModel
from gaitops.models.components.lstm import LSTMClassifier
from gaitops.models.components.mlp import MLPClassifier
from gaitops.models.components.resnet1d import ResNet1D
from gaitops.models.components.sdnn import SDNN
from gaitops.models.components.summary import SummaryLogistic

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
    # curves: "global" (one mean and sd over all channels and points), "curve" (minus the mean
    # curve, per-channel sd) or "raw" (the body scales its own features); rows: min-max unless raw
    input_scaling: Literal["global", "curve", "raw"] = "global"
    differentiable: bool = True  # gradients reach the inputs: gradient explainers apply


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
        ),
        ModelDescriptor(
            "lstm",
            "bidirectional LSTM over the gait cycle",
            "deep",
            "gradient",
            CURVES,
            CLASSIFICATION,
            lambda s: LSTMClassifier(s["inputs"], s["outputs"], **_hp(s)),
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
        ),
        ModelDescriptor(
            "mlp",
            "multilayer perceptron on the flattened curves",
            "deep",
            "gradient",
            CURVES,
            CLASSIFICATION,
            lambda s: MLPClassifier(s["inputs"], s["outputs"], s["time_points"], **_hp(s)),
        ),
        ModelDescriptor(
            "sdnn",
            "the source paper's stochastic-depth regressor",
            "paper",
            "gradient",
            TABULAR,
            frozenset({"regression"}),
            lambda s: SDNN(s["inputs"], **_hp(s)),
        ),
        ModelDescriptor(
            "dffn",
            "the source paper's feature-factorisation classifier",
            "paper",
            "gradient",
            TABULAR,
            CLASSIFICATION,
            lambda s: DFFN(s["inputs"], s["outputs"], **_hp(s)),
        ),
        ModelDescriptor(
            "linear",
            "linear model on the standardised inputs (logistic or ridge regression, in torch)",
            "linear",
            "closed_form",
            BOTH_KINDS,
            BOTH_OBJECTIVES,
            lambda s: LinearModel(s["inputs"], s["outputs"], s["time_points"]),
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
            input_scaling="raw",
            differentiable=False,
        ),
    )
}


def get_model(name: str) -> ModelDescriptor:
    try:
        return MODELS[name]
    except KeyError:
        raise ConfigError(f"train.model: {name!r} is not one of {sorted(MODELS)}.") from None
