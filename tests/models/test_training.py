import numpy as np
import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, TensorDataset

from gaitops.data.cycles import build_cycles
from gaitops.data.splits import subject_kfold
from gaitops.models.curve_classifier import CurveClassifier
from gaitops.models.factory import build_network
from gaitops.models.store import load_model, save_model
from gaitops.models.training import network_spec, train_fold


def test_fast_dev_run(tiny_table, tiny_settings):
    cycles = build_cycles(tiny_table, "group")
    network = build_network(network_spec(cycles, tiny_settings.train))
    module = CurveClassifier(network, torch.ones(3), 1e-3, 0.0)
    loader = DataLoader(
        TensorDataset(torch.from_numpy(cycles.x), torch.from_numpy(cycles.y)), batch_size=4
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


def test_fold_is_deterministic_and_leak_free(tiny_table, tiny_settings):
    cycles = build_cycles(tiny_table, "group")
    fold = subject_kfold(cycles.subjects, cycles.y, 2, seed=0)[0]
    first = train_fold(cycles, fold, tiny_settings.train)
    second = train_fold(cycles, fold, tiny_settings.train)
    assert first.subjects_on_both_sides == 0
    assert first.probabilities.shape == (len(fold.test_index), 3)
    assert np.allclose(first.probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert np.array_equal(first.probabilities, second.probabilities)
    assert all(torch.equal(first.state_dict[k], second.state_dict[k]) for k in first.state_dict)


def test_saved_model_reloads_with_weights_only_and_predicts_the_same(
    tmp_path, tiny_table, tiny_settings
):
    cycles = build_cycles(tiny_table, "group")
    fold = subject_kfold(cycles.subjects, cycles.y, 2, seed=0)[0]
    result = train_fold(cycles, fold, tiny_settings.train)
    save_model(tmp_path / "m.pt", result.spec, result.state_dict, cycles.classes, cycles.channels)
    model, record = load_model(tmp_path / "m.pt")
    with torch.no_grad():
        probabilities = torch.softmax(
            model(torch.from_numpy(cycles.x[fold.test_index])), dim=1
        ).numpy()
    assert record["classes"] == cycles.classes
    assert np.allclose(probabilities, result.probabilities, atol=1e-6)
