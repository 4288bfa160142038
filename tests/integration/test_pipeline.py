"""The whole pipeline through DVC and a real Prefect server, on a tiny synthetic cohort."""

import json
import shutil

import pandas as pd
import pytest
import yaml

from gaitops.config import Settings
from gaitops.pipeline import STAGE_NAMES, addresses
from helpers import quick_after_train, reproduced_params
from helpers.browser import browser_page, inked_share, keep_figure
from helpers.prefect_runs import (
    artifact_markdown,
    flow_runs,
    new_runs,
    newest_run_id,
    parent_of,
)
from helpers.project import copy_project, make_project, run, stale_stages

pytestmark = pytest.mark.integration
REPRODUCED = reproduced_params()  # the params of the session's reproduced project
ADDRESSES = addresses(Settings.model_validate(REPRODUCED))  # explain@METHOD, ... per method
FLOW_NAMES = sorted(address.split("@")[0] for address in ADDRESSES)  # one flow run each


@pytest.fixture(scope="module")
def project(tmp_path_factory, reproduced_tiny):
    """The session's reproduced tiny project (tests/integration/conftest.py), copied: this
    module's tests change params and code in it."""
    return copy_project(reproduced_tiny, tmp_path_factory.mktemp("project") / "project")


def test_dvc_repro_runs_every_stage_as_a_completed_flow(reproduced_tiny):
    result, project = reproduced_tiny.result, reproduced_tiny.path
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert reproduced_tiny.runs == [(name, "COMPLETED") for name in FLOW_NAMES]
    lock = yaml.safe_load((project / "dvc.lock").read_text())
    assert sorted(lock["stages"]) == sorted(ADDRESSES)
    train = json.loads((project / "records" / "train.json").read_text())
    assert train["protocol"]["name"] == "subject_kfold" and train["source"]["name"] == "synthetic"
    # each fold task logs its epochs as they end, then which epoch it kept
    logs = reproduced_tiny.train_fold_logs
    assert len(logs) == REPRODUCED["train"]["folds"]
    epochs = REPRODUCED["models"]["resnet1d"]["max_epochs"]
    for messages in logs.values():
        lines = [m for m in messages if " epoch " in m and "training loss" in m]
        assert len(lines) == epochs, messages
        assert "training loss" in lines[-1]  # train.keep_epoch: last holds no subjects out
        assert any(": kept the last of " in m and "test samples" in m for m in messages)


def test_dvc_plots_show_draws_every_plot_file_offline(project, prefect_api_url):
    result = run(["dvc", "plots", "show"], project, prefect_api_url)
    assert result.returncode == 0 and "failed to load" not in result.stdout + result.stderr
    page = project / "dvc_plots" / "index.html"
    assert "cdn.jsdelivr" not in page.read_text()  # the libraries are inlined
    files = sorted(project.glob("plots/**/*.csv"))
    assert {f.relative_to(project).as_posix() for f in files} >= {
        "plots/train/curves.csv",
        "plots/train/matrix.csv",
    }
    with browser_page() as visit:
        visit.page.goto(page.as_uri())
        visit.page.wait_for_function(
            f"document.querySelectorAll('.vega-embed .marks').length >= {len(files)}"
        )
        drawn = visit.page.locator(".vega-embed .marks").count()
        titles = visit.page.inner_text("body")
        screenshot = visit.page.screenshot(full_page=True)
    keep_figure("dvc_plots_show", screenshot)
    assert visit.blocked == [] and visit.errors == [] and visit.console == []
    assert drawn == len(files)  # one chart per file: no panel drawn twice against `step`
    assert "ROC per class" in titles and "Training loss per fold" in titles
    assert inked_share(screenshot) > 0.05


def test_metrics_and_experiments_fit_a_terminal(project, prefect_api_url):
    shown = run(["dvc", "metrics", "show"], project, prefect_api_url)
    assert shown.returncode == 0, shown.stderr
    widest = max(len(line) for line in shown.stdout.splitlines())
    assert widest < 400, shown.stdout  # headline numbers only; the records hold the rest
    assert "group_classification" not in shown.stdout  # no descriptive strings as metrics


def test_second_repro_runs_nothing(project, prefect_api_url):
    result = run(["dvc", "repro"], project, prefect_api_url)
    assert result.returncode == 0
    assert "Running stage" not in result.stdout
    assert "Data and pipelines are up to date." in result.stdout


