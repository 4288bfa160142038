import numpy as np
import pytest

from gaitops.data.splits import subject_kfold, subjects_on_both_sides
from gaitops.errors import ConfigError

SUBJECTS = np.repeat([f"S{i}" for i in range(10)], 3)  # three cycles per subject
LABELS = np.repeat([0, 1] * 5, 3)


def test_no_subject_on_both_sides_and_every_sample_tested_once():
    folds = subject_kfold(SUBJECTS, LABELS, 5, seed=1)
    tested = np.concatenate([f.test_index for f in folds])
    assert sorted(tested.tolist()) == list(range(len(SUBJECTS)))
    for fold in folds:
        assert subjects_on_both_sides(SUBJECTS, fold.train_index, fold.test_index) == 0


def test_seeded():
    a = subject_kfold(SUBJECTS, LABELS, 5, seed=1)
    b = subject_kfold(SUBJECTS, LABELS, 5, seed=1)
    assert all(np.array_equal(x.test_index, y.test_index) for x, y in zip(a, b, strict=True))


def test_leak_check_flags_a_row_split():
    rows = np.arange(len(SUBJECTS))
    train, test = rows[rows % 3 != 0], rows[rows % 3 == 0]  # every subject on both sides
    assert subjects_on_both_sides(SUBJECTS, train, test) == 10


def test_more_folds_than_subjects_is_refused():
    with pytest.raises(ConfigError, match="only 10 subjects"):
        subject_kfold(SUBJECTS, LABELS, 11, seed=1)
