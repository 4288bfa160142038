"""Per-epoch record and log of a fit: training loss, validation loss and the validation metric."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytorch_lightning as pl

log = logging.getLogger("gaitops")


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


class EpochLog(pl.Callback):
    """Logs each epoch's losses and validation metric as it ends (inside a Prefect task run the
    "gaitops" logger's records join that run's logs in the UI)."""

    def __init__(self, label: str, metric: str | None = None) -> None:
        self.label = label
        self.metric = metric

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        metrics = trainer.callback_metrics
        parts = [f"training loss {float(metrics['train_loss']):.4f}"]
        if (validation_loss := metrics.get("val_loss")) is not None:
            parts.append(f"validation loss {float(validation_loss):.4f}")
        if (value := getattr(pl_module, "last_validation_metric", None)) is not None:
            parts.append(f"validation {self.metric or 'metric'} {value:.4f}")
        log.info(
            "%s epoch %d/%d: %s",
            self.label,
            trainer.current_epoch + 1,
            trainer.max_epochs,
            ", ".join(parts),
        )