def test_lineage_traces_a_model_to_its_data_params_and_code(project, prefect_api_url):
    traced = run(["gaitops", "lineage", "data/models/fold_0.pt"], project, prefect_api_url)
    assert traced.returncode == 0, traced.stderr[-2000:]
    assert "stage:    train (output data/models, md5 " in traced.stdout
    assert (
        "source:   synthetic" in traced.stdout and "data:     data/canonical md5 " in traced.stdout
    )
    assert '"folds": 2' in traced.stdout and "current:  yes" in traced.stdout
    params_file = project / "params.yaml"
    original = params_file.read_text()
    changed = yaml.safe_load(original)
    changed["train"]["seed"] = 7
    params_file.write_text(yaml.safe_dump(changed, sort_keys=False))
    try:
        stale = run(["gaitops", "lineage", "metrics/train.json"], project, prefect_api_url)
    finally:
        params_file.write_text(original)
    assert "train: changed deps params.yaml (train modified)" in stale.stdout, stale.stdout
    unknown = run(["gaitops", "lineage", "README.md"], project, prefect_api_url)
    assert unknown.returncode == 1 and "no stage in dvc.lock produced it" in unknown.stderr


def test_changing_one_param_reruns_only_the_stages_that_read_it(project, prefect_api_url):
    params = yaml.safe_load((project / "params.yaml").read_text())
    params["explain"]["options"]["integrated_gradients"]["n_steps"] = 12
    (project / "params.yaml").write_text(yaml.safe_dump(params))
    result = run(["dvc", "repro"], project, prefect_api_url)
    assert result.returncode == 0, result.stderr[-3000:]
    ran = sorted(s for s in ADDRESSES if f"Running stage '{s}'" in result.stdout)
    # one method's options: its own two stages, then the comparison and report they feed
    assert ran == [
        "compare",
        "explain@integrated_gradients",
        "report",
        "score@integrated_gradients",
    ]


