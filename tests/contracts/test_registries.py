"""One contract over every registered model, source, explainer and score."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml
from captum.attr import Saliency as CaptumSaliency
from pydantic import BaseModel

from gaitops.config import Settings
from gaitops.data.inputs import build_dataset
from gaitops.data.schema import COLUMNS
from gaitops.data.sources.registry import SOURCES
from gaitops.errors import ConfigError
from gaitops.explain.base import ExplainContext, Explainer, Explanation
from gaitops.explain.baselines import BASELINES, baseline_for
from gaitops.explain.registry import EXPLAINER_NAMES, check_explain_options, get_explainer
from gaitops.explain.segments import GROUPINGS, segments_for
from gaitops.models.registry import MODELS, model_options, models_for
from gaitops.models.store import load_model, save_model
from gaitops.models.training import fit_network
from gaitops.scoring.base import CATEGORIES, Score, ScoreInputs, ScoreValue
from gaitops.scoring.registry import SCORES, check_score_options
from gaitops.tasks import TASKS, Task

PARAMS = yaml.safe_load((Path(__file__).parents[2] / "params.yaml").read_text())
LIGHT_OPTIONS = {"n_steps": 8, "n_samples": 40, "steps": 20, "draws": 2}  # quick, same code paths
TASK_OF_MODEL = {model: task for task in TASKS.values() for model in models_for(task)}
QUICK = {"max_epochs": 1, "max_iter": 5, "kernels": 84}  # fewest epochs / iterations / kernels


def _dataset(table, task: Task):
    return build_dataset(table, task, "group", "all")


def _fitted_model(data, architecture: str, settings: Settings):
    """The model fitted on all of `data` with its fewest epochs / iterations / kernels (FitResult)."""
    section = model_options(settings, architecture)
    fields = type(section).model_fields
    quick = section.model_copy(update={k: v for k, v in QUICK.items() if k in fields})
    every = np.arange(len(data))
    return fit_network(data, every, every[:0], architecture, quick, seed=0)


def test_every_model_does_a_task_and_every_tasks_baselines_do_it():
    assert set(TASK_OF_MODEL) == set(MODELS)
    for task in TASKS.values():
        assert set(task.baselines) <= set(models_for(task))


def _params_state_in_full(section: str, options_models: dict[str, type[BaseModel]]) -> None:
    """params.yaml's `section`.options names exactly these components, each with its options
    model's defaults in full."""
    stated = PARAMS[section]["options"]
    assert sorted(stated) == sorted(options_models)
    for name, model in options_models.items():
        defaults = model().model_dump(mode="json")
        assert stated[name] == defaults, f"params.yaml {section}.options.{name}"


def test_params_yaml_states_every_models_options_as_its_options_model_defaults():
    """Each model's defaults live in its options model; params.yaml states them too (DVC tracks
    models.NAME), and the two stay equal."""
    settings = Settings.model_validate(PARAMS)
    assert set(PARAMS["models"]) == set(MODELS)
    for name, model in MODELS.items():
        assert model_options(settings, name) == model.options(), name


def test_a_wrong_model_name_task_or_option_is_refused_with_what_is_allowed():
    from gaitops.models.registry import check_models

    wrong = [
        ({"train": {"model": "resnet"}}, r"train\.model: 'resnet' is not one of \["),
        ({"train": {"model": "sdnn"}}, r"train\.model: 'sdnn' does not do group_classification"),
        ({"train": {"baselines": ["dffn"]}}, r"train\.baselines: 'dffn' does not do group_"),
        ({"models": {"resnet": {}}}, r"models: 'resnet' is not one of \["),
        (
            {"models": {"resnet1d": {"filters": 1}}},
            r"models\.resnet1d\.filters: .* \(given 1\); resnet1d reads \[",
        ),
    ]
    check_models(Settings())
    for params, message in wrong:
        with pytest.raises(ConfigError, match=message):
            check_models(Settings.model_validate(params))


