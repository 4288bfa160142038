import torch
from torch import nn

from gaitops.explain.base import ExplainContext
from gaitops.explain.registry import get_explainer
from gaitops.explain.segments import segments_for


def test_saliency_of_a_linear_model_is_the_absolute_weight():
    model = nn.Linear(4, 2, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, -2.0, 0.0, 0.5], [0.0, 3.0, -1.0, 0.0]]))
    x = torch.randn(3, 4)
    context = ExplainContext(x[0], segments_for((4,), "scalar"))
    explanation = get_explainer("saliency")().explain(model, x, torch.tensor([0, 1, 0]), context)
    expected = torch.stack([model.weight[0].abs(), model.weight[1].abs(), model.weight[0].abs()])
    assert torch.allclose(explanation.attributions, expected)
