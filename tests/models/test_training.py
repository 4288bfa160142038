import numpy as np
import pytest
import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, TensorDataset

from gaitops.data.cycles import build_cycles
from gaitops.data.dataset import GaitDataset
from gaitops.data.encode import encode_angle_regression, encode_joint_classification
from gaitops.data.splits import subject_kfold
from gaitops.models.registry import MODELS, model_options, models_for
from gaitops.models.store import load_model, save_model
from gaitops.models.training import build_module, train_fold
from gaitops.tasks import TASKS

CURVE_MODELS = models_for(TASKS["group_classification"])
GRADIENT_MODELS = [m for m in MODELS if MODELS[m].fitting == "gradient"]


def curve_data(table) -> GaitDataset:
    return build_cycles(table, "group")


def tabular_data(table, model: str) -> GaitDataset:
    return encode_angle_regression(table) if model == "sdnn" else encode_joint_classification(table)


@pytest.mark.parametrize("model", GRADIENT_MODELS)
def test_fast_dev_run(model, tiny_table, tiny_settings):
    data = curve_data(tiny_table) if model in CURVE_MODELS else tabular_data(tiny_table, model)
    module = build_module(data, np.arange(len(data.y)), model, model_options(tiny_settings, model))
    loader = DataLoader(
        TensorDataset(torch.from_numpy(data.x), torch.from_numpy(data.y)), batch_size=8
    )
    trainer = pl.Trainer(
        fast_dev_run=True,
        accelerator="cpu",
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    trainer.fit(module, loader)
    assert trainer.state.finished
    module.eval()
    output = module(torch.from_numpy(data.x[:5]))
    expected = (5,) if model == "sdnn" else (5, len(data.classes))
    assert output.shape == expected


@pytest.mark.parametrize("model", ["resnet1d", "sdnn", "linear", "minirocket", "gradient_boosting"])
def test_fold_is_deterministic_and_leak_free(model, tiny_table, tiny_settings):
    data = curve_data(tiny_table) if model in CURVE_MODELS else tabular_data(tiny_table, model)
    fold = subject_kfold(data.subjects, data.y if data.classes else None, 2, seed=0)[0]
    settings = model_options(tiny_settings, model)
    first = train_fold(data, fold, model, settings, seed=1)
    second = train_fold(data, fold, model, settings, seed=1)
    assert first.subjects_on_both_sides == 0
    assert np.array_equal(first.outputs, second.outputs)
    assert all(torch.equal(first.state_dict[k], second.state_dict[k]) for k in first.state_dict)
    if data.classes:
        assert np.allclose(first.outputs.sum(axis=1), 1.0, atol=1e-5)
    else:
        assert first.outputs.shape == (len(fold.test_index),)


def test_saved_model_reloads_with_weights_only_and_predicts_the_same(
    tmp_path, tiny_table, tiny_settings
):
    data = curve_data(tiny_table)
    fold = subject_kfold(data.subjects, data.y, 2, seed=0)[0]
    result = train_fold(data, fold, "resnet1d", model_options(tiny_settings, "resnet1d"), seed=1)
    save_model(tmp_path / "m.pt", result.spec, result.state_dict, data.classes, ["a"] * 8)
    model, record = load_model(tmp_path / "m.pt")
    with torch.no_grad():
        probabilities = torch.softmax(
            model(torch.from_numpy(data.x[fold.test_index])), dim=1
        ).numpy()
    assert record["classes"] == data.classes
    assert np.allclose(probabilities, result.outputs, atol=1e-6)


class CtrlCAtFirstEpoch(pl.Callback):
    """A Ctrl-C arriving while Lightning trains."""

    def on_train_epoch_start(self, trainer, pl_module):
        raise KeyboardInterrupt


def test_ctrl_c_during_a_fit_is_a_keyboard_interrupt_and_ctrl_c_still_works(
    tiny_table, tiny_settings
):
    import signal

    from gaitops.models.training import fit_interruptibly, make_trainer

    data = curve_data(tiny_table)
    module = build_module(
        data, np.arange(len(data.y)), "resnet1d", model_options(tiny_settings, "resnet1d")
    )
    loader = DataLoader(
        TensorDataset(torch.from_numpy(data.x), torch.from_numpy(data.y)), batch_size=8
    )
    before = signal.getsignal(signal.SIGINT)
    trainer = make_trainer(2, callbacks=[CtrlCAtFirstEpoch()])
    with pytest.raises(KeyboardInterrupt):  # Lightning alone would sys.exit(1)
        fit_interruptibly(trainer, module, loader)
    assert trainer.interrupted
    assert signal.getsignal(signal.SIGINT) is before  # Lightning had set it to SIG_IGN
