from pathlib import Path

import pytest

from gaitops.config import Settings, load_settings
from gaitops.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_project_params_are_valid_and_match_the_defaults_they_document():
    settings = load_settings(ROOT / "params.yaml")
    assert settings.data.source == "fgdi"
    assert settings.train.protocol == "subject_kfold"
    # params.yaml states the defaults explicitly; models, explain.options, score.options and
    # tune.options are each component's own (tests/contracts checks them against each options
    # model)
    owned = {"models": True, "explain": {"options"}, "score": {"options"}, "tune": {"options"}}
    assert settings.model_dump(exclude=owned) == Settings().model_dump(exclude=owned)


def test_unknown_key_is_named(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("train:\n  foldz: 3\n")
    with pytest.raises(ConfigError, match=r"train\.foldz"):
        load_settings(params)


def test_bad_value_is_named(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("train:\n  folds: 1\n")
    with pytest.raises(ConfigError, match=r"train\.folds"):
        load_settings(params)


def test_csv_source_needs_a_path():
    from gaitops.data.sources.registry import check_data_source

    settings = Settings.model_validate({"data": {"source": "long_csv"}})
    with pytest.raises(ConfigError, match=r"data\.csv_path is not set"):
        check_data_source(settings.data)


def test_missing_params_file_says_where_to_run(tmp_path):
    with pytest.raises(ConfigError, match="project root"):
        load_settings(tmp_path / "params.yaml")
