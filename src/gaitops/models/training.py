"""Fit any gaitops model deterministically: per-epoch history, best-epoch weights, predictions.

``fit_network`` is training as an objective (it returns the losses and the validation metric per
epoch and the best epoch's figures); ``train_fold`` adds the fold's held-out predictions.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytorch_lightning as pl
import torch
from sklearn.model_selection import GroupShuffleSplit
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from gaitops.data.dataset import GaitDataset
from gaitops.data.splits import Fold, subjects_on_both_sides
from gaitops.metrics.headline import headline_metric
from gaitops.models.best_weights import BestWeights
from gaitops.models.direct_fit import fit_direct
from gaitops.models.factory import build_network, fit_input_scaler, make_spec
from gaitops.models.history import EpochHistory, EpochLog, EpochRecord
from gaitops.models.registry import MODELS
from gaitops.models.seeding import own_generators
from gaitops.models.supervised import SupervisedModule
from gaitops.settings.models import ClosedFormSettings, OptimisationSettings
from gaitops.tasks import Task

PREDICTION_CHUNK = 65_536

log = logging.getLogger("gaitops")


@dataclass(frozen=True)
class FitResult:
    """A fitted network (best validation epoch's weights) and how it got there."""

    network: nn.Sequential
    spec: dict[str, Any]
    history: list[EpochRecord]
    best_epoch: int | None  # None: no validation part, the last epoch's weights
    best_validation_loss: float | None
    best_validation_metric: float | None  # the task's headline metric at the best epoch

    @property
    def epochs(self) -> int:
        return len(self.history)


@dataclass(frozen=True)
class FoldResult:
    fold: int
    test_index: np.ndarray
    outputs: np.ndarray  # class probabilities (n, classes) or predicted values (n,)
    spec: dict[str, Any]
    state_dict: dict[str, torch.Tensor]
    subjects_on_both_sides: int
    best_epoch: int | None
    history: list[EpochRecord] = field(default_factory=list)


ModelSettings = OptimisationSettings | ClosedFormSettings


def network_spec(data: GaitDataset, architecture: str, settings: ModelSettings) -> dict[str, Any]:
    return make_spec(
        architecture,
        inputs=data.x.shape[1],
        outputs=data.n_classes or 1,
        time_points=data.x.shape[2] if data.input_kind == "curves" else None,
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
    data: GaitDataset,
    fit_index: np.ndarray,
    architecture: str,
    settings: OptimisationSettings,
    task: Task | None = None,
) -> SupervisedModule:
    """The Lightning module for one fit, its input scaler fitted on the fit part only."""
    spec = network_spec(data, architecture, settings)
    network = build_network(spec, fit_input_scaler(spec, torch.from_numpy(data.x[fit_index])))
    y_fit = data.y[fit_index]
    n_classes = data.n_classes
    return SupervisedModule(
        network,
        data.objective,
        settings,
        class_weights=None if n_classes is None else _class_weights(y_fit, n_classes),
        target_variance=1.0 if data.task.is_classification else float(np.var(y_fit)),
        validation_metric=None if task is None else headline_metric(task, n_classes),
    )


def predict(network: nn.Module, x: np.ndarray, objective: str) -> np.ndarray:
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
    data: GaitDataset, index: np.ndarray, batch_size: int, seed: int | None
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


def fit_interruptibly(trainer: pl.Trainer, *fit_arguments: Any) -> None:
    """`trainer.fit`, with Ctrl-C raised as KeyboardInterrupt. Lightning turns a Ctrl-C during
    a fit into `sys.exit(1)` and ignores SIGINT from then on; the run would end CRASHED with
    exit 1, where gaitops ends it CANCELLED and says what finished (flows/run.py)."""
    handler = signal.getsignal(signal.SIGINT)
    try:
        trainer.fit(*fit_arguments)
    except SystemExit as exc:
        if trainer.interrupted:
            raise KeyboardInterrupt from exc
        raise
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, handler)


