import torch

from gaitops.models.components.dffn import DFFN, DFFNSettings
from gaitops.models.components.inception_time import InceptionTime, InceptionTimeSettings
from gaitops.models.components.lstm import LSTMClassifier, LSTMSettings
from gaitops.models.components.mlp import MLPClassifier, MLPSettings
from gaitops.models.components.resnet1d import ResNet1D, ResNet1DSettings
from gaitops.models.components.scaling import MinMaxScale
from gaitops.models.components.sdnn import SDNN, SDNNSettings, StochasticDepthBlock
from gaitops.models.components.standardise import Standardise


def test_curve_classifier_output_shapes():
    x = torch.randn(4, 6, 101)
    for model in (
        ResNet1D(6, 3, **ResNet1DSettings(filters=8, blocks=2, kernel_size=5).hyper_parameters()),
        LSTMClassifier(6, 3, **LSTMSettings(hidden=8).hyper_parameters()),
        InceptionTime(6, 3, **InceptionTimeSettings(filters=4, depth=6).hyper_parameters()),
        MLPClassifier(6, 3, 101, **MLPSettings(hidden=(16,)).hyper_parameters()),
    ):
        assert model(x).shape == (4, 3), type(model).__name__


def test_paper_model_shapes_on_the_uci_feature_counts():
    """The paper's sizes are the options models' defaults (params.yaml states them too)."""
    assert SDNN(29, **SDNNSettings().hyper_parameters())(torch.randn(7, 29)).shape == (7,)
    dffn = DFFN(27, 3, **DFFNSettings().hyper_parameters())
    assert dffn(torch.randn(7, 27)).shape == (7, 3)
    assert dffn.factorisation.out_features == 512
    assert [m.out_features for m in dffn.interaction if isinstance(m, torch.nn.Linear)] == [
        256,
        128,
        64,
    ]
    assert [m.out_features for m in dffn.nonlinear if isinstance(m, torch.nn.Linear)] == [128, 64]


def test_sdnn_skips_blocks_only_in_training_mode():
    torch.manual_seed(0)
    model = SDNN(10, **SDNNSettings(survival_probability=0.5).hyper_parameters())
    x = torch.randn(16, 10)
    model.eval()
    assert torch.equal(model(x), model(x))  # evaluation: every block, no randomness
    model.train()
    outputs = {tuple(model(x)[:3].tolist()) for _ in range(20)}
    assert len(outputs) > 1  # training: a different set of blocks survives each batch
    block = StochasticDepthBlock(8, survival_probability=1.0).train()
    y = torch.randn(4, 8)
    assert torch.equal(block(y), block(y))  # survival 1: never skipped


def test_standardise_maps_the_training_mean_curve_to_zero():
    x = torch.randn(20, 3, 101) * 5 + 10
    standardise = Standardise.fit(x)
    assert torch.allclose(
        standardise(x.mean(dim=0, keepdim=True)), torch.zeros(1, 3, 101), atol=1e-5
    )


def test_min_max_scale_leaves_one_hot_columns_and_scales_the_rest():
    x = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 50.0], [0.0, 0.0, 100.0]])
    scaled = MinMaxScale.fit(x)(x)
    assert torch.equal(scaled[:, :2], x[:, :2])
    assert scaled[:, 2].tolist() == [0.0, 0.5, 1.0]
