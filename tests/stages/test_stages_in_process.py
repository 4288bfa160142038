"""The stage functions in one process on a tiny synthetic cohort (no Prefect, no DVC)."""

import json
import logging

import numpy as np
import pandas as pd
import pytest

from gaitops.config import Settings
from gaitops.errors import DataSourceError, PipelineStateError, ValidationFailed
from gaitops.models.registry import model_options
from gaitops.panels import PANEL_COLUMNS
from gaitops.paths import Paths
from gaitops.pipeline import addresses, get_stage, split_address
from gaitops.report.run_report import _validation_section
from helpers.browser import browser_page, inked_share, keep_figure
from helpers.imports import ROOT
from helpers.project import declared_outputs


def run_all(settings: Settings, paths: Paths) -> None:
    for address in addresses(settings):
        stage, item = split_address(address)
        stage.function()(settings, paths, **({} if item is None else {"item": item}))


def stage(name: str):
    return get_stage(name).function()


def missing_outputs(settings: Settings, paths: Paths) -> list[str]:
    """The outputs dvc.yaml declares for the stages `settings` runs that a run did not write
    (DVC fails a stage whose declared output does not exist, even an empty folder)."""
    return [
        f"{address}: {path}"
        for address in addresses(settings)
        for path in declared_outputs(ROOT / "dvc.yaml", address)
        if not (paths.root / path).exists()
    ]


@pytest.fixture(scope="module")
def finished(tmp_path_factory, tiny_settings) -> Paths:
    paths = Paths(tmp_path_factory.mktemp("pipeline"))
    run_all(tiny_settings, paths)
    return paths


def test_every_record_names_its_source_and_protocol(finished, tiny_settings):
    methods = tiny_settings.explain.methods
    files = [finished.record("train"), finished.record("compare")] + [
        finished.item_record(stage, method) for stage in ("explain", "score") for method in methods
    ]
    for path in files:
        metrics = json.loads(path.read_text())
        assert metrics["protocol"]["name"] == "subject_kfold", path
    for path in files[:1] + files[2:]:
        assert json.loads(path.read_text())["source"]["name"] == "synthetic", path


def test_compare_ranks_every_method_and_writes_cards_for_every_held_out_sample(
    finished, tiny_settings
):
    methods = tiny_settings.explain.methods
    compared = json.loads(finished.record("compare").read_text())
    assert sorted(compared["methods"]) == sorted(methods) and compared["trusted"] in methods
    assert (finished.comparison_dir / "atlas.png").stat().st_size > 10_000
    cards = sorted((finished.comparison_dir / "cards").glob("*.md"))
    assert len(cards) == compared["cards"] == 12  # every held-out sample of the tiny cohort
    card = cards[0].read_text()
    assert "predicted **" in card and "| angle | % of gait cycle |" in card
    assert "Counterfactual (counterfactual)" in card
    analysis = pd.read_csv(finished.comparison_dir / "probabilities.csv")
    assert set(compared["probabilities"]) == set(analysis["actual"])
    assert analysis["n"].sum() == 12 and (finished.comparison_dir / "probabilities.png").exists()


def test_train_record_agrees_with_the_held_out_predictions(finished):
    train = json.loads(finished.record("train").read_text())
    assert train["protocol"]["subjects_on_both_sides"] == [0, 0]
    assert train["protocol"]["leaks_subjects"] is False
    predictions = pd.read_csv(finished.models_dir / "predictions.csv")
    assert len(predictions) == train["samples"]
    for fold in train["folds"]:
        held_out = predictions[predictions["fold"] == fold["fold"]]
        assert fold["n"] == len(held_out)
        recall = [
            (group["predicted"] == actual).mean() for actual, group in held_out.groupby("actual")
        ]
        assert fold["balanced_accuracy"] == pytest.approx(np.mean(recall))
    per_fold = [fold["balanced_accuracy"] for fold in train["folds"]]
    assert train["balanced_accuracy"]["mean"] == pytest.approx(np.mean(per_fold))
    metrics = json.loads(finished.metrics("train").read_text())
    assert set(metrics) == {"balanced_accuracy"}
    assert metrics["balanced_accuracy"] == train["balanced_accuracy"]


