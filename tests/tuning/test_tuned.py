import json

import pytest

from gaitops.config import Settings
from gaitops.errors import ConfigError, PipelineStateError
from gaitops.tuning.tuned import hyperparameters


def _settings(**train) -> Settings:
    """A deep model's settings (the default model is a baseline without epochs or tuning)."""
    return Settings.model_validate({"train": {"model": "resnet1d", **train}})


def test_params_file_values_by_default(tmp_path):
    chosen, record = hyperparameters(_settings(), tmp_path / "none.json", tmp_path)
    assert (
        record["from"] == "params.yaml"
        and chosen.learning_rate == record["values"]["learning_rate"]
    )


def test_tuned_values_replace_the_sections_own(tmp_path):
    tuned = tmp_path / "best_params.json"
    tuned.write_text(
        json.dumps(
            {
                "tuned": True,
                "task": "group_classification",
                "model": "resnet1d",
                "sampler": "tpe",
                "study_name": "s",
                "overrides": {"learning_rate": 0.01, "filters": 8},
            }
        )
    )
    chosen, record = hyperparameters(_settings(hyperparameters="tuned"), tuned, tmp_path)
    assert (chosen.learning_rate, chosen.filters, chosen.blocks) == (0.01, 8, 3)
    assert record["from"] == "best_params.json" and record["sampler"] == "tpe"


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (None, PipelineStateError, "Run the tune stage first"),
        ({"tuned": False}, ConfigError, "set tune.enabled: true"),
        (
            {
                "tuned": True,
                "task": "group_classification",
                "model": "lstm",
                "sampler": "tpe",
                "overrides": {},
            },
            ConfigError,
            "tuned for group_classification / lstm",
        ),
    ],
)
def test_tuned_parameters_that_do_not_fit_are_refused(tmp_path, content, error, message):
    tuned = tmp_path / "best_params.json"
    if content is not None:
        tuned.write_text(json.dumps(content))
    with pytest.raises(error, match=message):
        hyperparameters(_settings(hyperparameters="tuned"), tuned, tmp_path)
