"""A multilayer perceptron on the flattened curves: the baseline the curve models must beat."""

from __future__ import annotations

from pydantic import Field
from torch import Tensor, nn

from gaitops.settings.models import OptimisationSettings


class MLPSettings(OptimisationSettings):
    learning_rate: float = Field(1e-3, gt=0)
    hidden: tuple[int, ...] = (256, 128)
    dropout: float = Field(0.3, ge=0, lt=1)


class MLPClassifier(nn.Module):
    def __init__(
        self,
        in_channels: int,
        n_classes: int,
        time_points: int,
        *,
        hidden: tuple[int, ...],
        dropout: float,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Flatten()]
        width = in_channels * time_points
        for size in hidden:
            layers += [nn.Linear(width, size), nn.ReLU(), nn.Dropout(dropout)]
            width = size
        layers.append(nn.Linear(width, n_classes))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.layers(x)