def test_train_keeps_the_last_epoch_and_saves_fold_and_final_models(finished, tiny_settings):
    train = json.loads(finished.record("train").read_text())
    selection = train["protocol"]["model_selection"]
    assert "last epoch, trained on every training subject" in selection["kept"]
    assert (
        selection["best_epoch_per_fold"] == [None, None] and selection["validation_fraction"] == 0
    )
    assert sorted(p.name for p in finished.models_dir.iterdir()) == [
        "final.pt",
        "fold_0.pt",
        "fold_1.pt",
        "predictions.csv",
    ]
    final = train["final_model"]
    assert final["fitted_on"] == f"all {train['samples']} samples of {train['subjects']} subjects"
    assert final["epochs"] == model_options(tiny_settings, "resnet1d").max_epochs


def test_train_plots_hold_one_series_per_class_and_fold(finished):
    train = json.loads(finished.record("train").read_text())
    assert {p.name for p in finished.train_plots_dir.iterdir()} == {"curves.csv", "matrix.csv"}
    matrix = pd.read_csv(finished.train_plots_dir / "matrix.csv")
    assert matrix["count"].sum() == 12 and len(matrix) == 9  # every (actual, predicted) pair
    curves = pd.read_csv(finished.train_plots_dir / "curves.csv")
    roc = curves[curves["panel"].str.startswith("ROC")]
    assert set(roc["series"]) == set(train["classes"])  # one series per class, not mixed
    epochs = curves[curves["panel"].str.startswith("Training loss")]
    assert set(epochs["series"]) == {"fold 0", "fold 1"} and epochs["x"].min() == 1


def test_explanations_and_score_panels_have_their_shapes(finished):
    ig = finished.explanations_of("integrated_gradients")
    by_class = np.load(ig / "by_class.npz")["mean_abs"]
    assert by_class.shape == (3, 8, 101)
    assert (ig / "attributions_by_class.png").stat().st_size > 10_000
    counterfactual = np.load(finished.explanations_of("counterfactual") / "explanations.npz")
    assert counterfactual["examples"].shape == counterfactual["attributions"].shape
    deletion = pd.read_csv(finished.score_plots_of("integrated_gradients") / "deletion.csv")
    assert list(deletion.columns) == PANEL_COLUMNS
    assert {"top", "bottom", "random"} <= set(deletion["series"])


def test_same_params_same_data_same_metrics(tmp_path, finished, tiny_settings):
    again = Paths(tmp_path)
    run_all(tiny_settings, again)
    metrics = sorted(p.relative_to(finished.root) for p in finished.metrics_dir.rglob("*.json"))
    methods = len(tiny_settings.explain.methods)
    assert len(metrics) == 4 + methods  # tune, train, select, compare; score per method
    records = sorted(p.relative_to(finished.root) for p in finished.records_dir.rglob("*.json"))
    assert len(records) == 4 + 2 * methods  # and explain per method
    for relative in metrics + records:
        assert (again.root / relative).read_text() == (finished.root / relative).read_text()
    # the files DVC hashes downstream are byte-identical too, so lineage does not churn
    for relative in (
        "data/validation/report.json",
        "data/models/fold_0.pt",
        "data/models/predictions.csv",
        "plots/train/curves.csv",
        "data/report/index.html",
    ):
        assert (again.root / relative).read_bytes() == (finished.root / relative).read_bytes(), (
            relative
        )


