from gaitops.config import Settings
from gaitops.explain.registry import all_explainers
from gaitops.metrics.classification import SCALAR_METRICS
from gaitops.metrics.regression import SCALAR_METRICS as REGRESSION_METRICS
from gaitops.tasks import TASKS, applies_to, get_task


def test_each_task_names_a_metric_its_evaluation_computes():
    for task in TASKS.values():
        metrics = SCALAR_METRICS if task.is_classification else REGRESSION_METRICS
        assert task.headline_metric in metrics


def test_a_model_of_another_task_is_refused_with_the_allowed_list():
    import pytest

    from gaitops.errors import ConfigError
    from gaitops.models.registry import check_models

    wrong = Settings.model_validate({"train": {"task": "angle_regression", "model": "resnet1d"}})
    with pytest.raises(ConfigError, match=r"use one of \['sdnn', 'linear', 'gradient_boosting'\]"):
        check_models(wrong)
    with pytest.raises(ConfigError, match=r"train\.task"):
        get_task("walking_speed")


def test_applicability_matches_input_kind_and_objective():
    regression = TASKS["angle_regression"]
    assert applies_to(regression, ("tabular",), ("regression",))
    assert not applies_to(regression, ("curves",), ("regression", "classification"))
    assert all_explainers()["integrated_gradients"].applies_to(regression)
