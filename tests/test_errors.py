"""The errors a user acts on: registry look-ups and options, each one line naming the key."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict

from gaitops.errors import ConfigError, check_registered, checked_options, registered


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    steps: int = 3


def test_registered_returns_the_entry_or_names_the_key_the_value_and_the_choices():
    table = {"tpe": 1, "random": 2}
    assert registered(table, "random", "tune.sampler") == 2
    with pytest.raises(ConfigError) as raised:
        registered(table, "grid", "tune.sampler")
    assert str(raised.value) == "tune.sampler: 'grid' is not one of ['random', 'tpe']."


def test_check_registered_accepts_any_collection_of_names():
    check_registered(("lime", "saliency"), "lime", "explain.methods")
    with pytest.raises(ConfigError, match=r"explain.methods: 'shap' is not one of \['lime'"):
        check_registered(("lime", "saliency"), "shap", "explain.methods")


def test_checked_options_names_the_key_the_value_and_what_is_read():
    assert checked_options(Options, {"steps": 5}, "explain.options.x", "x").steps == 5
    with pytest.raises(ConfigError) as raised:
        checked_options(Options, {"stpes": 5}, "explain.options.x", "the x explainer")
    said = str(raised.value)
    assert said.startswith("explain.options.x.stpes: ") and "(given 5)" in said
    assert said.endswith("the x explainer reads ['steps'].")