@pytest.mark.parametrize(
    ("architecture", "task_name"),
    sorted((m, t.name) for t in TASKS.values() for m in models_for(t)),
)
def test_model_maps_its_task_inputs_to_outputs_and_has_a_baseline(
    architecture, task_name, tiny_table, tiny_settings, tmp_path
):
    task = TASKS[task_name]
    data = _dataset(tiny_table, task)
    fitted = _fitted_model(data, architecture, tiny_settings)
    model = fitted.network.eval()
    output = model(torch.from_numpy(data.x[:3]))
    stored = tmp_path / "model.pt"
    save_model(stored, fitted.spec, model.state_dict(), data.classes, [])
    reloaded, _ = load_model(stored)
    assert torch.equal(reloaded(torch.from_numpy(data.x[:3])), output)
    inputs = torch.from_numpy(data.x[:3]).requires_grad_(True)
    if MODELS[architecture].differentiable:
        model(inputs).sum().backward()
        assert inputs.grad is not None
    assert output.shape == ((3,) if task.objective == "regression" else (3, len(data.classes)))
    for kind in BASELINES:
        baseline = baseline_for(model, kind, seed=1)
        assert baseline.shape == data.x.shape[1:] and torch.isfinite(baseline).all()
    assert torch.equal(baseline_for(model, "noise", seed=1), baseline_for(model, "noise", seed=1))


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_is_registered_under_the_name_it_records(name):
    source = SOURCES[name]
    assert source.name == name and source.description and callable(source.load)
    assert (source.pinned is not None) == (source.kind == "built_in")  # a public file is pinned
    assert source.may_fall_back == (source.kind == "built_in")  # a user's file never falls back
    module = source.load.__module__
    assert module.startswith("gaitops.data.sources.") and module.count(".") == 3


def test_a_source_that_is_not_registered_is_refused_with_the_registered_names():
    from gaitops.data.sources.registry import check_data_source

    for data, key in (
        ({"source": "fgdii"}, "data.source"),
        ({"fallback": "nope"}, "data.fallback"),
    ):
        settings = Settings.model_validate({"data": data})
        with pytest.raises(ConfigError, match=rf"{re.escape(key)}: .* is not one of .*'fgdi'"):
            check_data_source(settings.data)


def test_synthetic_source_yields_the_canonical_columns(tiny_settings):
    loaded = SOURCES["synthetic"].load(tiny_settings, None)
    assert tuple(loaded.table.columns) == COLUMNS and loaded.info.name == "synthetic"


@pytest.mark.parametrize("name", sorted(EXPLAINER_NAMES))
@pytest.mark.filterwarnings("error::UserWarning")  # nothing a user cannot act on reaches them
def test_explainer_declares_itself_and_explains_every_task_it_claims(
    name, tiny_table, tiny_settings
):
    explainer_class = get_explainer(name)
    assert issubclass(explainer_class, Explainer) and explainer_class.name == name
    assert explainer_class.__module__ == f"gaitops.explain.methods.{name}"  # one file each
    assert explainer_class.description and explainer_class.input_kinds <= {"curves", "tabular"}
    assert explainer_class.objectives <= {"classification", "regression"}
    claimed = [task for task in TASKS.values() if explainer_class.applies_to(task)]
    assert claimed, f"{name} applies to no task"
    assert name in PARAMS["explain"]["options"], f"params.yaml explain.options lacks {name}"
    explainer = explainer_class(PARAMS["explain"]["options"][name])
    assert explainer.grouping in GROUPINGS
    for task in claimed:
        data = _dataset(tiny_table, task)
        model = _fitted_model(data, models_for(task)[0], tiny_settings).network.eval()
        index, reference = np.arange(4), np.arange(4, len(data.y))
        targets = torch.from_numpy(data.y[index]) if task.is_classification else None
        context = ExplainContext(
            baseline_for(model, "mean"),
            segments_for(data.x.shape[1:], explainer.grouping, 10),
            torch.from_numpy(data.x[reference]) if explainer.needs_reference else None,
            torch.from_numpy(data.y[reference]) if explainer.needs_reference else None,
        )
        fields = explainer_class.options_model.model_fields
        light = {k: v for k, v in LIGHT_OPTIONS.items() if k in fields}
        explanation = explainer_class(light).explain(
            model, torch.from_numpy(data.x[index]), targets, context
        )
        assert isinstance(explanation, Explanation)
        if explainer_class.gives_attributions:
            assert explanation.attributions.shape == data.x[index].shape
            assert torch.isfinite(explanation.attributions).all()
        if explainer_class.gives_convergence_error:
            assert explanation.convergence_error.shape == (len(index),)
        if explainer_class.example_based:
            assert explanation.examples.shape == data.x[index].shape
        for key, values in explanation.details.items():
            assert len(values) == len(index), key


