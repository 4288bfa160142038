"""Every benchmark has a smoke mode, and the smoke modes of the scripts outside
test_models_benchmark.py run end to end and print their tables and ratios."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from gaitops.config import load_settings
from gaitops.explain.registry import all_explainers
from gaitops.scoring.registry import SCORES
from gaitops.tasks import TASKS
from helpers.postgres import REQUIRE_ENV, unavailable_reason
from helpers.smoke import run_smoke

ROOT = Path(__file__).resolve().parents[2]
NUMBER = r"\d+\.\d+"


def _lines_matching(printed: str, pattern: str) -> list[re.Match[str]]:
    return [m for line in printed.splitlines() if (m := re.fullmatch(pattern, line))]


def test_every_benchmark_script_has_a_smoke_mode():
    scripts = sorted(p for p in (ROOT / "benchmarks").glob("*.py") if not p.name.startswith("_"))
    assert scripts
    missing = [p.name for p in scripts if "--smoke" not in p.read_text()]
    assert not missing, f"benchmarks without a --smoke mode: {missing}"


def test_dask_folds_smoke_times_both_runners_and_compares_their_bytes(prefect_api_url):
    printed = run_smoke("dask_folds.py", prefect_api_url=prefect_api_url)
    for arm in ("torch's default threads", "1 torch thread per fit", "1 thread each"):
        assert _lines_matching(printed, rf"  .*{re.escape(arm)}: +{NUMBER} s"), arm
    assert _lines_matching(printed, rf"speed-up, same bytes \(serial / dask.*\): +{NUMBER}x")
    assert _lines_matching(printed, rf"speed-up against the default serial run: +{NUMBER}x")
    assert _lines_matching(
        printed, r"model bytes identical across runners: True \([1-9]\d* files\)"
    )


def test_garbage_collection_smoke_times_both_arms_and_compares_their_outputs(prefect_api_url):
    printed = run_smoke("garbage_collection.py", prefect_api_url=prefect_api_url)
    for arm in ("Python's defaults", "gaitops"):
        assert _lines_matching(printed, rf"  ingest +{re.escape(arm)} +{NUMBER} s"), arm
    both = rf" +{NUMBER} -> +{NUMBER} "  # Python's defaults -> gaitops
    assert _lines_matching(printed, rf"ingest +\|{both}\|{both}\| .* \| +{NUMBER} \| True")
    assert _lines_matching(printed, rf"total, .* ratio {NUMBER}; CPU .* ratio {NUMBER}")


def test_explain_defaults_smoke_times_every_stage_of_both_settings_and_the_ratio():
    printed = run_smoke("explain_defaults.py")
    methods = load_settings(ROOT / "params.yaml").explain.methods
    assert printed.startswith("baseline: methods ['integrated_gradients']")
    assert "\ndefault: methods " + str(methods) in printed
    for address in ["integrated_gradients", *methods]:
        for stage in ("explain", "score"):
            assert _lines_matching(printed, rf"  {stage}@{address} +{NUMBER} s"), address
    assert len(_lines_matching(printed, rf"  compare +{NUMBER} s")) == 2
    assert _lines_matching(
        printed, rf"default / baseline explain \+ score \+ compare time: {NUMBER}x"
    )


def test_explainers_smoke_prints_the_ig_ratio_and_a_time_per_explainer_and_score():
    printed = run_smoke("explainers.py")
    task = TASKS["group_classification"]
    assert _lines_matching(printed, rf"Integrated Gradients \(.*\): {NUMBER} s; .* ratio {NUMBER}")
    for name, explainer in all_explainers().items():
        if explainer.applies_to(task):
            assert _lines_matching(printed, rf"  {name} +{NUMBER}"), name
    for name, score in SCORES.items():
        if score().applies_to(task) and score().can_score(frozenset({"attributions", "explain"})):
            assert _lines_matching(printed, rf"  {name} +{NUMBER} s"), name


def test_lightning_vs_torch_smoke_prints_the_ratio_for_both_models():
    printed = run_smoke("lightning_vs_torch.py")
    rows = _lines_matching(
        printed, rf"(\w+), \d+ (?:cycles|rows) .* \(Lightning / plain\) {NUMBER}"
    )
    assert [row[1] for row in rows] == ["resnet1d", "sdnn"]


def test_loso_growth_smoke_prints_each_size_and_the_growth_exponents(prefect_api_url):
    printed = run_smoke("loso_growth.py", prefect_api_url=prefect_api_url)
    rows = _lines_matching(printed, rf" +(\d+) \|.*\| {NUMBER}x")
    assert [int(row[1]) for row in rows] == [6, 9]
    for runner in ("serial", "2 dask workers"):
        exponents = rf"growth exponent, {runner}: time ~ subjects\^-?{NUMBER}, peak memory ~ subjects\^-?{NUMBER}"
        assert _lines_matching(printed, exponents), runner


def test_parallel_trials_smoke_prints_both_speed_ups():
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{REQUIRE_ENV} is set but {reason}")
        pytest.skip(reason)
    printed = run_smoke("parallel_trials.py")
    assert printed.startswith("2 trials of synthetic-mlp-group (1 epochs each)")
    for workers in ("one worker, 2 torch threads", "one worker, 1 torch thread", "two workers"):
        assert _lines_matching(printed, rf"{workers}.*: +{NUMBER} s"), workers
    for threads in ("1 thread", "2 threads"):
        assert _lines_matching(
            printed, rf"speed-up \(one worker {threads} / two workers\): {NUMBER}"
        )


def test_tuners_smoke_runs_every_command_and_reports_every_arm():
    printed = run_smoke("tuners.py")
    assert "synthetic-mlp-group: 64 rows (16 configurations)" in printed
    checked = _lines_matching(printed, r".*live check: (\d+) of (\d+) retrained runs match.*")
    assert checked and checked[0][1] == checked[0][2] != "0"
    arms = (
        "random",
        "grid",
        "qmc",
        "tpe",
        "tpe_multivariate",
        "gp",
        "cmaes",
        "qlearning",
        "mim",
        "linucb",
        r"tpe\+hyperband",
        r"random\+successive_halving",
        r"tpe\+median",
    )
    for arm in arms:  # a row of the tabulated problem's table each
        assert _lines_matching(printed, rf"\| {arm} \| \d+ \| {NUMBER} \[.*"), arm
    for section in ("## Controls", "## Pre-registered claims", "## Controller mode (live)"):
        assert section in printed
    for claim in ("C1", "C2", "C3", "C4"):
        assert f"**{claim}**" in printed
    for arm in (
        "qlearning",
        "mim",
        "random_actions",
        "constant_default",
        "constant_best_static",
        "cosine",
        "one_cycle",
        "plateau",
    ):
        assert _lines_matching(printed, rf"\| {arm} \| 2 \| {NUMBER} \[.*"), arm
    assert _lines_matching(printed, rf".*minimum detectable effect {NUMBER} regret at 100 seeds.*")
