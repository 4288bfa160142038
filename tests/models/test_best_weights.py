from types import SimpleNamespace

import numpy as np
import torch
from torch import nn

from gaitops.models.best_weights import BestWeights
from gaitops.models.registry import model_options
from gaitops.models.training import train_fold, validation_split


def test_restores_the_weights_of_the_lowest_validation_loss():
    module = nn.Linear(1, 1)
    callback = BestWeights()
    for epoch, (loss, weight) in enumerate([(3.0, 1.0), (1.0, 2.0), (2.0, 3.0)]):
        with torch.no_grad():
            module.weight.fill_(weight)
        trainer = SimpleNamespace(
            sanity_checking=False,
            callback_metrics={"val_loss": torch.tensor(loss)},
            current_epoch=epoch,
        )
        callback.on_validation_epoch_end(trainer, module)
    callback.on_fit_end(trainer, module)
    assert callback.best_epoch == 1 and module.weight.item() == 2.0


def test_validation_subjects_are_held_out_of_fitting():
    subjects = np.repeat(np.array([f"S{i}" for i in range(10)]), 3)
    fit, validation = validation_split(subjects, np.arange(30), 0.2, seed=0)
    assert len(set(subjects[validation])) == 2 and not set(subjects[fit]) & set(
        subjects[validation]
    )
    fit, validation = validation_split(subjects, np.arange(30), 0.0, seed=0)
    assert len(validation) == 0 and len(fit) == 30


def test_fold_records_its_best_epoch(tiny_table, tiny_settings):
    from gaitops.data.cycles import build_cycles
    from gaitops.data.splits import subject_kfold

    cycles = build_cycles(tiny_table, "group")
    data = cycles
    fold = subject_kfold(data.subjects, data.y, 2, seed=0)[0]
    settings = model_options(tiny_settings, "resnet1d")
    with_validation = train_fold(data, fold, "resnet1d", settings, seed=1, validation_fraction=0.3)
    without = train_fold(data, fold, "resnet1d", settings, seed=1, validation_fraction=0.0)
    assert 0 <= with_validation.best_epoch < settings.max_epochs
    assert without.best_epoch is None
