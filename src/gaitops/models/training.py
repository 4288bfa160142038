"""Train one fold of a curve classifier deterministically and predict its held-out samples."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, TensorDataset

from gaitops.config import TrainSettings
from gaitops.data.cycles import CycleSet
from gaitops.data.splits import Fold, subjects_on_both_sides
from gaitops.models.components.standardise import Standardise
from gaitops.models.curve_classifier import CurveClassifier
from gaitops.models.factory import build_network


@dataclass(frozen=True)
class FoldResult:
    fold: int
    test_index: np.ndarray
    probabilities: np.ndarray  # (test samples, classes)
    spec: dict[str, Any]
    state_dict: dict[str, torch.Tensor]
    subjects_on_both_sides: int


def network_spec(cycles: CycleSet, settings: TrainSettings) -> dict[str, Any]:
    return {
        "architecture": settings.model,
        "in_channels": len(cycles.channels),
        "n_classes": len(cycles.classes),
        "time_points": cycles.x.shape[-1],
        "hyper_parameters": settings.resnet1d.model_dump(),
    }


def _class_weights(y: np.ndarray, n_classes: int) -> torch.Tensor:
    counts = np.bincount(y, minlength=n_classes).astype(float)
    weights = np.where(counts > 0, counts.sum() / (n_classes * np.maximum(counts, 1)), 0.0)
    return torch.tensor(weights, dtype=torch.float32)


def _quiet_lightning() -> None:
    for name in ("pytorch_lightning", "lightning", "lightning.pytorch", "lightning_fabric"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="pytorch_lightning")
    warnings.filterwarnings("ignore", message=".*does not have many workers.*")


def train_fold(cycles: CycleSet, fold: Fold, settings: TrainSettings) -> FoldResult:
    """Fit on the fold's training subjects; return held-out class probabilities and weights."""
    _quiet_lightning()
    seed = settings.seed + fold.number
    pl.seed_everything(seed, workers=True, verbose=False)
    x_train = torch.from_numpy(cycles.x[fold.train_index])
    y_train = torch.from_numpy(cycles.y[fold.train_index])
    spec = network_spec(cycles, settings)
    network = build_network(spec, Standardise.fit(x_train))
    module = CurveClassifier(
        network,
        _class_weights(cycles.y[fold.train_index], len(cycles.classes)),
        settings.learning_rate,
        settings.weight_decay,
    )
    loader = DataLoader(
        TensorDataset(x_train, y_train),
        batch_size=settings.batch_size,
        shuffle=True,
        drop_last=len(x_train) > settings.batch_size,
        generator=torch.Generator().manual_seed(seed),
    )
    trainer = pl.Trainer(
        max_epochs=settings.max_epochs,
        accelerator="cpu",
        deterministic=True,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    trainer.fit(module, loader)
    network.eval()
    with torch.no_grad():
        logits = network(torch.from_numpy(cycles.x[fold.test_index]))
    return FoldResult(
        fold=fold.number,
        test_index=fold.test_index,
        probabilities=torch.softmax(logits, dim=1).numpy(),
        spec=spec,
        state_dict={k: v.detach().clone() for k, v in network.state_dict().items()},
        subjects_on_both_sides=subjects_on_both_sides(
            cycles.subjects, fold.train_index, fold.test_index
        ),
    )
