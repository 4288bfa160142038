"""Split protocols. Subject-wise is the default: no subject on both sides of a split."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from gaitops.errors import ConfigError


@dataclass(frozen=True)
class Fold:
    number: int
    train_index: np.ndarray
    test_index: np.ndarray


def subjects_on_both_sides(
    subjects: np.ndarray, train_index: np.ndarray, test_index: np.ndarray
) -> int:
    """How many subjects have samples in both the training and the test part (0 = no leak)."""
    return len(set(subjects[train_index]) & set(subjects[test_index]))


def subject_kfold(subjects: np.ndarray, labels: np.ndarray, folds: int, seed: int) -> list[Fold]:
    """Stratified k-fold grouped by subject, shuffled by `seed`."""
    n_subjects = len(set(subjects))
    if n_subjects < folds:
        raise ConfigError(
            f"train.folds is {folds} but the data has only {n_subjects} subjects: lower train.folds."
        )
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    placeholder = np.zeros(len(labels))
    found = [
        Fold(number=k, train_index=np.sort(train), test_index=np.sort(test))
        for k, (train, test) in enumerate(splitter.split(placeholder, labels, groups=subjects))
    ]
    for fold in found:
        assert subjects_on_both_sides(subjects, fold.train_index, fold.test_index) == 0
    return found
