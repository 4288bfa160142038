"""Split protocols, and the leak check that says how many subjects a split shares.

- ``subject_kfold`` (default): k folds grouped by subject (stratified for classes).
- ``loso``: leave one subject out, one fold per subject.
- ``paper``: the source paper's random 70/30 row split; it puts the same subjects on both
  sides, so it is only for comparing with the paper, and is labelled as leaking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import (
    GroupKFold,
    LeaveOneGroupOut,
    StratifiedGroupKFold,
    train_test_split,
)

from gaitops.errors import ConfigError, NotEnoughData

LEAKS_SUBJECTS = {"subject_kfold": False, "loso": False, "paper": True}
DESCRIPTIONS = {
    "subject_kfold": "k-fold grouped by subject (stratified by class): no subject in both training and test",
    "loso": "leave one subject out: each subject is the test set once",
    "paper": "random row split as the source paper: the same subjects in training and test (leaks subjects)",
}


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


def subject_kfold(
    subjects: np.ndarray, labels: np.ndarray | None, folds: int, seed: int
) -> list[Fold]:
    """k folds grouped by subject, stratified when `labels` are classes, shuffled by `seed`."""
    n_subjects = len(set(subjects))
    if n_subjects < folds:
        raise ConfigError(
            f"train.folds is {folds} but the data has only {n_subjects} subjects: "
            f"set train.folds to at most {n_subjects}."
        )
    placeholder = np.zeros(len(subjects))
    if labels is not None:
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        parts = splitter.split(placeholder, labels, groups=subjects)
    else:
        parts = GroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(
            placeholder, groups=subjects
        )
    return [Fold(k, np.sort(train), np.sort(test)) for k, (train, test) in enumerate(parts)]


def leave_one_subject_out(subjects: np.ndarray) -> list[Fold]:
    parts = LeaveOneGroupOut().split(np.zeros(len(subjects)), groups=subjects)
    return [Fold(k, np.sort(train), np.sort(test)) for k, (train, test) in enumerate(parts)]


def paper_split(n_rows: int, test_fraction: float, seed: int) -> list[Fold]:
    """One random row split (the source paper: 70/30, seed 42)."""
    train, test = train_test_split(
        np.arange(n_rows), test_size=test_fraction, random_state=seed, shuffle=True
    )
    return [Fold(0, np.sort(train), np.sort(test))]


def subjects_per_class(subjects: np.ndarray, labels: np.ndarray) -> dict[object, int]:
    """How many distinct subjects have samples of each class (a subject may count in several)."""
    pairs = set(zip(labels.tolist(), subjects.tolist(), strict=True))
    counts: dict[object, int] = {}
    for label, _ in pairs:
        counts[label] = counts.get(label, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: str(item[0])))


def check_classes_fill_folds(
    subjects: np.ndarray,
    labels: np.ndarray,
    folds: int,
    class_names: list[str] | None = None,
) -> None:
    """subject_kfold: every class has at least as many subjects as folds (else some folds test
    no subject of it, and their scores mean nothing), or NotEnoughData with the numbers."""
    named = {
        (class_names[int(c)] if class_names else str(c)): n
        for c, n in subjects_per_class(subjects, labels).items()
    }
    short = {c: n for c, n in named.items() if n < folds}
    if not short:
        return
    every = ", ".join(f"{c} {n}" for c, n in named.items())
    counts = named
    fewest = min(counts.values())
    first, n = next(iter(short.items()))
    raise NotEnoughData(
        f"train.folds is {folds} but class {first!r} has only {n} subject{'s' * (n != 1)} "
        f"(subjects per class: {every}): {folds - n} of {folds} folds would test no {first} "
        "subject, and their scores would mean nothing. Fix: "
        + (f"set train.folds: {fewest} in params.yaml, or " if fewest >= 2 else "")
        + "set train.protocol: loso, or merge classes (map labels together in "
        "data.values.group) or bring in more subjects of that class."
    )


def check_data_needs(
    protocol: str,
    subjects: np.ndarray,
    labels: np.ndarray | None,
    folds: int | None = None,
    class_names: list[str] | None = None,
) -> None:
    """Enough subjects and classes for the protocol (and, for subject_kfold with `folds`, in
    every class), or NotEnoughData with advice that fits."""
    n_subjects = len(set(subjects))
    if not LEAKS_SUBJECTS.get(protocol, True) and n_subjects < 2:
        raise NotEnoughData(
            f"the data has {n_subjects} subject: a subject-wise evaluation needs at least two "
            "(models are tested on subjects they were not trained on). Fix: bring in the data "
            "of more subjects (check data.columns.subject names the subject column)."
        )
    if labels is not None and len(set(labels.tolist())) < 2:
        raise NotEnoughData(
            "the data has one class only: a classifier needs at least two. Fix: bring in the "
            "other groups' data, or check data.columns.label and train.label."
        )
    # (fewer subjects than folds overall: subject_kfold's own message says so)
    if protocol == "subject_kfold" and labels is not None and folds and n_subjects >= folds:
        check_classes_fill_folds(subjects, labels, folds, class_names)


def make_folds(
    protocol: str,
    subjects: np.ndarray,
    labels: np.ndarray | None,
    folds: int,
    seed: int,
    test_fraction: float = 0.3,
    paper_seed: int = 42,
    class_names: list[str] | None = None,
) -> list[Fold]:
    check_data_needs(protocol, subjects, labels, folds, class_names)
    if protocol == "subject_kfold":
        found = subject_kfold(subjects, labels, folds, seed)
    elif protocol == "loso":
        found = leave_one_subject_out(subjects)
    elif protocol == "paper":
        found = paper_split(len(subjects), test_fraction, paper_seed)
    else:
        raise ConfigError(f"train.protocol: {protocol!r} is not one of {sorted(LEAKS_SUBJECTS)}.")
    if not LEAKS_SUBJECTS[protocol]:
        for fold in found:
            assert subjects_on_both_sides(subjects, fold.train_index, fold.test_index) == 0
    return found
