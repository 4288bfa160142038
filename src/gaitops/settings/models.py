"""The `models` section: one settings class per model, each with how it is fitted."""

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


class ResNet1DSettings(OptimisationSettings):
    filters: int = Field(32, ge=4)
    blocks: int = Field(3, ge=1)
    kernel_size: int = Field(7, ge=3)


class LSTMSettings(OptimisationSettings):
    hidden: int = Field(64, ge=4)
    layers: int = Field(1, ge=1)
    bidirectional: bool = True


class InceptionTimeSettings(OptimisationSettings):
    filters: int = Field(16, ge=4)
    depth: int = Field(3, ge=1)
    kernel_sizes: tuple[int, ...] = (9, 19, 39)


class MLPSettings(OptimisationSettings):
    learning_rate: float = Field(1e-3, gt=0)
    hidden: tuple[int, ...] = (256, 128)
    dropout: float = Field(0.3, ge=0, lt=1)


class SDNNSettings(OptimisationSettings):
    learning_rate: float = Field(1e-3, gt=0)
    weight_decay: float = Field(0.0, ge=0)
    batch_size: int = Field(256, ge=1)
    max_epochs: int = Field(15, ge=1)
    width: int = Field(32, ge=4)
    blocks: int = Field(5, ge=1)
    survival_probability: float = Field(0.8, gt=0, le=1)
    dropout: float = Field(
        0.0, ge=0, lt=1
    )  # inside each residual branch (the paper's tuner sets it)


class DFFNSettings(OptimisationSettings):
    learning_rate: float = Field(1e-4, gt=0)
    weight_decay: float = Field(0.0, ge=0)
    batch_size: int = Field(256, ge=1)
    max_epochs: int = Field(15, ge=1)
    factorisation: int = Field(512, ge=4)
    interaction: tuple[int, ...] = (256, 128, 64)
    nonlinear: tuple[int, ...] = (128, 64)
    dropout: float = Field(0.4, ge=0, lt=1)
    lr_decay: StaircaseDecay | None = Field(default_factory=StaircaseDecay)  # the paper's schedule


class ClosedFormSettings(Strict):
    """Models fitted in closed form or by scikit-learn / aeon (no epochs, no learning rate)."""

    def hyper_parameters(self) -> dict[str, object]:
        return self.model_dump()


class LinearSettings(ClosedFormSettings):
    C: float = Field(0.01, gt=0)  # classification: logistic regression's inverse L2 strength
    alpha: float = Field(1.0, gt=0)  # regression: ridge's L2 strength


class SummaryLogisticSettings(ClosedFormSettings):
    C: float = Field(1.0, gt=0)  # logistic regression's inverse L2 strength


class RocketSettings(ClosedFormSettings):
    kernels: int = Field(10_000, ge=84)  # aeon's n_kernels (MiniRocket rounds to a multiple of 84)


class GradientBoostingSettings(ClosedFormSettings):
    max_iter: int = Field(200, ge=1)
    learning_rate: float = Field(0.1, gt=0)
    max_leaf_nodes: int = Field(31, ge=2)


class ModelsSettings(Strict):
    linear: LinearSettings = Field(default_factory=LinearSettings)
    summary_logistic: SummaryLogisticSettings = Field(default_factory=SummaryLogisticSettings)
    minirocket: RocketSettings = Field(default_factory=RocketSettings)
    multirocket: RocketSettings = Field(default_factory=lambda: RocketSettings(kernels=6_250))
    gradient_boosting: GradientBoostingSettings = Field(default_factory=GradientBoostingSettings)
    resnet1d: ResNet1DSettings = Field(default_factory=ResNet1DSettings)
    lstm: LSTMSettings = Field(default_factory=LSTMSettings)
    inception_time: InceptionTimeSettings = Field(default_factory=InceptionTimeSettings)
    mlp: MLPSettings = Field(default_factory=MLPSettings)
    sdnn: SDNNSettings = Field(default_factory=SDNNSettings)
    dffn: DFFNSettings = Field(default_factory=DFFNSettings)
