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


def test_leave_one_subject_out_and_paper_split():
    from gaitops.data.splits import make_folds

    loso = make_folds("loso", SUBJECTS, LABELS, folds=5, seed=0)
    assert len(loso) == 10 and all(len(set(SUBJECTS[f.test_index])) == 1 for f in loso)
    (paper,) = make_folds(
        "paper", SUBJECTS, LABELS, folds=5, seed=0, test_fraction=0.3, paper_seed=42
    )
    assert len(paper.test_index) == 9 and len(paper.train_index) == 21
    assert (
        subjects_on_both_sides(SUBJECTS, paper.train_index, paper.test_index) > 0
    )  # the paper's split leaks


def test_regression_folds_are_grouped_too():
    folds = subject_kfold(SUBJECTS, None, 5, seed=3)
    assert all(subjects_on_both_sides(SUBJECTS, f.train_index, f.test_index) == 0 for f in folds)


def test_one_subject_or_one_class_is_not_enough_data_with_advice_that_fits():
    from gaitops.data.splits import make_folds
    from gaitops.errors import NotEnoughData

    with pytest.raises(NotEnoughData, match="at least two"):
        make_folds("subject_kfold", np.array(["A", "A", "A"]), np.array([0, 1, 0]), 2, 0)
    with pytest.raises(NotEnoughData, match="at least two"):
        make_folds("loso", np.array(["A", "A"]), None, 2, 0)
    with pytest.raises(NotEnoughData, match="one class"):
        make_folds("subject_kfold", np.array(["A", "B", "C"]), np.array([1, 1, 1]), 2, 0)
    with pytest.raises(ConfigError, match="at most 3"):
        make_folds("subject_kfold", np.array(["A", "B", "C"]), np.array([0, 1, 0]), 5, 0)
    assert len(make_folds("paper", np.array(["A"] * 10), None, 2, 0)) == 1  # rows, not subjects


def test_a_class_with_fewer_subjects_than_folds_is_refused_with_the_numbers():
    from gaitops.data.splits import make_folds
    from gaitops.errors import NotEnoughData

    subjects = np.array([f"S{i}" for i in range(8)])
    labels = np.array([0] * 6 + [1] * 2)  # control 6, parkinsons 2
    with pytest.raises(NotEnoughData) as caught:
        make_folds("subject_kfold", subjects, labels, 5, 0, class_names=["control", "pd"])
    message = str(caught.value)
    assert "class 'pd' has only 2 subjects (subjects per class: control 6, pd 2)" in message
    assert "3 of 5 folds would test no pd subject" in message
    assert "set train.folds: 2" in message and "train.protocol: loso" in message
    assert len(make_folds("loso", subjects, labels, 5, 0)) == 8  # the fix it names works
    assert len(make_folds("subject_kfold", subjects, labels, 2, 0)) == 2
