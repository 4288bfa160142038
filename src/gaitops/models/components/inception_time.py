"""InceptionTime (Fawaz et al. 2020) for multichannel gait curves.

Inception modules: a bottleneck, parallel convolutions of several lengths and a max-pool
branch, concatenated; a residual shortcut every three modules; global average pooling.
"""

from __future__ import annotations

import torch
from pydantic import Field
from torch import Tensor, nn

from gaitops.settings.models import OptimisationSettings


class InceptionTimeSettings(OptimisationSettings):
    filters: int = Field(16, ge=4)
    depth: int = Field(3, ge=1)
    kernel_sizes: tuple[int, ...] = (9, 19, 39)


class InceptionModule(nn.Module):
    def __init__(self, in_channels: int, filters: int, kernel_sizes: tuple[int, ...]) -> None:
        super().__init__()
        self.bottleneck = (
            nn.Conv1d(in_channels, filters, 1, bias=False) if in_channels > 1 else nn.Identity()
        )
        width = filters if in_channels > 1 else in_channels
        self.convolutions = nn.ModuleList(
            nn.Conv1d(width, filters, k, padding=k // 2, bias=False) for k in kernel_sizes
        )
        self.pool_branch = nn.Sequential(
            nn.MaxPool1d(3, stride=1, padding=1), nn.Conv1d(in_channels, filters, 1, bias=False)
        )
        self.norm = nn.BatchNorm1d(filters * (len(kernel_sizes) + 1))
        self.activation = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        reduced = self.bottleneck(x)
        branches = [conv(reduced) for conv in self.convolutions] + [self.pool_branch(x)]
        return self.activation(self.norm(torch.cat(branches, dim=1)))


class InceptionTime(nn.Module):
    def __init__(
        self,
        in_channels: int,
        n_classes: int,
        *,
        filters: int,
        depth: int,
        kernel_sizes: tuple[int, ...],
    ) -> None:
        super().__init__()
        out_width = filters * (len(kernel_sizes) + 1)
        self.modules_ = nn.ModuleList()
        self.shortcuts = nn.ModuleList()
        width = in_channels
        residual_width = in_channels
        for index in range(depth):
            self.modules_.append(InceptionModule(width, filters, tuple(kernel_sizes)))
            width = out_width
            if index % 3 == 2:
                self.shortcuts.append(
                    nn.Sequential(
                        nn.Conv1d(residual_width, out_width, 1, bias=False),
                        nn.BatchNorm1d(out_width),
                    )
                )
                residual_width = out_width
        self.activation = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.head = nn.Linear(out_width, n_classes)

    def forward(self, x: Tensor) -> Tensor:
        residual = x
        for index, module in enumerate(self.modules_):
            x = module(x)
            if index % 3 == 2:
                x = self.activation(x + self.shortcuts[index // 3](residual))
                residual = x
        return self.head(self.pool(x).squeeze(-1))