def test_the_report_opens_offline_with_the_run_s_figures(finished):
    train = json.loads(finished.record("train").read_text())
    with browser_page() as visit:
        visit.page.goto(finished.report_page.as_uri())
        text = visit.page.inner_text("body")
        charts = visit.page.locator("figure svg").count()
        screenshot = visit.page.screenshot(full_page=True)
        keep_figure("run_report", visit.page.screenshot())  # the top of the page
    assert visit.blocked == [] and visit.errors == [] and visit.console == []  # self-contained
    score_curves = len(list(finished.plots_dir.glob("score/*/*.csv")))
    assert charts == 2 + score_curves  # train curves and matrix, every score curve
    assert "validation passed" in text and "subject_kfold (folds 2, seed 42)" in text
    balanced = train["balanced_accuracy"]
    assert f"{balanced['mean']:.3f} ± {balanced['sd']:.3f}" in text  # the headline figure
    assert f"{train['folds'][1]['balanced_accuracy']:.4f}".rstrip("0") in text  # a fold's
    assert "Explainer to trust" in text and "Attribution atlas" in text
    assert f"{train['model']} {train['baselines']['verdict']}" in text  # beside its baselines
    assert inked_share(screenshot) > 0.05


def test_the_model_is_recorded_beside_its_baselines_on_the_same_folds(finished, tiny_settings):
    train = json.loads(finished.record("train").read_text())
    beside = train["baselines"]
    expected = tiny_settings.train.baseline_models()
    assert beside["ran"] and list(beside["baselines"]) == expected and expected
    model_folds = [fold["balanced_accuracy"] for fold in train["folds"]]
    assert beside["model"]["per_fold"] == model_folds
    best = beside["baselines"][beside["best_baseline"]]
    assert best["mean"] == max(entry["mean"] for entry in beside["baselines"].values())
    difference = beside["difference_to_best"]
    assert np.allclose(difference["per_fold"], np.subtract(model_folds, best["per_fold"]))
    low, high = difference["ci95"]
    assert low <= difference["mean"] <= high
    better = np.mean(model_folds) > best["mean"]
    assert beside["verdict"] == (
        "beats its baselines" if better else f"a baseline is better: {beside['best_baseline']}"
    ) or beside["verdict"].startswith("ties")


def test_training_refuses_a_table_changed_after_validation(tmp_path, tiny_settings):
    paths = Paths(tmp_path)
    stage("ingest")(tiny_settings, paths)
    stage("validate")(tiny_settings, paths)
    table = pd.read_parquet(paths.canonical_table)
    table.loc[0, "angle"] += 1.0
    table.to_parquet(paths.canonical_table, index=False)
    with pytest.raises(PipelineStateError, match="changed since it was validated"):
        stage("train")(tiny_settings, paths)


def test_failed_validation_saves_its_report_and_nothing_downstream(
    tmp_path, tiny_settings, tiny_table
):
    csv = tmp_path / "mine.csv"
    tiny_table.assign(angle=tiny_table["angle"].where(tiny_table.index != 7, 400.0)).to_csv(
        csv, index=False
    )
    settings = tiny_settings.model_copy(
        update={
            "data": tiny_settings.data.model_copy(
                update={"source": "long_csv", "csv_path": str(csv)}
            )
        }
    )
    paths = Paths(tmp_path / "project")
    stage("ingest")(settings, paths)
    with pytest.raises(ValidationFailed, match=r"400\.0") as failure:
        stage("validate")(settings, paths)
    assert "'line': 9" in str(failure.value)  # row 7 of the user's file is its line 9
    assert json.loads(paths.rejected_report.read_text())["success"] is False
    assert not paths.canonical_dir.exists() and not paths.validation_report.exists()
    with pytest.raises(PipelineStateError, match="Run the validate stage first"):
        stage("train")(settings, paths)
    assert not paths.models_dir.exists()


def test_data_failing_the_gate_never_replaces_the_canonical_table(
    tmp_path, tiny_settings, tiny_table
):
    """A good table passes and is published; a bad one later leaves it, and the report, as they were."""
    csv = tmp_path / "mine.csv"
    tiny_table.to_csv(csv, index=False)
    data = tiny_settings.data.model_copy(update={"source": "long_csv", "csv_path": str(csv)})
    settings = tiny_settings.model_copy(update={"data": data})
    paths = Paths(tmp_path / "project")
    stage("ingest")(settings, paths)
    stage("validate")(settings, paths)
    published = {
        p: p.read_bytes() for p in [*paths.canonical_dir.iterdir(), paths.validation_report]
    }
    one_side = tiny_table[tiny_table["side"] == "L"]
    one_side.assign(angle=one_side["angle"] * 1000).to_csv(csv, index=False)  # huge, one side
    stage("ingest")(settings, paths)
    with pytest.raises(ValidationFailed) as failure:
        stage("validate")(settings, paths)
    message = str(failure.value)
    assert "mine.csv" in message and "'line': " in message and "sides" in message
    assert {p: p.read_bytes() for p in published} == published


