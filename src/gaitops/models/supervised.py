"""The one Lightning module: any network, classification or regression, optional lr decay."""

from __future__ import annotations

from typing import Any

import pytorch_lightning as pl
import torch
from torch import Tensor, nn


class SupervisedModule(pl.LightningModule):
    """Weighted cross-entropy (classification) or variance-normalised MSE (regression, degrees)."""

    def __init__(
        self,
        network: nn.Module,
        objective: str,
        learning_rate: float,
        weight_decay: float = 0.0,
        class_weights: Tensor | None = None,
        target_variance: float = 1.0,
        decay_steps: int | None = None,
        decay_rate: float = 1.0,
    ) -> None:
        super().__init__()
        if objective not in ("classification", "regression"):
            raise ValueError(f"objective must be classification or regression, got {objective!r}")
        self.network = network
        self.objective = objective
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.register_buffer(
            "class_weights", class_weights.float() if class_weights is not None else None
        )
        self.target_variance = max(float(target_variance), 1e-12)
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate

    def forward(self, x: Tensor) -> Tensor:
        return self.network(x)

    def model_step(self, batch: tuple[Tensor, Tensor]) -> Tensor:
        x, y = batch
        output = self(x)
        if self.objective == "classification":
            return nn.functional.cross_entropy(output, y, weight=self.class_weights)
        return nn.functional.mse_loss(output, y) / self.target_variance

    def training_step(self, batch: tuple[Tensor, Tensor], batch_idx: int) -> Tensor:
        loss = self.model_step(batch)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch: tuple[Tensor, Tensor], batch_idx: int) -> Tensor:
        loss = self.model_step(batch)
        self.log("val_loss", loss, on_step=False, on_epoch=True, batch_size=len(batch[1]))
        return loss

    def configure_optimizers(self) -> Any:
        optimiser = torch.optim.Adam(
            self.parameters(), lr=self.learning_rate, weight_decay=self.weight_decay
        )
        if self.decay_steps is None:
            return optimiser
        steps, rate = self.decay_steps, self.decay_rate
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda step: rate ** (step // steps)
        )
        return {"optimizer": optimiser, "lr_scheduler": {"scheduler": schedule, "interval": "step"}}
