"""The tune stage through DVC and a real Prefect server: a tiny study, a tiny controlled run,
and training on the tuned parameters."""

import copy
import json

import pandas as pd
import pytest
import yaml

from helpers import TINY_PARAMS
from helpers.prefect_runs import flow_runs, new_runs, task_run_names
from helpers.project import make_project, run

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    params = copy.deepcopy(TINY_PARAMS)
    params["tune"] = {
        "enabled": True,
        "sampler": "qlearning",
        "space": "mixed",
        "n_trials": 3,
        "trials_per_round": 2,  # rounds of 2 then 1
        "epochs": 2,
        "storage": "sqlite:///.gaitops/optuna.db",
    }
    params["train"]["hyperparameters"] = "tuned"
    return make_project(tmp_path_factory.mktemp("tune-project"), params)


def test_a_tiny_study_runs_as_a_flow_with_a_task_per_trial_and_feeds_train(
    project, prefect_api_url
):
    before = flow_runs(prefect_api_url)
    result = run(["dvc", "repro", "train"], project, prefect_api_url)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert new_runs(prefect_api_url, before) == [
        (name, "COMPLETED") for name in ("ingest", "train", "tune", "validate")
    ]
    assert task_run_names(prefect_api_url, "tune").count("trial") == 3
    best = json.loads((project / "data" / "tuning" / "best_params.json").read_text())
    assert best["tuned"] and best["sampler"] == "qlearning" and best["space"] == "mixed"
    assert best["trials_per_round"] == 2
    trials = (project / "data" / "tuning" / "trials.csv").read_text().splitlines()
    assert trials[0].startswith("trial,value,best_so_far,epochs") and len(trials) == 4
    progress = pd.read_csv(project / "plots" / "tune" / "progress.csv")
    assert set(progress["series"]) == {"trial", "best so far"} and len(progress) == 6
    train = json.loads((project / "records" / "train.json").read_text())
    assert train["hyperparameters"]["from"] == "data/tuning/best_params.json"
    assert train["hyperparameters"]["values"]["learning_rate"] == best["overrides"]["learning_rate"]
    import optuna

    study = optuna.load_study(
        study_name=best["study_name"], storage=f"sqlite:///{project}/.gaitops/optuna.db"
    )
    assert len(study.trials) == 3 and study.best_value == best["best_value"]


def test_the_controller_mode_tunes_within_one_training_run(project, prefect_api_url):
    params = yaml.safe_load((project / "params.yaml").read_text())
    params["tune"].update({"mode": "controller", "sampler": "mim", "epochs": 3})
    (project / "params.yaml").write_text(yaml.safe_dump(params))
    result = run(["dvc", "repro", "tune"], project, prefect_api_url)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = (project / "data" / "tuning" / "controller.csv").read_text().splitlines()
    assert (
        rows[0].startswith("epoch,action,explored,exploration,validation_loss") and len(rows) == 4
    )
    best = json.loads((project / "data" / "tuning" / "best_params.json").read_text())
    assert best["mode"] == "controller" and "learning_rate" in best["overrides"]
