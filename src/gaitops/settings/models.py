"""The `models` section's shapes: how a model is fitted (by gradient descent, or in closed form).

Each model's own options subclass one of them next to its code (gaitops/models/components/) and
are named by its descriptor in gaitops.models.registry, which checks params.yaml's
``models.NAME`` against them; params.yaml states every model's defaults too (a test keeps them
equal)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gaitops.settings.base import Strict


class StaircaseDecay(Strict):
    """Learning rate x `factor` every `every_steps` optimiser steps."""

    every_steps: int = Field(10_000, ge=1)
    factor: float = Field(0.8, gt=0, le=1)


class OptimisationSettings(Strict):
    """How a model is fitted; every architecture section carries its own."""

    optimizer: Literal["adam", "adamw", "sgd"] = "adam"
    learning_rate: float = Field(3e-3, gt=0)
    weight_decay: float = Field(1e-4, ge=0)
    lr_decay: StaircaseDecay | None = None  # null: constant learning rate
    batch_size: int = Field(16, ge=1)
    max_epochs: int = Field(60, ge=1)

    def hyper_parameters(self) -> dict[str, object]:
        """The architecture's own arguments (everything but the optimisation settings)."""
        return self.model_dump(exclude=set(OptimisationSettings.model_fields))


class ClosedFormSettings(Strict):
    """Models fitted in closed form or by scikit-learn / aeon (no epochs, no learning rate)."""

    def hyper_parameters(self) -> dict[str, object]:
        return self.model_dump()
