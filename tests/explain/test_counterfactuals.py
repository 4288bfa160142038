import pytest
import torch
from torch import nn

from gaitops.explain.base import ExplainContext
from gaitops.explain.methods.counterfactual import GradientCounterfactual
from gaitops.explain.methods.nearest_unlike_swap import NearestUnlikeSwap
from gaitops.models.components.standardise import Standardise


class ChannelOneMean(nn.Module):
    """Class 1 when channel 1's mean (standardised) is above zero: nothing else matters."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        score = 4.0 * x[:, 1].mean(dim=1)
        return torch.stack([-score, score], dim=1)


def curves(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % 2
    x = 0.3 * torch.randn(n, 3, 101, generator=generator)
    x += torch.randn(n, 3, 1, generator=generator)  # channel offsets unrelated to the class
    x[:, 1] += torch.where(labels == 1, 1.5, -1.5)[:, None] - x[:, 1].mean(dim=1, keepdim=True)
    return x, labels


@pytest.fixture(scope="module")
def setting() -> tuple[nn.Sequential, torch.Tensor, ExplainContext]:
    reference, labels = curves(40, seed=0)
    model = nn.Sequential(Standardise.fit(reference), ChannelOneMean()).eval()
    context = ExplainContext(
        baseline=reference.mean(dim=0),
        segments=torch.zeros(3, 101, dtype=torch.int64),
        reference_inputs=reference,
        reference_targets=labels,
    )
    return model, curves(10, seed=1)[0], context


def predictions(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return model(x).argmax(dim=1)


def test_gradient_counterfactual_flips_within_the_training_range(setting):
    model, x, context = setting
    explanation = GradientCounterfactual().explain(model, x, None, context)
    examples, valid = explanation.examples, explanation.details["valid"]
    assert valid.dtype == torch.bool and valid.float().mean() >= 0.8
    assert (predictions(model, examples) != predictions(model, x))[valid].all()
    assert torch.equal(explanation.details["target_class"], 1 - predictions(model, x))
    low, high = (
        context.reference_inputs.min(dim=0).values,
        context.reference_inputs.max(dim=0).values,
    )
    assert (examples >= low - 1e-5).all() and (examples <= high + 1e-5).all()
    change = explanation.attributions.abs().mean(dim=(0, 2))
    assert change[1] > 10 * change[[0, 2]].max()
    assert torch.allclose(explanation.attributions, examples - x)
    assert "seconds" not in explanation.details  # stored bytes depend on params and data only


def test_gradient_counterfactual_is_deterministic_and_marks_unflipped_samples(setting):
    model, x, context = setting
    first = GradientCounterfactual({"steps": 30}).explain(model, x, None, context)
    again = GradientCounterfactual({"steps": 30}).explain(model, x, None, context)
    assert torch.equal(first.examples, again.examples)
    stuck = GradientCounterfactual({"steps": 0}).explain(model, x, None, context)
    assert not stuck.details["valid"].any()


def test_nearest_unlike_swap_swaps_the_informative_channel_only(setting):
    model, x, context = setting
    explanation = NearestUnlikeSwap().explain(model, x, None, context)
    assert explanation.details["valid"].all()
    assert (explanation.details["channels_swapped"] == 1).all()
    assert explanation.attributions[:, [0, 2]].abs().max() == 0
    assert explanation.attributions[:, 1].abs().amax(dim=1).min() > 0
    assert (predictions(model, explanation.examples) != predictions(model, x)).all()
    # the swapped curve is the nearest target-class training sample's channel 1
    assert torch.isin(explanation.examples[:, 1, 0], context.reference_inputs[:, 1, 0]).all()


def test_example_based_explainers_need_the_training_part(setting):
    model, x, context = setting
    bare = ExplainContext(baseline=context.baseline, segments=context.segments)
    for explainer in (GradientCounterfactual(), NearestUnlikeSwap()):
        with pytest.raises(ValueError, match="reference"):
            explainer.explain(model, x, None, bare)
