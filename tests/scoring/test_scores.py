import numpy as np
import pytest
import torch
from torch import nn

from gaitops.scoring.fidelity import channel_fidelity, channel_ranking
from gaitops.scoring.robustness import within_class_dispersion


class SignOfChannelZero(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        score = x[:, 0].mean(dim=1)
        return torch.stack([-score, score], dim=1)


def test_identical_explanations_have_zero_dispersion_and_noise_has_more():
    same = np.tile(np.array([[[1.0, 2.0], [3.0, 4.0]]]), (6, 1, 1))
    labels = np.array([0, 0, 0, 1, 1, 1])
    assert within_class_dispersion(same, labels) == pytest.approx(0.0)
    noisy = same + np.random.default_rng(0).normal(0, 1, same.shape)
    assert within_class_dispersion(noisy, labels) > 0.01


def test_faithful_attribution_scores_higher_than_a_reversed_one():
    rng = np.random.default_rng(0)
    y = np.array([0, 1] * 10)
    x = rng.normal(0, 0.1, (20, 4, 11)).astype(np.float32)
    x[:, 0] += np.where(y == 1, 1.0, -1.0)[:, None]
    baseline = np.zeros((4, 11), dtype=np.float32)
    faithful = np.zeros_like(x)
    faithful[:, 0] = 1.0
    reversed_ = 1.0 - faithful
    good = channel_fidelity(SignOfChannelZero(), x, y, faithful, baseline, 0.25)
    bad = channel_fidelity(SignOfChannelZero(), x, y, reversed_, baseline, 0.25)
    assert good.accuracy == 1.0
    assert good.accuracy_without_top <= 0.6 and good.accuracy_without_bottom == 1.0
    assert good.fidelity > 0.4 > bad.fidelity


def test_ranking_is_per_sample():
    attributions = np.array([[[5.0], [1.0]], [[1.0], [-9.0]]])
    assert channel_ranking(attributions).tolist() == [[0, 1], [1, 0]]
