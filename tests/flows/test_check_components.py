"""`gaitops run` checks every component params.yaml names through its registry before any
stage starts: one ConfigError naming the key, the value and what is allowed."""

from __future__ import annotations

import pytest
from flows.retrain import check_components

from gaitops.config import Settings
from gaitops.errors import ConfigError


def test_the_default_params_name_registered_components():
    check_components(Settings())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"data": {"source": "fgdii"}}, r"data\.source: 'fgdii' is not one of \["),
        ({"data": {"fallback": "synthetc"}}, r"data\.fallback: 'synthetc' is not one of \["),
        ({"data": {"source": "long_csv"}}, r"data\.csv_path is not set"),
        ({"tune": {"sampler": "tpee"}}, r"tune\.sampler: 'tpee' is not one of \["),
        (
            {"explain": {"methods": ["lime"], "options": {"lime": {"n_samples": 0}}}},
            r"explain\.options\.lime\.n_samples: .* \(given 0\); lime reads \[",
        ),
        (
            {"score": {"options": {"deletion": {"steps": "many"}}}},
            r"score\.options\.deletion\.steps: .* \(given 'many'\); deletion reads \[",
        ),
    ],
)
def test_a_component_that_is_not_registered_or_badly_set_stops_the_run(params, message):
    with pytest.raises(ConfigError, match=message):
        check_components(Settings.model_validate(params))
