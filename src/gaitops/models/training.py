"""Train one fold of any gaitops model deterministically and predict its held-out part."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, TensorDataset

from gaitops.config import DFFNSettings, OptimisationSettings
from gaitops.data.splits import Fold, subjects_on_both_sides
from gaitops.models.factory import build_network, fit_input_scaler, make_spec
from gaitops.models.supervised import SupervisedModule

PREDICTION_CHUNK = 65_536


@dataclass(frozen=True)
class TrainingData:
    """Model inputs with their targets and subjects: curves (n, channels, time) or rows (n, features)."""

    x: np.ndarray
    y: np.ndarray
    subjects: np.ndarray
    classes: list[str] | None  # None: regression

    @property
    def objective(self) -> str:
        return "regression" if self.classes is None else "classification"


@dataclass(frozen=True)
class FoldResult:
    fold: int
    test_index: np.ndarray
    outputs: np.ndarray  # class probabilities (n, classes) or predicted values (n,)
    spec: dict[str, Any]
    state_dict: dict[str, torch.Tensor]
    subjects_on_both_sides: int


def network_spec(
    data: TrainingData, architecture: str, settings: OptimisationSettings
) -> dict[str, Any]:
    curves = data.x.ndim == 3
    return make_spec(
        architecture,
        inputs=data.x.shape[1],
        outputs=1 if data.classes is None else len(data.classes),
        time_points=data.x.shape[2] if curves else None,
        hyper_parameters=settings.hyper_parameters(),
    )


def _class_weights(y: np.ndarray, n_classes: int) -> torch.Tensor:
    counts = np.bincount(y, minlength=n_classes).astype(float)
    weights = np.where(counts > 0, counts.sum() / (n_classes * np.maximum(counts, 1)), 0.0)
    return torch.tensor(weights, dtype=torch.float32)


def _quiet_lightning() -> None:
    for name in ("pytorch_lightning", "lightning", "lightning.pytorch", "lightning_fabric"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="pytorch_lightning")
    warnings.filterwarnings("ignore", message=".*does not have many workers.*")


def build_module(
    data: TrainingData, train_index: np.ndarray, architecture: str, settings: OptimisationSettings
) -> SupervisedModule:
    """The Lightning module for one fold, its input scaler fitted on that fold's training part."""
    spec = network_spec(data, architecture, settings)
    x_train = torch.from_numpy(data.x[train_index])
    network = build_network(spec, fit_input_scaler(spec, x_train))
    y_train = data.y[train_index]
    decay = isinstance(settings, DFFNSettings)
    return SupervisedModule(
        network,
        data.objective,
        settings.learning_rate,
        settings.weight_decay,
        class_weights=None if data.classes is None else _class_weights(y_train, len(data.classes)),
        target_variance=float(np.var(y_train)) if data.classes is None else 1.0,
        decay_steps=settings.decay_steps if decay else None,
        decay_rate=settings.decay_rate if decay else 1.0,
    )


def predict(network: torch.nn.Module, x: np.ndarray, objective: str) -> np.ndarray:
    """Probabilities (classification) or values (regression), in chunks, in eval mode."""
    network.eval()
    parts = []
    with torch.no_grad():
        for start in range(0, len(x), PREDICTION_CHUNK):
            output = network(torch.from_numpy(x[start : start + PREDICTION_CHUNK]))
            parts.append(torch.softmax(output, dim=1) if objective == "classification" else output)
    return torch.cat(parts).numpy()


def train_fold(
    data: TrainingData, fold: Fold, architecture: str, settings: OptimisationSettings, seed: int
) -> FoldResult:
    """Fit on the fold's training part; return its held-out outputs and weights."""
    _quiet_lightning()
    fold_seed = seed + fold.number
    pl.seed_everything(fold_seed, workers=True, verbose=False)
    module = build_module(data, fold.train_index, architecture, settings)
    dataset = TensorDataset(
        torch.from_numpy(data.x[fold.train_index]), torch.from_numpy(data.y[fold.train_index])
    )
    loader = DataLoader(
        dataset,
        batch_size=settings.batch_size,
        shuffle=True,
        drop_last=len(dataset) > settings.batch_size,  # no batch of one through batch norm
        generator=torch.Generator().manual_seed(fold_seed),
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
    network = module.network
    return FoldResult(
        fold=fold.number,
        test_index=fold.test_index,
        outputs=predict(network, data.x[fold.test_index], data.objective),
        spec=network_spec(data, architecture, settings),
        state_dict={k: v.detach().clone() for k, v in network.state_dict().items()},
        subjects_on_both_sides=subjects_on_both_sides(
            data.subjects, fold.train_index, fold.test_index
        ),
    )