def test_params_yaml_states_every_explainers_options_as_its_options_model_defaults():
    """The defaults live in the explainer's options model; params.yaml repeats them in full
    (DVC tracks explain.options.NAME per method), and this keeps the two equal."""
    _params_state_in_full(
        "explain", {name: get_explainer(name).options_model for name in EXPLAINER_NAMES}
    )


def test_an_unknown_explainer_option_is_refused_with_the_known_ones():
    with pytest.raises(ConfigError, match=r"n_step: Extra inputs.*integrated_gradients reads"):
        get_explainer("integrated_gradients")({"n_step": 8})


def test_a_wrong_explainer_option_value_names_the_key_and_the_value():
    with pytest.raises(
        ConfigError, match=r"explain.options.lime.n_samples: .*greater than or equal to 1.*given 0"
    ):
        check_explain_options(["lime"], {"lime": {"n_samples": 0}})
    with pytest.raises(ConfigError, match=r"explain.options.saliency.grouping: Extra inputs"):
        check_explain_options(["saliency"], {"saliency": {"grouping": "angle"}})  # no segments
    with pytest.raises(ConfigError, match=r"'shap' is not one of"):
        check_explain_options(["shap"], {})


def test_params_yaml_states_every_scores_options_as_its_options_model_defaults():
    """A score with options has its defaults in its options model only; params.yaml repeats them
    in full (score.options.NAME), and this keeps the two equal."""
    _params_state_in_full(
        "score", {n: c.options_model for n, c in SCORES.items() if c.options_model.model_fields}
    )


def test_a_wrong_score_option_names_the_score_the_key_and_the_value():
    with pytest.raises(
        ConfigError, match=r"score.options.deletion.steps: .*given 1.*reads \['steps'\]"
    ):
        check_score_options(["deletion"], {"deletion": {"steps": 1}})
    with pytest.raises(ConfigError, match=r"score.options.sparseness.level: Extra inputs"):
        check_score_options(["sparseness"], {"sparseness": {"level": 1}})
    with pytest.raises(ConfigError, match=r"score.options: 'delet' is not one of"):
        check_score_options(["deletion"], {"delet": {}})


