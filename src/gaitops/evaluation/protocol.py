"""The split protocol as every metrics file states it, and the fold plan it implies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from gaitops.data.dataset import GaitDataset
from gaitops.data.splits import DESCRIPTIONS, LEAKS_SUBJECTS, Fold, make_folds
from gaitops.settings.train import TrainSettings


class FoldOutcome(Protocol):
    """What the protocol record reads of a trained fold."""

    subjects_on_both_sides: int
    best_epoch: int | None


def plan_folds(data: GaitDataset, train: TrainSettings) -> list[Fold]:
    return make_folds(
        train.protocol,
        data.subjects,
        data.y if data.task.is_classification else None,
        train.folds,
        train.seed,
        train.paper_test_fraction,
        train.paper_seed,
        data.classes,
    )


def protocol_record(
    train: TrainSettings, folds: Sequence[FoldOutcome] | None = None
) -> dict[str, Any]:
    """Name, description and leak flag of the protocol; with `folds`, the per-fold leak check
    and how each fold's weights were selected."""
    record: dict[str, Any] = {
        "name": train.protocol,
        "description": DESCRIPTIONS[train.protocol],
        "leaks_subjects": LEAKS_SUBJECTS[train.protocol],
    }
    if train.protocol == "subject_kfold":
        record.update(folds=train.folds, seed=train.seed)
    if train.protocol == "paper":
        record.update(test_fraction=train.paper_test_fraction, seed=train.paper_seed)
    if folds is not None:
        record["subjects_on_both_sides"] = [f.subjects_on_both_sides for f in folds]
        record["model_selection"] = {
            "validation_fraction": train.selection_fraction(),
            "kept": (
                "weights of the epoch with the lowest loss on validation subjects held out of the training part"
                if train.selection_fraction() > 0
                else "weights of the last epoch, trained on every training subject (train.keep_epoch: last)"
            ),
            "best_epoch_per_fold": [f.best_epoch for f in folds],
        }
    return record
