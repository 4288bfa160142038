"""Build any gaitops model (input scaler included) from its stored spec.

A spec is a plain dict: architecture, input kind (curves / tabular), input size, number of
outputs and hyper-parameters. A saved model holds its spec, so it rebuilds without params.yaml.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from gaitops.models.components.scaling import MinMaxScale
from gaitops.models.components.standardise import GlobalStandardise, Standardise, Unscaled
from gaitops.models.registry import MODELS


def make_spec(
    architecture: str,
    inputs: int,
    outputs: int,
    time_points: int | None,
    hyper_parameters: dict[str, Any],
) -> dict[str, Any]:
    return {
        "architecture": architecture,
        "input_kind": "curves" if time_points is not None else "tabular",
        "inputs": inputs,
        "outputs": outputs,
        "time_points": time_points,
        "input_scaling": MODELS[architecture].input_scaling,
        "hyper_parameters": {
            k: list(v) if isinstance(v, tuple) else v for k, v in hyper_parameters.items()
        },
    }


CURVE_SCALERS = {"global": GlobalStandardise, "curve": Standardise, "raw": Unscaled}


def fit_input_scaler(spec: dict[str, Any], x_train: torch.Tensor) -> nn.Module:
    """The spec's input scaling, fitted on the training part only: curves standardised
    (``global`` or per ``curve``), rows min-max; a model that takes raw inputs gets a
    pass-through that still knows the training mean and spread (for explainers' baselines)."""
    if spec["input_kind"] == "curves":
        return CURVE_SCALERS[spec["input_scaling"]].fit(x_train)
    if spec["input_scaling"] == "raw":
        return MinMaxScale.passthrough(x_train)
    return MinMaxScale.fit(x_train)


def _placeholder_scaler(spec: dict[str, Any]) -> nn.Module:
    if spec["input_kind"] == "curves":
        kind = CURVE_SCALERS[spec["input_scaling"]]
        return kind(torch.zeros(spec["inputs"], spec["time_points"]), torch.ones(spec["inputs"]))
    return MinMaxScale.identity(spec["inputs"])


def build_network(spec: dict[str, Any], scaler: nn.Module | None = None) -> nn.Sequential:
    """Scaler then body; without a fitted scaler, a placeholder to load a state dict into."""
    body = MODELS[spec["architecture"]].build(spec)
    return nn.Sequential(scaler if scaler is not None else _placeholder_scaler(spec), body)