def test_unavailable_source_falls_back_loudly_and_says_so(
    tmp_path, tiny_settings, monkeypatch, caplog
):
    monkeypatch.setenv("GAITOPS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GAITOPS_DATA_DIR", raising=False)
    data = tiny_settings.data.model_copy(
        update={"source": "fgdi", "fallback": "synthetic", "download": False}
    )
    info = stage("ingest")(
        tiny_settings.model_copy(update={"data": data}),
        Paths(tmp_path),
        data_dir=tmp_path / "empty",
    )
    assert info.name == "synthetic" and "fgdi unavailable" in info.fallback_reason
    assert "DATA SOURCE FALLBACK" in caplog.text
    strict = data.model_copy(update={"fallback": None})
    with pytest.raises(DataSourceError):
        stage("ingest")(
            tiny_settings.model_copy(update={"data": strict}),
            Paths(tmp_path / "b"),
            data_dir=tmp_path / "empty",
        )


def _with_train(settings: Settings, **train) -> Settings:
    return settings.model_copy(update={"train": settings.train.model_copy(update=train)})


@pytest.mark.parametrize(
    ("task", "model", "protocol", "headline"),
    [
        ("angle_regression", "sdnn", "subject_kfold", "r2"),
        ("angle_regression", "sdnn", "paper", "r2"),
        ("joint_classification", "dffn", "subject_kfold", "macro_f1"),
        ("group_classification", "lstm", "loso", "balanced_accuracy"),
    ],
)
def test_every_task_and_protocol_names_itself_in_its_metrics(
    tmp_path, tiny_settings, task, model, protocol, headline
):
    settings = _with_train(tiny_settings, task=task, model=model, protocol=protocol)
    paths = Paths(tmp_path)
    run_all(settings, paths)
    train = json.loads(paths.record("train").read_text())
    assert (train["task"], train["model"], train["protocol"]["name"]) == (task, model, protocol)
    assert train["protocol"]["leaks_subjects"] is (protocol == "paper")
    leaked = train["protocol"]["subjects_on_both_sides"]
    assert (max(leaked) > 0) if protocol == "paper" else (set(leaked) == {0})
    assert np.isfinite(train[headline]["mean"])
    # all held-out predictions together: the figure that means something under leave-one-subject-out
    assert np.isfinite(train["pooled"][headline])
    assert train["pooled"]["n"] == sum(fold["n"] for fold in train["folds"])
    if protocol == "loso":
        assert len(train["folds"]) == 12
    # Integrated Gradients applies to every task; each score where it declares it applies
    explained = json.loads(paths.item_record("explain", "integrated_gradients").read_text())
    assert explained.get("applicable", True) is True and explained["samples_explained"] > 0
    scored = json.loads(paths.item_record("score", "integrated_gradients").read_text())
    anything = {
        "faithfulness_correlation",
        "sparseness",
        "model_randomisation",
        "subject_stability",
    }
    classification = anything | {"lan_fidelity", "lan_robustness", "deletion"}
    expected = {
        "group_classification": classification | {"localisation"},  # synthetic: truth known
        "joint_classification": classification,
        "angle_regression": anything,
    }[task]
    assert set(scored["directions"]) == expected
    # the counterfactual search is for classification: recorded as not applicable, not faked
    counterfactual = json.loads(paths.item_record("explain", "counterfactual").read_text())
    assert counterfactual.get("applicable", True) is (task != "angle_regression")
    if task == "angle_regression":
        assert "top_features" in explained and "completeness_error" in explained
    if task == "angle_regression":
        assert (
            train["n_inputs"] == 12 + 1 + 2 + 3 + 2 + 1
        )  # subjects, cycle (constant: dropped), sides, joints, planes, time
        curves = pd.read_csv(paths.train_plots_dir / "curves.csv")
        titles = set(curves["panel"])
        assert any(t.startswith("Predicted against actual") for t in titles)
        assert any(t.startswith("Residual against actual") for t in titles)
        assert (paths.train_plots_dir / "matrix.csv").exists()
    if task == "joint_classification":
        assert set(train["one_vs_rest"]) == {"ankle", "hip", "knee", "pelvis"}
    # methods and scores that do not apply still leave every output DVC expects
    assert missing_outputs(settings, paths) == []


