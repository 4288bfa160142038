"""The optimiser and learning-rate schedule of a model section (`models.<name>` in params.yaml)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch

from gaitops.settings.models import OptimisationSettings

OPTIMIZERS: dict[str, type[torch.optim.Optimizer]] = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
}


def configure_optimisation(
    parameters: Iterable[torch.nn.Parameter], settings: OptimisationSettings
) -> Any:
    """What a LightningModule's ``configure_optimizers`` returns for these settings."""
    optimiser = OPTIMIZERS[settings.optimizer](
        parameters, lr=settings.learning_rate, weight_decay=settings.weight_decay
    )
    decay = settings.lr_decay
    if decay is None:
        return optimiser
    every, factor = decay.every_steps, decay.factor
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: factor ** (step // every))
    return {"optimizer": optimiser, "lr_scheduler": {"scheduler": schedule, "interval": "step"}}
