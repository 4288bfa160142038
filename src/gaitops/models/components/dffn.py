"""The deep feature-factorisation classifier (DFFN) of the source paper.

A factorisation layer projects the sparse one-hot inputs to dense factors; an interaction
tower (256-128-64) learns feature interactions from the factors while a non-linear tower
(128-64) reads the raw inputs; both are concatenated, dropped out and classified (logits;
softmax in the loss and at prediction).
"""

from __future__ import annotations

import torch
from pydantic import Field
from torch import Tensor, nn

from gaitops.settings.models import OptimisationSettings, StaircaseDecay


class DFFNSettings(OptimisationSettings):
    learning_rate: float = Field(1e-4, gt=0)
    weight_decay: float = Field(0.0, ge=0)
    batch_size: int = Field(256, ge=1)
    max_epochs: int = Field(15, ge=1)
    factorisation: int = Field(512, ge=4)
    interaction: tuple[int, ...] = (256, 128, 64)
    nonlinear: tuple[int, ...] = (128, 64)
    dropout: float = Field(0.4, ge=0, lt=1)
    lr_decay: StaircaseDecay | None = Field(default_factory=StaircaseDecay)  # the paper's schedule


def _tower(width_in: int, widths: list[int], dropout: float) -> tuple[nn.Sequential, int]:
    layers: list[nn.Module] = []
    for width in widths:
        layers += [nn.Linear(width_in, width), nn.ReLU(), nn.Dropout(dropout)]
        width_in = width
    return nn.Sequential(*layers), width_in


class DFFN(nn.Module):
    def __init__(
        self,
        in_features: int,
        n_classes: int,
        *,
        factorisation: int,
        interaction: tuple[int, ...],
        nonlinear: tuple[int, ...],
        dropout: float,
    ) -> None:
        super().__init__()
        self.factorisation = nn.Linear(in_features, factorisation)
        self.interaction, interaction_out = _tower(factorisation, list(interaction), dropout)
        self.nonlinear, nonlinear_out = _tower(in_features, list(nonlinear), dropout)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(interaction_out + nonlinear_out, n_classes)

    def forward(self, x: Tensor) -> Tensor:
        factors = torch.relu(self.factorisation(x))
        joined = torch.cat([self.interaction(factors), self.nonlinear(x)], dim=1)
        return self.classifier(self.dropout(joined))
