import torch
from torch import nn

from gaitops.explain.aggregate import l1_normalised, mean_abs_by_class
from gaitops.explain.base import ExplainContext
from gaitops.explain.registry import get_explainer
from gaitops.explain.segments import segments_for


class OnlyChannelOne(nn.Module):
    """A linear model that looks at channel 1 alone: attributions must sit there."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        score = x[:, 1].sum(dim=1)
        return torch.stack([-score, score], dim=1)


def test_attributions_sit_where_the_model_looks_and_are_complete():
    x = torch.randn(5, 3, 101)
    context = ExplainContext(torch.zeros(3, 101), segments_for((3, 101), "angle"))
    explanation = get_explainer("integrated_gradients")({"n_steps": 16}).explain(
        OnlyChannelOne(), x, torch.ones(5, dtype=torch.long), context
    )
    attributions, error = explanation.attributions, explanation.convergence_error
    assert attributions.shape == x.shape
    assert torch.allclose(
        attributions[:, 1], x[:, 1], atol=1e-5
    )  # linear: attribution = input - baseline
    assert attributions[:, [0, 2]].abs().max() == 0
    assert error.max() < 1e-3


def test_class_means_and_normalisation():
    import numpy as np

    attributions = np.array([[[1.0, -1.0]], [[3.0, 1.0]], [[0.0, 2.0]]])
    by_class = mean_abs_by_class(attributions, np.array([0, 0, 1]), 3)
    assert by_class[0].tolist() == [[2.0, 1.0]] and by_class[1].tolist() == [[0.0, 2.0]]
    assert np.isnan(by_class[2]).all()
    assert np.allclose(l1_normalised(attributions).sum(axis=(1, 2)), 1.0)
