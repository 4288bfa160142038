"""The one Lightning module: any network, classification or regression, optimiser from config."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytorch_lightning as pl
import torch
from torch import Tensor, nn

from gaitops.models.optim import configure_optimisation
from gaitops.settings.models import OptimisationSettings
from gaitops.tasks import Objective

# (true targets, model outputs: probabilities or values) -> a validation score
ValidationMetric = Callable[[np.ndarray, np.ndarray], float]


class SupervisedModule(pl.LightningModule):
    """Weighted cross-entropy (classification) or variance-normalised MSE (regression, degrees).

    After each validation epoch ``last_validation_metric`` holds ``validation_metric`` of the
    epoch's validation outputs (classification: probabilities), when one is given.
    """

    def __init__(
        self,
        network: nn.Module,
        objective: Objective,
        optimisation: OptimisationSettings,
        class_weights: Tensor | None = None,
        target_variance: float = 1.0,
        validation_metric: ValidationMetric | None = None,
    ) -> None:
        super().__init__()
        if objective not in ("classification", "regression"):
            raise ValueError(f"objective must be classification or regression, got {objective!r}")
        self.network = network
        self.objective = objective
        self.optimisation = optimisation
        self.register_buffer(
            "class_weights", class_weights.float() if class_weights is not None else None
        )
        self.target_variance = max(float(target_variance), 1e-12)
        self.validation_metric = validation_metric
        self.last_validation_metric: float | None = None
        self._validation_parts: list[tuple[Tensor, Tensor]] = []

    def forward(self, x: Tensor) -> Tensor:
        return self.network(x)

    def _loss(self, output: Tensor, y: Tensor) -> Tensor:
        if self.objective == "classification":
            return nn.functional.cross_entropy(output, y, weight=self.class_weights)
        return nn.functional.mse_loss(output, y) / self.target_variance

    def model_step(self, batch: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor]:
        x, y = batch
        output = self(x)
        return self._loss(output, y), output

    def training_step(self, batch: tuple[Tensor, Tensor], batch_idx: int) -> Tensor:
        loss, _ = self.model_step(batch)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch: tuple[Tensor, Tensor], batch_idx: int) -> Tensor:
        loss, output = self.model_step(batch)
        self.log("val_loss", loss, on_step=False, on_epoch=True, batch_size=len(batch[1]))
        if self.validation_metric is not None:
            self._validation_parts.append((batch[1].detach(), output.detach()))
        return loss

    def on_validation_epoch_end(self) -> None:
        if self.validation_metric is None or not self._validation_parts:
            return
        truth = torch.cat([y for y, _ in self._validation_parts]).numpy()
        outputs = torch.cat([o for _, o in self._validation_parts])
        if self.objective == "classification":
            outputs = torch.softmax(outputs, dim=1)
        self.last_validation_metric = float(self.validation_metric(truth, outputs.numpy()))
        self._validation_parts = []

    def configure_optimizers(self) -> Any:
        return configure_optimisation(self.parameters(), self.optimisation)
