from __future__ import annotations

import pytest

from gaitops.config import Settings
from gaitops.report.provenance import artifact_key, fold_table, params_diff, provenance_markdown


def test_artifact_keys_are_per_task_model_and_kind():
    settings = Settings.model_validate({"train": {"task": "angle_regression", "model": "sdnn"}})
    assert artifact_key(settings, "metrics") == "gaitops-metrics-angle-regression-sdnn"


def test_params_diff_names_each_changed_leaf():
    before = {"train": {"folds": 5, "seed": 42}, "models": {"resnet1d": {"max_epochs": 40}}}
    now = {"train": {"folds": 3, "seed": 42}, "models": {"resnet1d": {"max_epochs": 40}}, "new": 1}
    assert params_diff(before, now) == [("new", None, 1), ("train.folds", 5, 3)]


def test_fold_table_has_a_row_per_fold_then_mean_and_sd():
    train = {
        "protocol": {"name": "subject_kfold"},
        "balanced_accuracy": {"mean": 0.7, "sd": 0.1},
        "folds": [
            {"fold": 0, "n": 20, "balanced_accuracy": 0.6},
            {"fold": 1, "n": 21, "balanced_accuracy": 0.8},
        ],
    }
    rows = fold_table(train)
    assert [r["fold"] for r in rows] == ["0", "1", "mean ± sd"]
    assert rows[-1]["balanced_accuracy"] == "0.7000 ± 0.1000"
    assert {r["protocol"] for r in rows} == {"subject_kfold"}


@pytest.mark.parametrize(("ran", "words"), [([], "nothing changed"), (["train"], "train")])
def test_provenance_says_what_ran_and_what_changed(tmp_path, ran, words):
    (tmp_path / "dvc.lock").write_text("schema: '2.0'\n")
    text = provenance_markdown(
        tmp_path,
        {"train": {"folds": 3}},
        {"train": {"folds": 5}},
        ran,
        None,
        {"name": "fgdi", "files": {"fgdi_kinematics.csv": "4ff6198afc4f6f28"}},
    )
    assert f"- **what ran**: {words}" in text
    assert "fgdi_kinematics.csv sha256 4ff6198afc4f" in text and "- **dvc.lock**: sha256 " in text
    assert "| `train.folds` | 5 | 3 |" in text
