import numpy as np
import pytest

from gaitops.scoring.base import ScoreInputs
from gaitops.scoring.sparseness import Sparseness, gini_sparseness


def test_one_input_is_sparsest_and_uniform_is_least_sparse():
    concentrated = np.zeros((1, 3, 10))
    concentrated[0, 1, 4] = 5.0
    uniform = np.ones((1, 3, 10))
    assert gini_sparseness(concentrated)[0] == pytest.approx(1 - 1 / 30)
    assert gini_sparseness(uniform)[0] == pytest.approx(0.0)
    assert gini_sparseness(np.zeros((1, 4)))[0] == 0.0


def test_score_prefers_the_concentrated_explanation():
    rng = np.random.default_rng(0)
    spread = rng.uniform(0.5, 1.0, (8, 2, 5))
    focused = spread * (rng.uniform(size=spread.shape) > 0.9)
    score = Sparseness()

    def value(attributions):
        return score.evaluate(
            ScoreInputs(attributions, np.zeros(8), attributions, np.empty(0))
        ).value

    assert Sparseness.higher_is_better and value(focused) > value(spread)
