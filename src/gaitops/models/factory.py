"""Build any gaitops network (input scaling included) from its stored spec.

A spec is a plain dict: architecture, input kind (curves / tabular), input size, number of
outputs and hyper-parameters. A saved model holds its spec, so it rebuilds without params.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from gaitops.models.components.dffn import DFFN
from gaitops.models.components.inception_time import InceptionTime
from gaitops.models.components.lstm import LSTMClassifier
from gaitops.models.components.mlp import MLPClassifier
from gaitops.models.components.resnet1d import ResNet1D
from gaitops.models.components.scaling import MinMaxScale
from gaitops.models.components.sdnn import SDNN
from gaitops.models.components.standardise import Standardise

Builder = Callable[[dict[str, Any]], nn.Module]

ARCHITECTURES: dict[str, tuple[str, Builder]] = {
    "resnet1d": ("curves", lambda s: ResNet1D(s["inputs"], s["outputs"], **s["hyper_parameters"])),
    "lstm": (
        "curves",
        lambda s: LSTMClassifier(s["inputs"], s["outputs"], **s["hyper_parameters"]),
    ),
    "inception_time": (
        "curves",
        lambda s: InceptionTime(s["inputs"], s["outputs"], **s["hyper_parameters"]),
    ),
    "mlp": (
        "curves",
        lambda s: MLPClassifier(
            s["inputs"], s["outputs"], s["time_points"], **s["hyper_parameters"]
        ),
    ),
    "sdnn": ("tabular", lambda s: SDNN(s["inputs"], **s["hyper_parameters"])),
    "dffn": ("tabular", lambda s: DFFN(s["inputs"], s["outputs"], **s["hyper_parameters"])),
}


def make_spec(
    architecture: str,
    inputs: int,
    outputs: int,
    time_points: int | None,
    hyper_parameters: dict[str, Any],
) -> dict[str, Any]:
    return {
        "architecture": architecture,
        "input_kind": ARCHITECTURES[architecture][0],
        "inputs": inputs,
        "outputs": outputs,
        "time_points": time_points,
        "hyper_parameters": {
            k: list(v) if isinstance(v, tuple) else v for k, v in hyper_parameters.items()
        },
    }


def fit_input_scaler(spec: dict[str, Any], x_train: torch.Tensor) -> nn.Module:
    """Standardise curves / min-max tabular features, from the training part only."""
    return Standardise.fit(x_train) if spec["input_kind"] == "curves" else MinMaxScale.fit(x_train)


def _placeholder_scaler(spec: dict[str, Any]) -> nn.Module:
    if spec["input_kind"] == "curves":
        return Standardise(
            torch.zeros(spec["inputs"], spec["time_points"]), torch.ones(spec["inputs"])
        )
    return MinMaxScale.identity(spec["inputs"])


def build_network(spec: dict[str, Any], scaler: nn.Module | None = None) -> nn.Sequential:
    """Scaler then body; without a fitted scaler, a placeholder to load a state dict into."""
    body = ARCHITECTURES[spec["architecture"]][1](spec)
    return nn.Sequential(scaler if scaler is not None else _placeholder_scaler(spec), body)
