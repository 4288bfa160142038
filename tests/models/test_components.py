import torch

from gaitops.models.components.resnet1d import ResNet1D
from gaitops.models.components.standardise import Standardise


def test_resnet1d_output_shape():
    model = ResNet1D(in_channels=6, n_classes=3, filters=8, blocks=2, kernel_size=5)
    assert model(torch.randn(4, 6, 101)).shape == (4, 3)


def test_standardise_maps_the_training_mean_curve_to_zero():
    x = torch.randn(20, 3, 101) * 5 + 10
    standardise = Standardise.fit(x)
    assert torch.allclose(
        standardise(x.mean(dim=0, keepdim=True)), torch.zeros(1, 3, 101), atol=1e-5
    )
    z = standardise(x)
    assert torch.allclose(z.permute(1, 0, 2).reshape(3, -1).std(dim=1), torch.ones(3), atol=1e-3)
