"""Every retrain kept on its own branch, gated, registered with GTO, without touching HEAD."""

import json
import subprocess
from pathlib import Path

import pytest

from gaitops.config import Settings
from gaitops.lifecycle import registry
from gaitops.lifecycle.git import GitError
from gaitops.lifecycle.history import find_retrain, read_history
from gaitops.lifecycle.keeper import keep_retrain
from gaitops.lifecycle.tables import history_table, models_table
from gaitops.lineage import lineage_of

ROOT = Path(__file__).resolve().parents[2]


def git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=project, check=True, capture_output=True, text=True
    ).stdout.strip()


def write_retrain(project: Path, mean: float, model: bytes, data: bytes) -> None:
    """What a retrain leaves in the workspace: the record, the model, the table, the lock."""
    (project / "records").mkdir(exist_ok=True)
    (project / "data/models").mkdir(parents=True, exist_ok=True)
    (project / "data/canonical").mkdir(parents=True, exist_ok=True)
    record = {
        "task": "group_classification",
        "model": "multirocket",
        "balanced_accuracy": {"mean": mean, "sd": 0.02},
        "protocol": {"name": "subject_kfold"},
        "source": {"name": "synthetic", "files": {}},
    }
    (project / "records/train.json").write_text(json.dumps(record))
    (project / "data/models/final.pt").write_bytes(model)
    (project / "data/canonical/gait.parquet").write_bytes(data)
    lock = {
        "schema": "2.0",
        "stages": {
            "train": {
                "cmd": "x",
                "outs": [{"path": "data/models", "md5": f"{hash(model) & 0xFFFF:x}.dir"}],
            }
        },
    }
    (project / "dvc.lock").write_text(json.dumps(lock))


@pytest.fixture
def project(tmp_path) -> Path:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.name", "Data Team")
    git(tmp_path, "config", "user.email", "team@example.org")
    (tmp_path / "dvc.yaml").write_text((ROOT / "dvc.yaml").read_text())
    (tmp_path / ".gitignore").write_text("/data/models/\n/data/canonical/\n")
    (tmp_path / "params.yaml").write_text("promote: {tolerance: 0.01}\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "baseline")
    return tmp_path


def test_three_retrains_kept_gated_and_registered_without_touching_the_branch(project):
    settings = Settings.model_validate({"promote": {"push": False}})
    head = git(project, "rev-parse", "HEAD")
    write_retrain(project, 0.90, b"model one", b"data one")
    first = keep_retrain(project, settings, "schedule", "run-1")
    write_retrain(project, 0.60, b"model two", b"data two")
    second = keep_retrain(project, settings, "schedule", "run-2")
    write_retrain(project, 0.93, b"model three", b"data three")
    third = keep_retrain(project, settings, "manual", "run-3")

    assert [k.decision.promote for k in (first, second, third)] == [True, False, True]
    assert second.decision.reason.startswith("not promoted: worse by 0.300")
    assert git(project, "rev-parse", "HEAD") == head  # the user's branch and index untouched
    assert git(project, "diff", "--cached", "--name-only") == ""  # nothing staged for the user

    history = read_history(project, settings.promote.history_branch)
    assert [r.flow_run for r in history] == ["run-1", "run-2", "run-3"]
    assert [r.version for r in history] == ["v1.0.0", "v2.0.0", "v3.0.0"]
    assert len({r.data_sha256 for r in history}) == 3
    assert (
        json.loads(git(project, "show", f"{history[0].commit}:records/train.json"))[
            "balanced_accuracy"
        ]["mean"]
        == 0.90
    )
    assert git(project, "rev-parse", f"{history[1].commit}^2") == head  # names the code it ran

    assert registry.in_stage(project, "prod").version == "v3.0.0"
    tags = git(project, "tag").splitlines()
    assert {"gait-model@v1.0.0", "gait-model@v2.0.0", "gait-model@v3.0.0"} <= set(tags)
    assert not any(t.startswith("gait-model#prod") and "v2" in t for t in tags)
    assert find_retrain(project, settings.promote.history_branch, "v1").commit == history[0].commit

    printed = history_table(history)
    assert "not promoted: worse by 0.300" in printed and "run-2" in printed
    listed = models_table(registry.versions(project), history)
    assert "gait-model@v3.0.0  prod" in listed and "gait-model@v1.0.0  -" in listed
    assert "0.600" in listed


def test_an_unchanged_model_is_recorded_but_not_registered_again(project):
    settings = Settings.model_validate({"promote": {"push": False}})
    write_retrain(project, 0.90, b"model", b"data")
    keep_retrain(project, settings, "manual", "run-1")
    again = keep_retrain(project, settings, "schedule", "run-2")
    assert not again.registered and again.decision.reason.startswith("unchanged")
    assert [r.version for r in read_history(project, "gaitops/retrains")] == ["v1.0.0"] * 2


def test_lineage_of_a_past_retrain_reads_its_own_lock(project):
    settings = Settings.model_validate({"promote": {"push": False}})
    write_retrain(project, 0.90, b"model one", b"data one")
    keep_retrain(project, settings, "manual", "run-1")
    write_retrain(project, 0.91, b"model two", b"data two")
    keep_retrain(project, settings, "manual", "run-2")
    past = lineage_of(project, Path("data/models/final.pt"), rev="v1").render()
    assert "retrain:" in past and "v1.0.0 (promoted)" in past
    assert "dvc get . data/models/final.pt --rev" in past  # the workspace has moved on


def test_a_project_without_commits_says_how_to_keep_retrains(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "dvc.yaml").write_text((ROOT / "dvc.yaml").read_text())
    write_retrain(tmp_path, 0.9, b"m", b"d")
    with pytest.raises(GitError, match="git add -A && git commit"):
        keep_retrain(
            tmp_path, Settings.model_validate({"promote": {"push": False}}), "manual", None
        )


def test_drift_is_measured_against_the_promoted_model_s_training_data(project, tiny_settings):
    import torch

    from gaitops.data.drift import profile
    from gaitops.data.sources.synthetic import generate
    from gaitops.lifecycle.drift_gate import DriftFailed, check_drift, promoted_reference

    table = generate(tiny_settings.synthetic)
    write_retrain(project, 0.90, b"placeholder", b"data one")
    torch.save({"about": {"training_profile": profile(table)}}, project / "data/models/final.pt")
    settings = Settings.model_validate({"promote": {"push": False}, "validate": {"drift": "fail"}})
    keep_retrain(project, settings, "manual", "run-1")
    (project / "data/ingested").mkdir(parents=True)
    knee = table["joint"] == "knee"
    table.assign(angle=table["angle"].where(~knee, table["angle"] * 0.3)).to_parquet(
        project / "data/ingested/gait.parquet"
    )
    reference = promoted_reference(project, settings)
    assert reference.against == "against the training data of gait-model@v1.0.0 (prod)"
    with pytest.raises(DriftFailed, match="knee/sagittal") as refused:
        check_drift(project, settings, reference)
    assert "Nothing stored changed" in str(refused.value)
    warn = Settings.model_validate({"promote": {"push": False}})
    drift = check_drift(project, warn, promoted_reference(project, warn))
    assert drift is not None and drift.beyond
