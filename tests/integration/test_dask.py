"""Folds on Dask workers through Prefect: the same metrics and model bytes as one at a time."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
import yaml

from helpers import TINY_PARAMS
from helpers.prefect_runs import task_run_names
from helpers.project import make_project, run

pytestmark = pytest.mark.integration


def _models(project) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((project / "data" / "models").iterdir())
    }


def test_folds_on_two_dask_workers_give_the_serial_run_s_bytes(tmp_path, prefect_api_url):
    params = copy.deepcopy(TINY_PARAMS)
    params["runtime"] = {"runner": "dask", "workers": 2}
    project = make_project(tmp_path, params)
    on_dask = run(["dvc", "repro", "train"], project, prefect_api_url)
    assert on_dask.returncode == 0, on_dask.stdout[-3000:] + on_dask.stderr[-3000:]
    assert task_run_names(prefect_api_url, "train").count("train fold") == 2
    dask_models = _models(project)
    dask_metrics = (project / "records" / "train.json").read_text()

    settings = yaml.safe_load((project / "params.yaml").read_text())
    settings["runtime"]["runner"] = "serial"
    (project / "params.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    status = run(["dvc", "status", "train"], project, prefect_api_url)
    assert "up to date" in status.stdout  # runtime is no stage's param: it changes no result
    serial = run(["dvc", "repro", "--force", "--single-item", "train"], project, prefect_api_url)
    assert serial.returncode == 0, serial.stdout[-3000:] + serial.stderr[-3000:]
    assert _models(project) == dask_models
    assert (project / "records" / "train.json").read_text() == dask_metrics
    assert json.loads(dask_metrics)["protocol"]["folds"] == 2
