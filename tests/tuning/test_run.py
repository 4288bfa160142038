"""The tune stage's work: the problem a tuner works on, from the settings."""

from __future__ import annotations

import pytest

from gaitops.config import Settings, load_settings, task_of
from gaitops.data.inputs import build_dataset
from gaitops.data.sources.synthetic import generate
from gaitops.errors import ConfigError
from gaitops.tuning.run import tuning_problem
from helpers import TINY_PARAMS


def _problem(sampler: str, options: dict):
    settings = Settings.model_validate(
        {**TINY_PARAMS, "tune": {"sampler": sampler, "space": "compact", "options": options}}
    )
    data = build_dataset(generate(settings.synthetic), task_of(settings))
    return tuning_problem(settings, data)


def test_mim_measures_the_information_as_its_options_say_and_the_others_with_its_defaults():
    probe = {"estimator": "knn", "bins": 4, "redundancy": True}
    mim = _problem("mim", {"mim": probe})
    assert (mim.mi_estimator, mim.mi_bins, mim.mi_redundancy) == ("knn", 4, True)
    gp = _problem("gp", {"mim": probe})  # another sampler's options change nothing here
    assert (gp.mi_estimator, gp.mi_bins, gp.mi_redundancy) == ("binned", 8, False)


def test_a_key_that_became_a_sampler_option_says_where_it_went(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("tune:\n  mim_weight: 0.5\n")
    with pytest.raises(ConfigError, match=r"tune\.options\.SAMPLER\.weight"):
        load_settings(params)
