"""The models benchmark's smoke mode runs end to end, so the table's script cannot rot unseen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gaitops.config import Settings
from gaitops.tasks import TASKS

ROOT = Path(__file__).resolve().parents[2]


def test_models_benchmark_smoke_writes_the_table(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "models.py"), "--smoke", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads((tmp_path / "models.json").read_text())
    models = {row["model"] for row in result["rows"]}
    assert models == {"linear", "mlp"}
    linear = next(row for row in result["rows"] if row["model"] == "linear")
    assert linear["best_baseline"] == "linear" and linear["difference"] == 0.0
    assert "| linear |" in (tmp_path / "models.md").read_text()


def test_model_costs_smoke_prints_a_ratio_per_model():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "model_costs.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    settings = Settings()
    timed = {settings.train.model, *TASKS["group_classification"].baselines, "resnet1d"}
    assert done.stdout.count("ratio") == len(timed)
    assert all(f"  {model} " in done.stdout for model in timed)


def test_recipe_smoke_prints_every_step():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "recipe.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "linear baseline" in done.stdout
    assert done.stdout.count("  resnet1d") == 4  # two scalings x two ways to keep an epoch
