"""Per-epoch record of a fit: training loss, validation loss and the validation metric."""

from __future__ import annotations

from dataclasses import dataclass

import pytorch_lightning as pl


@dataclass(frozen=True)
class EpochRecord:
    epoch: int
    train_loss: float
    validation_loss: float | None
    validation_metric: float | None  # the task's headline metric on the validation part


class EpochHistory(pl.Callback):
    """Collects one EpochRecord per training epoch."""

    def __init__(self) -> None:
        self.records: list[EpochRecord] = []

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        metrics = trainer.callback_metrics
        validation_loss = metrics.get("val_loss")
        self.records.append(
            EpochRecord(
                epoch=trainer.current_epoch,
                train_loss=float(metrics["train_loss"]),
                validation_loss=None if validation_loss is None else float(validation_loss),
                validation_metric=getattr(pl_module, "last_validation_metric", None),
            )
        )
