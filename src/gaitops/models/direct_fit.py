"""Fit the baselines without epochs: closed-form linear models whose weights are copied into
their torch layers, and fitted estimators (aeon's ROCKET family, gradient boosting).

Every fit is deterministic given its seed and sees only the fit part (scaler included).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LogisticRegression, Ridge, RidgeClassifierCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from torch import nn

from gaitops.errors import ConfigError
from gaitops.models.components.fitted_estimator import FittedEstimator
from gaitops.models.components.summary import summary_features
from gaitops.models.factory import build_network, fit_input_scaler
from gaitops.models.registry import MODELS

MAX_ITERATIONS = 5000  # lbfgs iterations of the logistic regressions


def fit_direct(
    x: np.ndarray,
    y: np.ndarray,
    n_classes: int | None,
    spec: dict[str, Any],
    seed: int,
) -> nn.Sequential:
    """The fitted model (input scaler, body) for `spec` on the fit part (x, y)."""
    network = build_network(spec, fit_input_scaler(spec, torch.from_numpy(x)))
    name, options = spec["architecture"], spec["hyper_parameters"]
    if MODELS[name].fitting == "estimator":
        estimator = make_estimator(name, options, n_classes is not None, seed).fit(x, y)
        network[1] = FittedEstimator(n_classes is not None, estimator)
    elif name == "summary_logistic":
        _fit_summary(network[1], torch.from_numpy(x), y, n_classes or 2, options, seed)
    else:
        with torch.no_grad():
            features = network[0](torch.from_numpy(x)).flatten(1).double().numpy()
        _fit_head(network[1].head, features, y, n_classes, options, seed)
    return network.eval()


def _fit_head(
    head: nn.Linear,
    features: np.ndarray,
    y: np.ndarray,
    n_classes: int | None,
    options: dict[str, Any],
    seed: int,
) -> None:
    if n_classes is None:
        ridge = Ridge(alpha=options["alpha"]).fit(features, y)
        weight, bias = ridge.coef_[None, :], np.atleast_1d(ridge.intercept_)
    else:
        weight, bias = _logistic_weights(features, y, n_classes, options["C"], seed)
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(weight))
        head.bias.copy_(torch.from_numpy(bias))


def _logistic_weights(
    features: np.ndarray, y: np.ndarray, n_classes: int, c: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Class-balanced logistic regression as (classes, features) weights and (classes,) biases;
    a class absent from the fit part gets a logit it can never win with."""
    model = LogisticRegression(
        C=c, class_weight="balanced", max_iter=MAX_ITERATIONS, random_state=seed
    ).fit(features, y)
    weight = np.zeros((n_classes, features.shape[1]))
    bias = np.full(n_classes, -1e4)
    if len(model.classes_) == 2:  # one decision function: logits (0, w·x + b)
        weight[model.classes_[1]], bias[model.classes_[1]] = model.coef_[0], model.intercept_[0]
        bias[model.classes_[0]] = 0.0
    else:
        weight[model.classes_], bias[model.classes_] = model.coef_, model.intercept_
    return weight, bias


def _fit_summary(
    body: nn.Module,
    x: torch.Tensor,
    y: np.ndarray,
    n_classes: int,
    options: dict[str, Any],
    seed: int,
) -> None:
    features = summary_features(x).double()
    mean, scale = features.mean(dim=0), features.std(dim=0).clamp_min(1e-6)
    with torch.no_grad():
        body.feature_mean.copy_(mean)
        body.feature_scale.copy_(scale)
    standardised = ((features - mean) / scale).numpy()
    weight, bias = _logistic_weights(standardised, y, n_classes, options["C"], seed)
    with torch.no_grad():
        body.head.weight.copy_(torch.from_numpy(weight))
        body.head.bias.copy_(torch.from_numpy(bias))


def make_estimator(name: str, options: dict[str, Any], classification: bool, seed: int) -> Any:
    """An unfitted, seeded estimator for a registered estimator model."""
    if name == "gradient_boosting":
        kind = HistGradientBoostingClassifier if classification else HistGradientBoostingRegressor
        extra = {"class_weight": "balanced"} if classification else {}
        return kind(random_state=seed, early_stopping=False, **options, **extra)
    return Pipeline(
        [
            ("features", _rocket(name, options["kernels"], seed)),
            ("scale", StandardScaler()),
            ("ridge", RidgeClassifierCV(alphas=np.logspace(-3, 3, 10), class_weight="balanced")),
        ]
    )


def _rocket(name: str, kernels: int, seed: int) -> Any:
    try:
        from aeon.transformations.collection.convolution_based import MiniRocket, MultiRocket
    except ImportError as exc:  # pragma: no cover - make install installs aeon
        raise ConfigError(
            f"train.model {name} needs aeon: run `make install` (it installs aeon)."
        ) from exc
    kind = MiniRocket if name == "minirocket" else MultiRocket
    return kind(n_kernels=kernels, random_state=seed)
