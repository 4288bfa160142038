"""The model to use: every subject, epochs chosen by the folds, never by a test score."""

import numpy as np
import torch

from gaitops.data.cycles import build_cycles
from gaitops.data.splits import subject_kfold
from gaitops.models.final import final_epochs, fit_final
from gaitops.models.registry import model_options
from gaitops.models.store import load_model, save_model
from gaitops.models.training import train_fold


def test_final_model_trains_the_folds_epochs_on_every_subject_and_reloads(
    tmp_path, tiny_table, tiny_settings
):
    data = build_cycles(tiny_table, "group")
    settings = model_options(tiny_settings, "resnet1d")
    folds = [
        train_fold(data, fold, "resnet1d", settings, seed=3)
        for fold in subject_kfold(data.subjects, data.y, 2, seed=0)
    ]
    final = fit_final(data, "resnet1d", settings, seed=3, folds=folds)
    assert final.epochs == settings.max_epochs and "keep_epoch: last" in final.epochs_from
    again = fit_final(data, "resnet1d", settings, seed=3, folds=folds)
    assert all(torch.equal(final.state_dict[k], again.state_dict[k]) for k in final.state_dict)
    about = {"task": "group_classification", "data_sha256": "ab" * 32}
    save_model(tmp_path / "final.pt", final.spec, final.state_dict, data.classes, ["c"] * 8, about)
    network, record = load_model(tmp_path / "final.pt")
    assert record["about"] == about and record["classes"] == data.classes
    with torch.no_grad():
        probabilities = torch.softmax(network(torch.from_numpy(data.x)), dim=1).numpy()
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


def test_final_epochs_follow_the_folds_best_validation_epochs(tiny_table, tiny_settings):
    data = build_cycles(tiny_table, "group")
    settings = model_options(tiny_settings, "resnet1d")
    folds = [
        train_fold(data, fold, "resnet1d", settings, seed=3, validation_fraction=0.3)
        for fold in subject_kfold(data.subjects, data.y, 2, seed=0)
    ]
    best = [f.best_epoch + 1 for f in folds if f.best_epoch is not None]
    epochs, reason = final_epochs("resnet1d", settings, folds)
    assert best and epochs == int(np.median(best)) and "best validation epochs" in reason
    assert final_epochs("linear", model_options(tiny_settings, "linear"), folds) == (
        None,
        "fitted without epochs",
    )
