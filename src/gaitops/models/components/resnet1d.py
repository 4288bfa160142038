"""ResNet-1D for multichannel gait curves (after Wang et al. 2017, time-series ResNet)."""

from __future__ import annotations

from pydantic import Field
from torch import Tensor, nn

from gaitops.settings.models import OptimisationSettings


class ResNet1DSettings(OptimisationSettings):
    filters: int = Field(32, ge=4)
    blocks: int = Field(3, ge=1)
    kernel_size: int = Field(7, ge=3)


class ResidualBlock1d(nn.Module):
    """Two convolutions with batch norm and a (projected) identity shortcut."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int) -> None:
        super().__init__()
        padding = kernel_size // 2
        self.conv1 = nn.Conv1d(in_channels, out_channels, kernel_size, padding=padding, bias=False)
        self.bn1 = nn.BatchNorm1d(out_channels)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv1d(out_channels, out_channels, kernel_size, padding=padding, bias=False)
        self.bn2 = nn.BatchNorm1d(out_channels)
        self.shortcut: nn.Module = (
            nn.Identity()
            if in_channels == out_channels
            else nn.Sequential(
                nn.Conv1d(in_channels, out_channels, 1, bias=False), nn.BatchNorm1d(out_channels)
            )
        )
        self.relu2 = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu1(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu2(out + self.shortcut(x))


class ResNet1D(nn.Module):
    """Residual blocks, global average pooling over the cycle, a linear classifier."""

    def __init__(
        self,
        in_channels: int,
        n_classes: int,
        *,
        filters: int,
        blocks: int,
        kernel_size: int,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        width = in_channels
        for _ in range(blocks):
            layers.append(ResidualBlock1d(width, filters, kernel_size))
            width = filters
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.head = nn.Linear(filters, n_classes)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.pool(self.features(x)).squeeze(-1))
