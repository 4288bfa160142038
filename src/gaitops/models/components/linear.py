"""A linear model on the scaled, flattened inputs: the first baseline every model must beat.

Written in torch so every explainer applies to it; its weights come from a closed-form fit
(scikit-learn's logistic or ridge regression, see ``models.closed_form``), not from SGD.
"""

from __future__ import annotations

from pydantic import Field
from torch import Tensor, nn

from gaitops.settings.models import ClosedFormSettings


class LinearSettings(ClosedFormSettings):
    C: float = Field(0.01, gt=0)  # classification: logistic regression's inverse L2 strength
    alpha: float = Field(1.0, gt=0)  # regression: ridge's L2 strength


class LinearModel(nn.Module):
    """Flatten (channels x time, or features) then one linear layer: logits or a value."""

    def __init__(self, inputs: int, outputs: int, time_points: int | None = None) -> None:
        super().__init__()
        self.flatten = nn.Flatten()
        self.head = nn.Linear(inputs * (time_points or 1), outputs)
        self.regression = outputs == 1 and time_points is None

    def forward(self, x: Tensor) -> Tensor:
        out = self.head(self.flatten(x))
        return out.squeeze(-1) if self.regression else out
