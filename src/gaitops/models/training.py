"""Train one fold of any gaitops model deterministically and predict its held-out part."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytorch_lightning as pl
import torch
from sklearn.model_selection import GroupShuffleSplit
from torch.utils.data import DataLoader, TensorDataset

from gaitops.config import DFFNSettings, OptimisationSettings
from gaitops.data.splits import Fold, subjects_on_both_sides
from gaitops.models.best_weights import BestWeights
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
    best_epoch: int | None  # None: no validation part, the last epoch's weights


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


def validation_split(
    subjects: np.ndarray, train_index: np.ndarray, fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Split a fold's training part by subject into (fit, validation); no validation if too few subjects."""
    if fraction <= 0 or len(set(subjects[train_index])) < 4:
        return train_index, train_index[:0]
    splitter = GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=seed)
    fit, validation = next(splitter.split(train_index, groups=subjects[train_index]))
    return np.sort(train_index[fit]), np.sort(train_index[validation])


def make_loader(
    data: TrainingData, index: np.ndarray, batch_size: int, seed: int | None
) -> DataLoader:
    """Shuffled by `seed` for fitting (no batch of one); in order, in large batches, when seed is None."""
    dataset = TensorDataset(torch.from_numpy(data.x[index]), torch.from_numpy(data.y[index]))
    if seed is None:  # evaluation order
        return DataLoader(dataset, batch_size=max(batch_size, 1024))
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=True,
        drop_last=len(dataset) > batch_size,  # no batch of one through batch norm
        generator=torch.Generator().manual_seed(seed),
    )


def make_trainer(
    max_epochs: int, validate: bool = False, callbacks: list[pl.Callback] | None = None
) -> pl.Trainer:
    """A quiet, deterministic CPU trainer with no logger or checkpoint files."""
    return pl.Trainer(
        max_epochs=max_epochs,
        accelerator="cpu",
        deterministic=True,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        limit_val_batches=1.0 if validate else 0,
        callbacks=callbacks or [],
    )


def train_fold(
    data: TrainingData,
    fold: Fold,
    architecture: str,
    settings: OptimisationSettings,
    seed: int,
    validation_fraction: float = 0.0,
) -> FoldResult:
    """Fit on the fold's training part (keeping the best validation epoch); predict its test part."""
    _quiet_lightning()
    fold_seed = seed + fold.number
    pl.seed_everything(fold_seed, workers=True, verbose=False)
    fit_index, validation_index = validation_split(
        data.subjects, fold.train_index, validation_fraction, fold_seed
    )
    module = build_module(data, fit_index, architecture, settings)
    best = BestWeights()
    trainer = make_trainer(
        settings.max_epochs, validate=len(validation_index) > 0, callbacks=[best]
    )
    validation = (
        make_loader(data, validation_index, settings.batch_size, None)
        if len(validation_index)
        else None
    )
    trainer.fit(module, make_loader(data, fit_index, settings.batch_size, fold_seed), validation)
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
        best_epoch=best.best_epoch,
    )
