"""Keep the weights of the epoch with the lowest validation loss, in memory, and restore them."""

from __future__ import annotations

import pytorch_lightning as pl
import torch


class BestWeights(pl.Callback):
    """After fitting, the module holds the weights of its best validation epoch."""

    def __init__(self, monitor: str = "val_loss") -> None:
        self.monitor = monitor
        self.best_loss = float("inf")
        self.best_epoch: int | None = None
        self._state: dict[str, torch.Tensor] | None = None

    def on_validation_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.sanity_checking:
            return
        loss = float(trainer.callback_metrics[self.monitor])
        if loss < self.best_loss:
            self.best_loss = loss
            self.best_epoch = trainer.current_epoch
            self._state = {k: v.detach().clone() for k, v in pl_module.state_dict().items()}

    def on_fit_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if self._state is not None:
            pl_module.load_state_dict(self._state)
