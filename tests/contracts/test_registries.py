"""One contract over every registered model, source, explainer and score."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from gaitops.config import Settings
from gaitops.data.inputs import build_dataset
from gaitops.data.schema import COLUMNS
from gaitops.data.sources.registry import SOURCES
from gaitops.explain.base import Explainer, Explanation
from gaitops.explain.baselines import BASELINES, baseline_for
from gaitops.explain.registry import EXPLAINERS
from gaitops.models.factory import ARCHITECTURES, build_network, fit_input_scaler, make_spec
from gaitops.scoring.base import Score, ScoreInputs, ScoreValue
from gaitops.scoring.registry import SCORES
from gaitops.tasks import TASKS, Task

TASK_OF_MODEL = {model: task for task in TASKS.values() for model in task.models}


def _dataset(table, task: Task):
    return build_dataset(table, task, "group", "all")


def _fitted_model(data, architecture: str, settings: Settings) -> torch.nn.Module:
    spec = make_spec(
        architecture,
        inputs=data.x.shape[1],
        outputs=1 if data.classes is None else len(data.classes),
        time_points=data.x.shape[2] if data.input_kind == "curves" else None,
        hyper_parameters=getattr(settings.models, architecture).hyper_parameters(),
    )
    torch.manual_seed(0)
    model = build_network(spec, fit_input_scaler(spec, torch.from_numpy(data.x)))
    return model.eval()


def test_every_model_belongs_to_exactly_one_task_of_its_input_kind():
    assert set(TASK_OF_MODEL) == set(ARCHITECTURES)
    for model, task in TASK_OF_MODEL.items():
        assert ARCHITECTURES[model][0] == task.input_kind


@pytest.mark.parametrize("architecture", sorted(ARCHITECTURES))
def test_model_maps_its_task_inputs_to_outputs_and_has_a_baseline(
    architecture, tiny_table, tiny_settings
):
    task = TASK_OF_MODEL[architecture]
    data = _dataset(tiny_table, task)
    model = _fitted_model(data, architecture, tiny_settings)
    output = model(torch.from_numpy(data.x[:3]))
    assert output.shape == ((3,) if task.objective == "regression" else (3, len(data.classes)))
    for kind in BASELINES:
        baseline = baseline_for(model, kind, seed=1)
        assert baseline.shape == data.x.shape[1:] and torch.isfinite(baseline).all()
    assert torch.equal(baseline_for(model, "noise", seed=1), baseline_for(model, "noise", seed=1))


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_is_registered_under_its_params_name(name):
    from typing import get_args

    from gaitops.config import SourceName

    assert name in get_args(SourceName)
    assert callable(SOURCES[name])


def test_synthetic_source_yields_the_canonical_columns(tiny_settings):
    loaded = SOURCES["synthetic"](tiny_settings, None)
    assert tuple(loaded.table.columns) == COLUMNS and loaded.info.name == "synthetic"


@pytest.mark.parametrize("name", sorted(EXPLAINERS))
def test_explainer_declares_itself_and_explains_every_task_it_claims(
    name, tiny_table, tiny_settings
):
    explainer_class = EXPLAINERS[name]
    assert issubclass(explainer_class, Explainer) and explainer_class.name == name
    assert explainer_class.description and explainer_class.input_kinds <= {"curves", "tabular"}
    assert explainer_class.objectives <= {"classification", "regression"}
    claimed = [task for task in TASKS.values() if explainer_class.applies_to(task)]
    assert claimed, f"{name} applies to no task"
    for task in claimed:
        data = _dataset(tiny_table, task)
        model = _fitted_model(data, task.models[0], tiny_settings)
        index = np.arange(4)
        targets = torch.from_numpy(data.y[index]) if task.is_classification else None
        explanation = explainer_class({"n_steps": 8}).explain(
            model, torch.from_numpy(data.x[index]), targets, baseline_for(model, "mean")
        )
        assert isinstance(explanation, Explanation)
        if explainer_class.gives_attributions:
            assert explanation.attributions.shape == data.x[index].shape
            assert torch.isfinite(explanation.attributions).all()
        if explainer_class.gives_convergence_error:
            assert explanation.convergence_error.shape == (len(index),)
        if explainer_class.example_based:
            assert explanation.examples is not None


@pytest.mark.parametrize("name", sorted(SCORES))
def test_score_declares_itself_and_scores_every_task_it_claims(name, tiny_table, tiny_settings):
    score_class = SCORES[name]
    assert issubclass(score_class, Score) and score_class.name == name
    assert score_class.category in (
        "faithfulness",
        "robustness",
        "complexity",
        "randomisation",
        "localisation",
    )
    assert score_class.direction() in ("higher is better", "lower is better")
    assert score_class.scope in ("fold", "pooled")
    claimed = [task for task in TASKS.values() if score_class.applies_to(task)]
    assert claimed, f"{name} applies to no task"
    for task in claimed:
        data = _dataset(tiny_table, task)
        model = _fitted_model(data, task.models[0], tiny_settings)
        attributions = np.random.default_rng(0).normal(size=data.x[:12].shape).astype(np.float32)
        value = score_class().evaluate(
            ScoreInputs(
                inputs=data.x[:12],
                targets=data.y[:12],
                attributions=attributions,
                baseline=baseline_for(model, "mean").numpy(),
                model=model if score_class.needs_model else None,
            )
        )
        assert isinstance(value, ScoreValue) and np.isfinite(value.value)
