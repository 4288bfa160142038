"""Build a curve classifier network (standardisation included) from its stored spec."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from gaitops.models.components.resnet1d import ResNet1D
from gaitops.models.components.standardise import Standardise

ARCHITECTURES: dict[str, type[nn.Module]] = {"resnet1d": ResNet1D}


def build_network(spec: dict[str, Any], standardise: Standardise | None = None) -> nn.Sequential:
    """``spec``: architecture, in_channels, n_classes, time_points and hyper-parameters."""
    architecture = ARCHITECTURES[spec["architecture"]]
    body = architecture(spec["in_channels"], spec["n_classes"], **spec["hyper_parameters"])
    if standardise is None:
        zeros = torch.zeros(spec["in_channels"], spec["time_points"])
        standardise = Standardise(zeros, torch.ones(spec["in_channels"]))
    return nn.Sequential(standardise, body)