def test_retrain_flow_publishes_the_metrics_artifact(project, prefect_api_url):
    before = flow_runs(prefect_api_url)
    result = run(["python", "-m", "flows.run"], project, prefect_api_url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert new_runs(prefect_api_url, before) == [
        ("retrain", "COMPLETED")
    ]  # nothing was out of date
    key = "group-classification-resnet1d"  # one history per task and model
    markdown = artifact_markdown(prefect_api_url, f"gaitops-metrics-{key}")
    assert (
        "subject_kfold" in markdown and "balanced accuracy" in markdown and "synthetic" in markdown
    )
    assert "Nothing changed since the last run" in markdown  # not republished as if new
    provenance = artifact_markdown(prefect_api_url, f"gaitops-provenance-{key}")
    assert "- **dvc.lock**: sha256 " in provenance and "fold_0.pt" in provenance
    assert (
        "nothing changed" in provenance
        and "## Params changed since the previous retrain" in provenance
    )
    folds = artifact_markdown(prefect_api_url, f"gaitops-folds-{key}")
    assert "mean" in folds and "balanced_accuracy" in folds


@pytest.mark.parametrize("edited", STAGE_NAMES)
def test_editing_one_stage_module_marks_only_it_and_its_descendants_stale(
    project, prefect_api_url, edited
):
    module = project / "src" / "gaitops" / "stages" / f"{edited}.py"
    original = module.read_text()
    module.write_text(original + "# a comment\n")
    try:
        stale = stale_stages(project, prefect_api_url)
    finally:
        module.write_text(original)
    # dvc status names the stage whose code changed (each of its per-method stages); its
    # descendants run only if its outputs change
    assert stale == [a for a in ADDRESSES if a.split("@")[0] == edited]
    assert stale_stages(project, prefect_api_url) == []


def test_bytecode_python_writes_beside_the_code_marks_no_stage_stale(project, prefect_api_url):
    """Where Python writes bytecode (the default), importing the stages' code puts __pycache__
    folders inside the folders the stages depend on: .dvcignore keeps them out of the hashes."""
    caches = [
        package.parent / "__pycache__"
        for package in sorted((project / "src" / "gaitops").rglob("__init__.py"))
        if not (package.parent / "__pycache__").exists()
    ]
    for cache in caches:
        cache.mkdir()
        (cache / "__init__.cpython-311.pyc").write_bytes(b"bytecode")
    try:
        assert stale_stages(project, prefect_api_url) == []
    finally:
        for cache in caches:
            shutil.rmtree(cache)


def test_retrain_runs_stale_stages_in_process_as_subflows_and_records_them(
    project, prefect_api_url
):
    params = yaml.safe_load((project / "params.yaml").read_text())
    # faithfulness correlation's option: every method's scores change
    params["score"].setdefault("options", {})["faithfulness_correlation"] = {"runs": 30}
    (project / "params.yaml").write_text(yaml.safe_dump(params))
    before = flow_runs(prefect_api_url)
    result = run(["python", "-m", "flows.run"], project, prefect_api_url)
    assert result.returncode == 0, result.stderr[-3000:]
    methods = REPRODUCED["explain"]["methods"]
    assert new_runs(prefect_api_url, before) == sorted(
        [("retrain", "COMPLETED"), ("compare", "COMPLETED"), ("report", "COMPLETED")]
        + [("score", "COMPLETED")] * len(methods)
    )
    assert parent_of(prefect_api_url, "score") == "retrain"  # nested under the retrain run
    assert stale_stages(project, prefect_api_url) == []  # dvc.lock records the in-process run
    again = run(["dvc", "repro"], project, prefect_api_url)
    assert "Data and pipelines are up to date." in again.stdout


def test_the_prefect_ui_shows_the_retrain_with_its_stage_runs_and_artifacts(
    project, prefect_api_url
):
    """The run page a team opens: the retrain COMPLETED, its stage runs, its artifacts."""
    origin = prefect_api_url.removesuffix("/api")
    key = "group-classification-resnet1d"
    with browser_page(allowed_origin=origin) as visit:
        page = visit.page
        page.goto(f"{origin}/runs/flow-run/{newest_run_id(prefect_api_url, 'retrain')}")
        page.get_by_text("Completed").first.wait_for(timeout=60_000)
        page.get_by_text("retrain", exact=True).first.wait_for(timeout=30_000)  # its flow
        page.get_by_text("Subflow Runs", exact=True).click()
        for stage in ("score", "compare", "report"):  # what the last retrain ran
            page.get_by_text(stage, exact=True).first.wait_for(timeout=30_000)
        keep_figure("prefect_ui_stage_runs", page.screenshot())
        page.get_by_text("Artifacts", exact=True).click()
        for kind in ("metrics", "folds", "provenance", "report"):
            page.get_by_text(f"gaitops-{kind}-{key}", exact=True).wait_for(timeout=30_000)
        screenshot = page.screenshot()
        keep_figure("prefect_ui_artifacts", screenshot)
    assert visit.errors == [], visit.errors  # (its own console: a missing icon, 404)
    assert visit.blocked == []  # the UI is served by the project's server, nothing else
    assert inked_share(screenshot) > 0.05


def long_csv_params(**data: object) -> dict:
    """The tiny cohort as a user's canonical CSV at data/raw/gait.csv (one explainer: these
    tests are about the user's file)."""
    params = quick_after_train()
    params["data"].update({"source": "long_csv", "csv_path": "data/raw/gait.csv", **data})
    params["data"]["columns"] = {c: c for c in ("session", "cycle", "plane", "condition")}
    return params


@pytest.mark.parametrize(
    ("corruption", "failed_stage", "expected"),
    [
        (
            "out_of_range_angle",
            "validate",
            'expect_column_values_to_be_between on `angle` where joint=="knee"',
        ),
        ("missing_column", "ingest", "set data.columns.side in params.yaml"),
    ],
)
def test_corrupt_input_stops_before_training_and_leaves_no_model(
    tmp_path, prefect_api_url, tiny_table, corruption, failed_stage, expected
):
    project = make_project(tmp_path, long_csv_params())
    table: pd.DataFrame = tiny_table
    if corruption == "out_of_range_angle":
        knee = (table.joint == "knee") & (table.time == 50) & (table.subject == "S003")
        table.loc[knee, "angle"] = 250.0
    else:
        table = table.drop(columns=["side"])
    table.to_csv(project / "data" / "raw" / "gait.csv", index=False)
    before = flow_runs(prefect_api_url)
    result = run(["dvc", "repro"], project, prefect_api_url)
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr[-3000:]
    runs = new_runs(prefect_api_url, before)
    if failed_stage == "validate":
        assert runs == [("ingest", "COMPLETED"), ("validate", "FAILED")]
        assert "failed validation" in result.stderr
        report = json.loads((project / "data" / "rejected" / "validation.json").read_text())
        assert report["success"] is False
        assert not (project / "data" / "canonical").exists()
        assert "'line': " in result.stderr  # the examples name the user's file lines
    else:
        assert runs == [("ingest", "FAILED")]
        assert not (project / "data" / "canonical").exists()
    assert not (project / "data" / "models").exists()
    assert not (project / "metrics").exists()


def _stored(project) -> dict[str, str]:
    """sha256 of every stored output and of dvc.lock."""
    import hashlib

    files = [project / "dvc.lock"] + [
        p
        for folder in ("data", "metrics", "plots")
        for p in sorted((project / folder).rglob("*"))
        if p.is_file() and "raw" not in p.parts
    ]
    return {str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module")
def user_file_run(tmp_path_factory, prefect_api_url, tiny_table_cached):
    """A project whose retrain on the user's own CSV succeeded (each test edits a copy)."""
    project = make_project(tmp_path_factory.mktemp("user"), long_csv_params(fallback="synthetic"))
    tiny_table_cached.to_csv(project / "data" / "raw" / "gait.csv", index=False)
    first = run(["gaitops", "run"], project, prefect_api_url)
    assert first.returncode == 0, first.stderr[-3000:]
    said = first.stdout + first.stderr
    # it ends with the run's figures and where to look, as the demo does
    assert "| metric | value |" in first.stdout and "report: data/report/index.html" in said
    # DVC's messages once each (not again through the root logger)
    assert said.count("To track the changes with git") <= 1, said[-3000:]
    assert said.count("dvc.dvcfile - Updating lock file") == 0, said[-3000:]
    return project


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("empty", "the data file is empty"),
        ("unknown side", "an unknown side label"),
        ("one subject", "at least two"),
    ],
)
def test_bad_user_file_prints_one_short_message_and_changes_nothing_stored(
    tmp_path, prefect_api_url, user_file_run, tiny_table, kind, words
):
    project = tmp_path / "project"
    shutil.copytree(user_file_run, project, symlinks=True)
    csv = project / "data" / "raw" / "gait.csv"
    stored = _stored(project)
    if kind == "empty":
        csv.write_bytes(b"")
    elif kind == "unknown side":
        table = tiny_table.copy()
        table.loc[40, "side"] = "middle"
        table.to_csv(csv, index=False)
    else:
        tiny_table[tiny_table.subject == tiny_table.subject.iloc[0]].to_csv(csv, index=False)
    result = run(["gaitops", "run"], project, prefect_api_url)
    assert result.returncode == 1
    assert words in result.stderr and "Traceback" not in result.stderr + result.stdout
    # the message once, at the end (the Prefect runs' Failed states carry it as one line)
    assert result.stderr.count("\ngaitops: ") == 1
    assert words in result.stderr[result.stderr.index("\ngaitops: ") :]
    # besides the block: the two Failed states (stage, retrain) name it, nothing else does
    assert result.stderr.count(words) <= 3, result.stderr
    assert "synthetic" not in result.stderr  # a user's file never falls back
    if kind != "one subject":  # parse failures: not even the canonical table changes
        assert _stored(project) == stored
    else:  # it parses, but cannot support the protocol: only ingest's own record moves
        changed = {k for k in stored if _stored(project).get(k) != stored[k]}
        assert changed <= {
            "dvc.lock",
            "data/ingested/gait.parquet",
            "data/ingested/source.json",
            "data/ingested/lines.parquet",
        }, changed