def fit_network(
    data: GaitDataset,
    fit_index: np.ndarray,
    validation_index: np.ndarray,
    architecture: str,
    settings: ModelSettings,
    seed: int,
    task: Task | None = None,
    callbacks: list[pl.Callback] | None = None,
) -> FitResult:
    """Fit on `fit_index`, keep the epoch with the lowest loss on `validation_index` (if any).

    All randomness (weights, batch order, dropout, stochastic depth) comes from `seed` and the
    caller's generators are left untouched. `task` adds its headline metric on the validation
    part to the history; `callbacks` (e.g. a tuner's controller) join the fit. A model fitted
    without epochs (the registry's closed-form and estimator baselines) uses the training and
    validation parts together and has no history.
    """
    if MODELS[architecture].fitting != "gradient":
        spec = network_spec(data, architecture, settings)
        every = np.sort(np.concatenate([fit_index, validation_index]))
        n_classes = data.n_classes
        with own_generators(seed):
            network = fit_direct(data.x[every], data.y[every], n_classes, spec, seed)
        return FitResult(network, spec, [], None, None, None)
    _quiet_lightning()
    with own_generators(seed):
        module = build_module(data, fit_index, architecture, settings, task)
        best, history = BestWeights(), EpochHistory()
        validate = len(validation_index) > 0
        trainer = make_trainer(
            settings.max_epochs, validate=validate, callbacks=[best, history, *(callbacks or [])]
        )
        validation = (
            make_loader(data, validation_index, settings.batch_size, None) if validate else None
        )
        fit_interruptibly(
            trainer, module, make_loader(data, fit_index, settings.batch_size, seed), validation
        )
    records = history.records
    best_record = records[best.best_epoch] if best.best_epoch is not None else None
    return FitResult(
        network=module.network,
        spec=network_spec(data, architecture, settings),
        history=records,
        best_epoch=best.best_epoch,
        best_validation_loss=best_record.validation_loss if best_record else None,
        best_validation_metric=best_record.validation_metric if best_record else None,
    )


def train_fold(
    data: GaitDataset,
    fold: Fold,
    architecture: str,
    settings: ModelSettings,
    seed: int,
    validation_fraction: float = 0.0,
    task: Task | None = None,
    of_folds: int | None = None,
) -> FoldResult:
    """Fit on the fold's training part (keeping the best validation epoch); predict its test
    part. With `of_folds`, its log line says how long all the folds take at its pace."""
    started = time.perf_counter()
    fold_seed = seed + fold.number
    fit_index, validation_index = validation_split(
        data.subjects, fold.train_index, validation_fraction, fold_seed
    )
    label = f"fold {fold.number}"
    fitted = fit_network(
        data,
        fit_index,
        validation_index,
        architecture,
        settings,
        fold_seed,
        task,
        callbacks=[EpochLog(label, task.headline_metric if task else None)],
    )
    network = fitted.network
    epochs = len(fitted.history)
    if not fitted.history:
        kept = "fitted without epochs on the whole training part"
    elif len(validation_index) == 0:
        kept = f"kept the last of {epochs} epochs (no validation subjects held out)"
    elif fitted.best_epoch is None:
        kept = f"kept the last of {epochs} epochs (no finite validation loss)"
    else:
        kept = f"kept epoch {fitted.best_epoch + 1} of {epochs} (lowest validation loss)"
    seconds = time.perf_counter() - started
    pace = (
        f" (of {of_folds}: about {seconds * of_folds:.0f} s for all at this pace)"
        if of_folds
        else ""
    )
    log.info(
        "%s: %s in %.1f s%s; predicting %d test samples of %d subjects",
        label,
        kept,
        seconds,
        pace,
        len(fold.test_index),
        len(set(data.subjects[fold.test_index])),
    )
    return FoldResult(
        fold=fold.number,
        test_index=fold.test_index,
        outputs=predict(network, data.x[fold.test_index], data.objective),
        spec=fitted.spec,
        state_dict={k: v.detach().clone() for k, v in network.state_dict().items()},
        subjects_on_both_sides=subjects_on_both_sides(
            data.subjects, fold.train_index, fold.test_index
        ),
        best_epoch=fitted.best_epoch,
        history=fitted.history,
    )
