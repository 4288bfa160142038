"""The stochastic-depth regressor (SDNN) of the source paper.

An input projection, residual blocks of ReLU units (optionally with dropout, as the paper's
tuner sets it) whose residual branch survives each
training batch with probability ``survival_probability`` (Huang et al. 2016; inverted
scaling, so evaluation uses every block unscaled), and a linear output.
"""

from __future__ import annotations

import torch
from pydantic import Field
from torch import Tensor, nn

from gaitops.settings.models import OptimisationSettings


class SDNNSettings(OptimisationSettings):
    learning_rate: float = Field(1e-3, gt=0)
    weight_decay: float = Field(0.0, ge=0)
    batch_size: int = Field(256, ge=1)
    max_epochs: int = Field(15, ge=1)
    width: int = Field(32, ge=4)
    blocks: int = Field(5, ge=1)
    survival_probability: float = Field(0.8, gt=0, le=1)
    dropout: float = Field(
        0.0, ge=0, lt=1
    )  # inside each residual branch (the paper's tuner sets it)


class StochasticDepthBlock(nn.Module):
    """x + branch(x); in training the branch is dropped for the whole batch with prob. 1 - p."""

    def __init__(self, width: int, survival_probability: float, dropout: float = 0.0) -> None:
        super().__init__()
        if not 0.0 < survival_probability <= 1.0:
            raise ValueError(f"survival_probability must be in (0, 1], got {survival_probability}")
        self.survival_probability = survival_probability
        hidden: list[nn.Module] = [nn.Linear(width, width), nn.ReLU()]
        if dropout > 0:  # no module at 0, so the default network draws no extra random numbers
            hidden.append(nn.Dropout(dropout))
        self.branch = nn.Sequential(*hidden, nn.Linear(width, width))
        self.activation = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        if not self.training:
            return self.activation(x + self.branch(x))
        if torch.rand(()) >= self.survival_probability:
            return x  # block skipped for this batch
        return self.activation(x + self.branch(x) / self.survival_probability)


class SDNN(nn.Module):
    def __init__(
        self,
        in_features: int,
        *,
        width: int,
        blocks: int,
        survival_probability: float,
        dropout: float,
    ) -> None:
        super().__init__()
        self.input = nn.Sequential(nn.Linear(in_features, width), nn.ReLU())
        self.blocks = nn.Sequential(
            *[StochasticDepthBlock(width, survival_probability, dropout) for _ in range(blocks)]
        )
        self.output = nn.Linear(width, 1)

    def forward(self, x: Tensor) -> Tensor:
        return self.output(self.blocks(self.input(x))).squeeze(-1)