def test_condition_labels_that_vary_within_subjects_skip_the_subject_vote(tmp_path, tiny_settings):
    synthetic = tiny_settings.synthetic.model_copy(
        update={
            "groups": ["control"],
            "conditions": ["unbraced", "knee_brace"],
            "subjects_per_group": 6,
        }
    )
    settings = _with_train(tiny_settings, label="condition").model_copy(
        update={"synthetic": synthetic}
    )
    paths = Paths(tmp_path)
    stage("ingest")(settings, paths)
    stage("validate")(settings, paths)
    note = json.loads(paths.validation_report.read_text())["notes"][0]
    assert note.startswith("the label varies within 6 of 6 subjects")
    assert "the label varies within 6 of 6 subjects" in _validation_section(paths)
    train = stage("train")(settings, paths)
    assert train["classes"] == ["knee_brace", "unbraced"]
    assert train["subject_level"] == {
        "applicable": False,
        "reason": "the label varies within subjects (a within-subject design)",
    }


def test_select_draws_the_angle_curve_beside_the_full_model(finished, tiny_settings):
    settings = tiny_settings.model_copy(
        update={
            "select": tiny_settings.select.model_copy(
                update={"enabled": True, "directions": ["forward"], "max_steps": 4, "max_epochs": 3}
            ),
            # three validation subjects of fold 0's six training subjects (two give no loss)
            "train": tiny_settings.train.model_copy(update={"validation_fraction": 0.34}),
        }
    )
    record = stage("select")(settings, finished)
    channels = 8
    assert record["fits"] == 1 + channels + (channels - 1) + (channels - 2) + (channels - 3)
    assert [len(s["kept"]) for s in record["steps"]["forward"]] == [1, 2, 3, 4]
    assert set(record["lan_fidelity"]["forward"]) >= {"fidelity", "accuracy"}
    curve = pd.read_csv(finished.plots_dir / "select" / "curve.csv")
    forward = curve[curve["series"] == "forward"]
    assert list(forward["x"].drop_duplicates()) == [1, 2, 3, 4]
    full = curve[curve["series"] == "full model (every angle)"]
    assert len(full) == 4 and full["y"].nunique() == 1
    assert "subject" in record["split"] and record["protocol"]["leaks_subjects"] is False


def test_explainers_that_need_gradients_say_so_for_a_forward_only_model():
    from gaitops.explain.registry import applicability, get_explainer
    from gaitops.tasks import TASKS

    task = TASKS["group_classification"]
    reason = applicability(get_explainer("integrated_gradients"), task, "minirocket")
    assert reason == "integrated_gradients needs input gradients, which minirocket does not give"
    assert applicability(get_explainer("feature_ablation"), task, "minirocket") is None
    assert applicability(get_explainer("integrated_gradients"), task, "linear") is None


def test_train_says_its_estimate_before_its_first_fit(tmp_path, tiny_settings, caplog):
    paths = Paths(tmp_path)
    for name in ("ingest", "validate"):
        stage(name)(tiny_settings, paths)
    with caplog.at_level(logging.INFO, logger="gaitops"):
        stage("train")(tiny_settings, paths)
    said = [record.getMessage() for record in caplog.records]
    estimate = next(i for i, line in enumerate(said) if line.startswith("training estimate"))
    first_fold = next(i for i, line in enumerate(said) if line.startswith("fold 0:"))
    assert estimate < first_fold
    folds = tiny_settings.train.folds
    assert f"for {folds} folds and the final model" in said[estimate]
    assert "resnet1d" in said[estimate]
