import numpy as np
import pytest

from gaitops.explain.store import Explanations
from gaitops.scoring.curves import curve_panels, curve_table
from gaitops.scoring.evaluate import available_outputs
from gaitops.scoring.registry import get_score


def _stored(**outputs: np.ndarray) -> Explanations:
    one = np.zeros(1)
    return Explanations(one, one, one, one, one, one, one, **outputs)


def test_what_a_method_offers_follows_its_stored_arrays_and_the_data():
    attributions = _stored(attributions=np.zeros(1))
    examples = _stored(examples=np.zeros(1))
    assert available_outputs(attributions, True, False) == {"attributions", "explain"}
    assert available_outputs(attributions, False, False) == {"attributions"}
    assert available_outputs(examples, True, True) == {"examples", "truth"}


def _part(fold: int, ys: list[float]) -> dict:
    curve = {"fraction_removed": [0.0, 0.5, 1.0], "top": ys, "random": [1.0, 0.9, 0.8]}
    return {"entry": {"fold": fold}, "curves": {"deletion": curve}}


def test_curves_gather_over_folds_and_draw_the_mean_per_removal_order():
    parts = [
        _part(0, [1.0, 0.5, 0.2]),
        _part(1, [1.0, 0.7, 0.4]),
        {"entry": {"fold": 2}, "curves": {}},
    ]
    table = curve_table(parts, "deletion")
    assert sorted(table["fold"].unique()) == [0, 1]
    assert list(table.columns) == ["fold", "fraction_removed", "top", "random"]
    drawn = curve_panels(table, get_score("deletion")(), "saliency")
    top = drawn[drawn["series"] == "top"].sort_values("x")
    assert top["y"].tolist() == pytest.approx([1.0, 0.6, 0.3])
    assert set(drawn["series"]) == {"top", "random"}
    assert drawn["panel"].str.contains("mean of 2 folds").all()


def test_a_score_without_curves_gives_an_empty_table():
    assert curve_table([{"entry": {"fold": 0}, "curves": {}}], "deletion").empty