@pytest.mark.parametrize("name", sorted(SCORES))
def test_score_declares_itself_and_scores_every_task_it_claims(name, tiny_table, tiny_settings):
    score_class = SCORES[name]
    assert issubclass(score_class, Score) and score_class.name == name
    assert score_class.category in CATEGORIES
    assert score_class.needs <= {"attributions", "examples", "explain", "truth"}
    assert score_class.direction() in ("higher is better", "lower is better")
    assert score_class.scope in ("fold", "pooled")
    claimed = [task for task in TASKS.values() if score_class.applies_to(task)]
    assert claimed, f"{name} applies to no task"
    for task in claimed:
        data = _dataset(tiny_table, task)
        model = _fitted_model(data, models_for(task)[0], tiny_settings).network.eval()
        rng = np.random.default_rng(0)
        n = min(12, len(data.y) // 2)
        x = data.x[:n]
        attributions = rng.normal(size=x.shape).astype(np.float32)
        examples = (x + rng.normal(size=x.shape)).astype(np.float32)

        def explain(m, inputs, targets):  # an explainer of the model: gradient x input
            return CaptumSaliency(m).attribute(inputs, target=targets, abs=False).detach() * inputs

        value = score_class(
            tiny_settings.score.options.get(name)
        ).evaluate(
            ScoreInputs(
                inputs=x,
                targets=data.y[:n],
                attributions=attributions,
                baseline=baseline_for(model, "mean").numpy(),
                model=model if score_class.needs_model else None,
                explain=explain if "explain" in score_class.needs else None,
                seed=tiny_settings.score.seed,
                subjects=np.arange(n) // 2,  # two samples a subject
                examples=examples if "examples" in score_class.needs else None,
                details={"seconds": np.full(n, 0.01, dtype=np.float32)},
                reference_inputs=data.x[n:],
                reference_targets=data.y[n:],
                truth=(rng.random(x.shape) < 0.2).astype(np.float32),
            )
        )
        assert isinstance(value, ScoreValue) and np.isfinite(value.value)
        assert all(np.isfinite(v) for v in value.details.values())


def test_every_score_is_offered_in_params_once():
    """Each registered score is either computed by default or named in the section's
    "Also registered" comment, never both, and the comment names no score that is gone."""
    default = set(PARAMS["score"]["scores"])
    also = _also_registered("score")
    assert default.isdisjoint(also), default & also
    assert default | also == set(SCORES), (default | also) ^ set(SCORES)


def _also_registered(section: str) -> set[str]:
    """The names after "Also registered:" in the comment heading a params.yaml section."""
    text = (Path(__file__).parents[2] / "params.yaml").read_text()
    heading = text.split(f"\n{section}:\n", 1)[1].split(f"\n  {section}s:", 1)[0]
    comment = " ".join(heading.replace("#", " ").split())
    listed = re.sub(r"\([^)]*\)", " ", comment.split("Also registered:", 1)[1])
    words = (word.strip(".,") for word in listed.split())
    return {word for word in words if word}


def test_every_registered_sampler_is_named_by_its_descriptor_and_the_default_is_one():
    from gaitops.settings.tune import TuneSettings
    from gaitops.tuning.samplers.registry import SAMPLERS, get_sampler

    for name, sampler in SAMPLERS.items():
        assert sampler.name == name and sampler.description
        assert not sampler.mutual_information or sampler.family == "paper"
    assert get_sampler(TuneSettings().sampler)
    with pytest.raises(ConfigError, match=r"tune\.sampler: 'tpee' is not one of .*'tpe'"):
        get_sampler("tpee")


def test_params_yaml_states_every_samplers_options_as_its_options_model_defaults():
    """A sampler with options has its defaults in its options model only; params.yaml repeats
    them in full (tune.options.NAME), and this keeps the two equal."""
    from gaitops.tuning.samplers.registry import SAMPLERS

    _params_state_in_full(
        "tune", {n: d.options for n, d in SAMPLERS.items() if d.options.model_fields}
    )


def test_a_wrong_sampler_option_is_one_error_naming_the_key_before_anything_runs():
    from gaitops.settings.tune import TuneSettings
    from gaitops.tuning.samplers.registry import check_sampler_options, sampler_options

    def tune(**values: object) -> TuneSettings:
        return TuneSettings.model_validate(values)

    check_sampler_options(tune(options=PARAMS["tune"]["options"]))
    with pytest.raises(
        ConfigError, match=r"tune\.options\.mim\.bins: .*greater than or equal to 2"
    ):
        check_sampler_options(tune(options={"mim": {"bins": 1}}))
    with pytest.raises(ConfigError, match=r"tune\.options\.gp\.reward: Extra inputs"):
        check_sampler_options(tune(options={"gp": {"reward": "metric"}}))  # Optuna's: none
    with pytest.raises(ConfigError, match=r"qlearning\.agent\.AgentSettings\.exploration: .*less"):
        check_sampler_options(tune(options={"qlearning": {"agent": {"exploration": 2}}}))
    with pytest.raises(ConfigError, match=r"tune\.options: 'mimm' is not one of"):
        check_sampler_options(tune(options={"mimm": {}}))
    # the paper's values fill `paper` / null in for the task's objective
    regression = sampler_options(tune(sampler="mim"), TASKS["angle_regression"])
    assert regression.agent.target_update == 5 and regression.weight == 1.0
    classification = sampler_options(tune(sampler="mim_table"), TASKS["group_classification"])
    assert classification.agent.exploration == 0.9 and classification.weight == 0.5
    assert (
        sampler_options(tune(sampler="qlearning"), TASKS["angle_regression"]).agent.target_update
        == 10
    )


def test_a_sampler_that_needs_a_finite_space_refuses_a_continuous_one():
    from gaitops.tuning.agent import AgentSettings
    from gaitops.tuning.samplers.registry import SAMPLERS
    from gaitops.tuning.space import search_space

    continuous = search_space("mixed", "mlp", "tpe")
    assert not continuous.finite
    finite_only = [s for s in SAMPLERS.values() if s.finite_only]
    assert {"grid", "linucb"} <= {s.name for s in finite_only}
    for sampler in finite_only:
        with pytest.raises(ConfigError, match=rf"{sampler.name} needs a finite space"):
            sampler.make(continuous, sampler.configured(agent=AgentSettings(), weight=0.0), 0)


def test_every_space_setting_builds_for_the_models_it_names():
    from typing import get_args

    from gaitops.settings.tune import TuneSettings
    from gaitops.tuning.space import search_space

    for name in get_args(TuneSettings.model_fields["space"].annotation):
        model = "sdnn" if name.startswith("paper") else "mlp"
        assert search_space(name, model, "qlearning").actions
