"""Training as an objective: per-epoch history, a validation score, nothing written."""

import numpy as np
import torch

from gaitops.data.cycles import build_cycles
from gaitops.data.splits import subject_kfold
from gaitops.models.objective import configure, evaluate_configuration, tuning_split
from gaitops.models.registry import model_options
from gaitops.models.training import fit_network
from gaitops.tasks import TASKS

TASK = TASKS["group_classification"]


def test_evaluating_a_configuration_returns_history_and_the_best_epochs_score(
    tmp_path, monkeypatch, tiny_table, tiny_settings
):
    monkeypatch.chdir(tmp_path)
    data = build_cycles(tiny_table, "group")
    fold = subject_kfold(data.subjects, data.y, 2, seed=0)[0]
    split = tuning_split(data, fold, 0.3, seed=5)
    assert not set(data.subjects[split.validation_index]) & set(data.subjects[split.fit_index])
    assert not set(split.fit_index) & set(fold.test_index)
    settings = configure(
        model_options(tiny_settings, "resnet1d"), {"learning_rate": 0.01, "max_epochs": 3}
    )
    result = evaluate_configuration(data, TASK, split, "resnet1d", settings)
    assert result.epochs == 3 and [r.epoch for r in result.history] == [0, 1, 2]
    assert all(
        r.validation_loss is not None and 0 <= r.validation_metric <= 1 for r in result.history
    )
    best = result.history[result.best_epoch]
    assert best.validation_loss == min(r.validation_loss for r in result.history)
    assert result.best_validation_metric == best.validation_metric
    assert list(tmp_path.iterdir()) == []  # no logs, checkpoints or outputs


def test_two_fits_with_one_seed_are_identical_whatever_ran_before(tiny_table, tiny_settings):
    data = build_cycles(tiny_table, "group")
    index = np.arange(len(data))
    settings = configure(
        model_options(tiny_settings, "mlp"), {"max_epochs": 2}
    )  # dropout draws randomness

    def weights() -> list[torch.Tensor]:
        fitted = fit_network(data, index, index[:0], "mlp", settings, seed=11)
        return [v.clone() for v in fitted.network.state_dict().values()]

    first = weights()
    torch.rand(1000)
    np.random.rand(10)
    caller_state = torch.random.get_rng_state()
    second = weights()
    assert torch.equal(
        torch.random.get_rng_state(), caller_state
    )  # the caller's generator untouched
    assert all(torch.equal(a, b) for a, b in zip(first, second, strict=True))


def test_optimiser_and_schedule_come_from_the_model_section(tiny_settings):
    from gaitops.models.optim import configure_optimisation

    parameters = [torch.nn.Parameter(torch.zeros(2))]
    dffn = configure_optimisation(parameters, model_options(tiny_settings, "dffn"))
    assert isinstance(dffn["optimizer"], torch.optim.Adam)
    schedule = dffn["lr_scheduler"]["scheduler"]
    assert schedule.lr_lambdas[0](10_000) == 0.8 and schedule.lr_lambdas[0](9_999) == 1.0
    sgd = configure(model_options(tiny_settings, "resnet1d"), {"optimizer": "sgd"})
    assert isinstance(configure_optimisation(parameters, sgd), torch.optim.SGD)
