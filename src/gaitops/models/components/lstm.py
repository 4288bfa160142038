"""An LSTM curve classifier: the gait cycle read as a sequence of channel vectors."""

from __future__ import annotations

from pydantic import Field
from torch import Tensor, nn

from gaitops.settings.models import OptimisationSettings


class LSTMSettings(OptimisationSettings):
    hidden: int = Field(64, ge=4)
    layers: int = Field(1, ge=1)
    bidirectional: bool = True


class LSTMClassifier(nn.Module):
    def __init__(
        self,
        in_channels: int,
        n_classes: int,
        *,
        hidden: int,
        layers: int,
        bidirectional: bool,
    ) -> None:
        super().__init__()
        self.lstm = nn.LSTM(
            in_channels, hidden, num_layers=layers, batch_first=True, bidirectional=bidirectional
        )
        self.head = nn.Linear(hidden * (2 if bidirectional else 1), n_classes)

    def forward(self, x: Tensor) -> Tensor:
        sequence, _ = self.lstm(x.transpose(1, 2))  # (batch, time, channels)
        return self.head(sequence.mean(dim=1))
