"""A stage's record keeps everything; its DVC metrics keep only headline numbers."""

import json

from gaitops.records import headline_numbers, publish

RECORD = {
    "task": "group_classification",  # descriptive: never a metric
    "protocol": {"name": "subject_kfold", "folds": 5},
    "balanced_accuracy": {"mean": 0.7, "sd": 0.1},
    "overall_rank": {"ig": 1.5, "saliency": 2.5},
    "samples": 104,
    "enabled": True,  # a flag, not a number
    "folds": [{"fold": 0, "balanced_accuracy": 0.7}],
}


def test_only_the_named_numbers_become_metrics():
    keys = ("balanced_accuracy", "overall_rank", "task", "protocol", "enabled", "folds", "absent")
    assert headline_numbers(RECORD, keys) == {
        "balanced_accuracy": {"mean": 0.7, "sd": 0.1},
        "overall_rank": {"ig": 1.5, "saliency": 2.5},
    }
    assert headline_numbers(RECORD, ("balanced_accuracy", "samples"), mean_only=True) == {
        "balanced_accuracy": 0.7,
        "samples": 104,
    }


def test_publish_writes_the_whole_record_and_the_metrics_beside_it(tmp_path):
    publish(
        RECORD,
        tmp_path / "records" / "train.json",
        tmp_path / "metrics" / "train.json",
        ("balanced_accuracy",),
    )
    assert json.loads((tmp_path / "records" / "train.json").read_text()) == RECORD
    assert json.loads((tmp_path / "metrics" / "train.json").read_text()) == {
        "balanced_accuracy": {"mean": 0.7, "sd": 0.1}
    }
    publish(RECORD, tmp_path / "records" / "explain.json", None)  # a record with no metrics
    assert not (tmp_path / "metrics" / "explain.json").exists()
