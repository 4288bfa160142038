"""Lan et al.'s fidelity and robustness, Turbé et al.'s deletion score, and the rank aggregation:
each in its declared direction on a constructed good and bad explanation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from gaitops.explain.ranking import angle_importance, angle_ranking
from gaitops.models.components.standardise import Standardise
from gaitops.scoring.aggregate import ScoreColumn, agreement, rank_methods
from gaitops.scoring.base import ScoreInputs
from gaitops.scoring.deletion import Deletion, f_score
from gaitops.scoring.lan import LanFidelity, LanRobustness

CHANNEL = 2


class LooksAtOneAngle(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        score = 3.0 * torch.tanh(x[:, CHANNEL].mean(dim=1))
        return torch.stack([-score, score], dim=1)


@pytest.fixture(scope="module")
def setting():
    generator = torch.Generator().manual_seed(0)
    labels = torch.arange(60) % 2
    x = torch.randn(60, 4, 101, generator=generator) * 0.5 + 10.0  # far from 0 degrees
    x[:, CHANNEL] += torch.where(labels == 1, 1.0, -1.0)[:, None]
    model = nn.Sequential(Standardise.fit(x), LooksAtOneAngle()).eval()
    return model, x.numpy(), labels.numpy()


def attributions_on(
    channel: int, n: int, weights: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4)
) -> np.ndarray:
    """|attribution| = weight per angle, with `channel` given the most."""
    out = np.broadcast_to(np.array(weights, dtype=np.float32)[None, :, None], (n, 4, 101)).copy()
    out[:, channel] = 1.0
    return out


def inputs(setting, attributions) -> ScoreInputs:
    model, x, labels = setting
    return ScoreInputs(x, labels, attributions, x.mean(axis=0), model=model)


def test_lan_ranking_follows_the_published_steps():
    attributions = np.zeros((4, 3, 5))
    attributions[:2, 1] = 2.0  # class 0 points at angle 1
    attributions[2:, 2] = -4.0  # class 1 at angle 2, twice as strongly
    labels = np.array([0, 0, 1, 1])
    assert np.allclose(angle_importance(attributions, labels), [0.0, 0.5, 1.0])
    assert angle_ranking(attributions, labels).tolist() == [2, 1, 0]


def test_lan_fidelity_is_high_for_the_looked_at_angle_and_negative_for_the_others(setting):
    good = LanFidelity().evaluate(inputs(setting, attributions_on(CHANNEL, 60)))
    bad = LanFidelity().evaluate(inputs(setting, attributions_on(0, 60, (0.1, 0.9, 0.0, 0.8))))
    assert good.value > 0.4 and bad.value < -0.4
    assert good.details["delta_accuracy_top"] == pytest.approx(0.0)


def test_lan_robustness_is_zero_for_identical_explanations_within_a_class(setting):
    _, x, labels = setting
    same = LanRobustness().evaluate(
        ScoreInputs(x, labels, attributions_on(CHANNEL, 60), np.empty(0))
    )
    noisy = np.random.default_rng(0).normal(size=(60, 4, 101))
    scattered = LanRobustness().evaluate(ScoreInputs(x, labels, noisy, np.empty(0)))
    assert same.value == pytest.approx(0.0, abs=1e-12) and scattered.value > 0.05


def test_deletion_of_the_looked_at_angle_beats_random_removal_and_the_reverse_does_not(setting):
    good = Deletion({"steps": 7}).evaluate(inputs(setting, attributions_on(CHANNEL, 60)))
    bad = Deletion({"steps": 7}).evaluate(inputs(setting, -attributions_on(CHANNEL, 60)))
    assert good.value > good.details["aucse_random"] > bad.value
    assert good.details["f_score"] > bad.details["f_score"]
    assert set(good.curve) == {"removed_fraction", "top", "bottom", "random"}


def test_f_score_rewards_a_high_top_and_a_low_bottom_area():
    assert f_score(0.8, 0.1) > f_score(0.8, 0.6) and f_score(0.8, 0.1) > f_score(0.3, 0.1)


def test_rank_aggregation_weighs_categories_equally_and_names_the_trusted_method():
    columns = [
        ScoreColumn("a", "faithfulness", True, {"ig": 0.9, "saliency": 0.1, "lime": 0.5}),
        ScoreColumn("b", "faithfulness", True, {"ig": 0.8, "saliency": 0.2, "lime": 0.5}),
        ScoreColumn("c", "robustness", False, {"ig": 0.3, "saliency": 0.1, "lime": 0.2}),
        ScoreColumn("d", "counterfactual", True, {"cf": 1.0}),  # one method: not ranked
    ]
    ranking = rank_methods(columns)
    assert ranking.ranks["ig"] == {"a": 1.0, "b": 1.0, "c": 3.0}
    assert ranking.overall == {"ig": 2.0, "saliency": 2.0, "lime": 2.0}
    assert ranking.trusted == "ig"  # a tie: the first by name among the best
    assert any("d:" in note for note in ranking.notes)
    weighted = rank_methods(
        columns, {"faithfulness": 3.0}
    )  # faithfulness first: ig, lime, saliency
    assert weighted.overall == {"ig": 1.5, "lime": 2.0, "saliency": 2.5}
    columns[2] = ScoreColumn("c", "robustness", False, {"ig": 0.1, "saliency": 0.3, "lime": 0.2})
    assert rank_methods(columns).trusted == "ig" and rank_methods(columns).overall["ig"] == 1.0


def test_agreement_of_identical_rankings_is_one_and_of_reversed_ones_minus_one():
    a = attributions_on(CHANNEL, 6)
    reversed_ = attributions_on(0, 6, (0.4, 0.3, 0.2, 0.1))
    reversed_[:, CHANNEL] = 0.0
    pairs = agreement({"x": a, "y": a.copy(), "z": reversed_}, None, 2)
    assert pairs["x vs y"]["kendall_tau"] == pytest.approx(1.0)
    assert pairs["x vs y"]["top_2_overlap"] == 1.0
    assert pairs["x vs z"]["kendall_tau"] < 0