def test_fallback_data_fails_gaitops_run_unless_allowed(tmp_path, prefect_api_url):
    """The built-in data set is missing: the run falls back loudly, exits 1, and says so."""
    import subprocess

    from helpers.project import tool_env

    params = quick_after_train()
    params["data"].update({"source": "fgdi", "download": False, "fallback": "synthetic"})
    project = make_project(tmp_path / "project", params)
    env = tool_env(prefect_api_url, {"GAITOPS_CACHE_DIR": str(tmp_path / "no-cache")})

    def gaitops_run(*flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["gaitops", "run", *flags],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    refused = gaitops_run()
    assert refused.returncode == 1, refused.stderr[-3000:]
    assert "the run used fallback data" in refused.stderr and "--allow-fallback" in refused.stderr
    assert "Traceback" not in refused.stderr
    source = json.loads((project / "data" / "canonical" / "source.json").read_text())
    assert source["name"] == "synthetic" and "fgdi unavailable" in source["fallback_reason"]
    before = flow_runs(prefect_api_url)
    allowed = gaitops_run("--allow-fallback")
    assert allowed.returncode == 0, allowed.stderr[-3000:]
    assert "FALLBACK DATA" in allowed.stderr
    assert new_runs(prefect_api_url, before) == [("retrain", "COMPLETED")]
