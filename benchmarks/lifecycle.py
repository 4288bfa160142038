"""What the retraining lifecycle adds to a retrain: the final model fitted on every subject, the
training-data profile drift is measured against, and keeping the retrain (a commit on the
history branch, GTO's version and stage tags), against the cross-validation the train stage
already ran, timed in the same run on the same data and model.

    python benchmarks/lifecycle.py           # fgdi ($GAITOPS_DATA_DIR), the default model
    python benchmarks/lifecycle.py --smoke   # a tiny cohort (seconds; make test runs it)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gaitops.config import Settings
from gaitops.data.drift import profile
from gaitops.data.inputs import build_dataset
from gaitops.evaluation.protocol import plan_folds
from gaitops.lifecycle.keeper import keep_retrain
from gaitops.models.final import fit_final
from gaitops.models.registry import model_options
from gaitops.models.store import save_model
from gaitops.models.training import train_fold
from gaitops.tasks import TASKS
from model_costs import _table as cohort  # fgdi, else the synthetic cohort (benchmarks/)

ROOT = Path(__file__).resolve().parents[1]


def _settings(smoke: bool) -> Settings:
    if not smoke:
        return Settings()
    return Settings.model_validate({"models": {"multirocket": {"kernels": 84}}})


def _keep_seconds(model_file: Path, mean: float) -> float:
    """keep_retrain in a fresh git repository holding this project's dvc.yaml."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
        (project / "dvc.yaml").write_text((ROOT / "dvc.yaml").read_text())
        subprocess.run(["git", "add", "-A"], cwd=project, check=True)
        subprocess.run(
            ["git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "base"],
            cwd=project,
            check=True,
        )
        (project / "records").mkdir()
        (project / "data/models").mkdir(parents=True)
        record = {
            "task": "group_classification",
            "model": "multirocket",
            "balanced_accuracy": {"mean": mean, "sd": 0.0},
            "protocol": {"name": "subject_kfold"},
        }
        (project / "records/train.json").write_text(json.dumps(record))
        (project / "data/models/final.pt").write_bytes(model_file.read_bytes())
        settings = Settings.model_validate({"promote": {"push": False}})
        start = time.perf_counter()
        keep_retrain(project, settings, "manual", None)
        return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny cohort, in seconds")
    smoke = parser.parse_args(argv).smoke
    name, table = cohort(smoke)
    settings = _settings(smoke)
    task = TASKS[settings.train.task]
    data = build_dataset(table, task, settings.train.label, settings.train.channels)
    folds = plan_folds(data, settings.train)
    model = settings.train.model
    section = model_options(settings)
    start = time.perf_counter()
    results = [train_fold(data, fold, model, section, 42, 0.0, task) for fold in folds]
    cross_validation = time.perf_counter() - start
    start = time.perf_counter()
    final = fit_final(data, model, section, 42, results, task)
    final_fit = time.perf_counter() - start
    start = time.perf_counter()
    profile(table)
    profiling = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "final.pt"
        save_model(path, final.spec, final.state_dict, data.classes, data.input_names)
        keeping = _keep_seconds(path, 0.9)
    added = final_fit + profiling + keeping
    print(f"{name}, {len(data)} samples, {model}, {len(folds)} folds")
    print(f"  cross-validation (today's train stage)  {cross_validation:8.2f} s  (baseline)")
    print(
        f"  final model on every subject            {final_fit:8.2f} s  ratio {final_fit / cross_validation:.2f}"
    )
    print(
        f"  training-data profile                   {profiling:8.2f} s  ratio {profiling / cross_validation:.3f}"
    )
    print(
        f"  keep: history commit, GTO tags          {keeping:8.2f} s  ratio {keeping / cross_validation:.3f}"
    )
    print(
        f"  lifecycle total                         {added:8.2f} s  ratio {added / cross_validation:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
