"""The Lightning module that trains any curve-classifier network with weighted cross-entropy."""

from __future__ import annotations

import pytorch_lightning as pl
import torch
from torch import Tensor, nn


class CurveClassifier(pl.LightningModule):
    """Thin Lightning wrapper: one `model_step`, class weights for imbalanced groups."""

    def __init__(
        self, network: nn.Module, class_weights: Tensor, learning_rate: float, weight_decay: float
    ) -> None:
        super().__init__()
        self.network = network
        self.register_buffer("class_weights", class_weights.float())
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay

    def forward(self, x: Tensor) -> Tensor:
        return self.network(x)

    def model_step(self, batch: tuple[Tensor, Tensor]) -> Tensor:
        x, y = batch
        return nn.functional.cross_entropy(self(x), y, weight=self.class_weights)

    def training_step(self, batch: tuple[Tensor, Tensor], batch_idx: int) -> Tensor:
        loss = self.model_step(batch)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.AdamW(
            self.parameters(), lr=self.learning_rate, weight_decay=self.weight_decay
        )
