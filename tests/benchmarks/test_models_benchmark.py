"""Every model benchmark's smoke mode runs end to end, so none of the scripts can rot unseen."""

from __future__ import annotations

import json
from pathlib import Path

from gaitops.config import Settings
from gaitops.pipeline import addresses
from gaitops.tasks import TASKS
from helpers import quick_after_train
from helpers.smoke import run_smoke

ROOT = Path(__file__).resolve().parents[2]


def test_models_benchmark_smoke_writes_the_table(tmp_path):
    run_smoke("models.py", "--out", str(tmp_path))
    result = json.loads((tmp_path / "models.json").read_text())
    models = {row["model"] for row in result["rows"]}
    assert models == {"linear", "mlp"}
    linear = next(row for row in result["rows"] if row["model"] == "linear")
    assert linear["best_baseline"] == "linear" and linear["difference"] == 0.0
    assert "| linear |" in (tmp_path / "models.md").read_text()


def test_model_costs_smoke_prints_a_ratio_per_model():
    printed = run_smoke("model_costs.py")
    settings = Settings()
    timed = {settings.train.model, *TASKS["group_classification"].baselines, "resnet1d"}
    assert printed.count("ratio") == len(timed)
    assert all(f"  {model} " in printed for model in timed)


def test_recipe_smoke_prints_every_step():
    printed = run_smoke("recipe.py")
    assert "linear baseline" in printed
    assert printed.count("  resnet1d") == 4  # two scalings x two ways to keep an epoch


def test_lifecycle_smoke_prints_the_added_cost_as_ratios():
    printed = run_smoke("lifecycle.py")
    assert "(baseline)" in printed and printed.count("ratio") == 4
    assert "lifecycle total" in printed


def test_data_scaling_smoke_prints_sizes_exponents_and_the_estimate():
    printed = run_smoke("data_scaling.py")
    rows = [line for line in printed.splitlines() if line.startswith(("1x", "2x"))]
    assert len(rows) == 2
    assert "growth exponent b" in printed and "peak memory" in printed
    assert "train estimate / measured train seconds: 1x" in printed


def test_pipeline_overhead_smoke_times_every_stage_address_and_the_ratio(prefect_api_url):
    printed = run_smoke("pipeline_overhead.py", prefect_api_url=prefect_api_url)
    settings = Settings.model_validate(quick_after_train())  # the smoke's params
    rows = {words[0]: words[1:] for words in map(str.split, printed.splitlines()) if words}
    for address in addresses(settings):  # seconds directly and of its flow run in the retrain
        direct, in_flow_run, _peak = rows[address]
        assert float(direct) >= 0 and float(in_flow_run) > 0
    assert "orchestration overhead ratio (Prefect + DVC / direct):" in printed
    assert "(in the stage flow runs " in printed
