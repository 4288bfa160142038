import numpy as np
import pandas as pd
import pytest

from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.benchmark.runs import Trajectory, study_on_table
from gaitops.tuning.benchmark.statistics import holm, on_grid, summarise
from gaitops.tuning.benchmark.table import Table
from gaitops.tuning.space import search_space


def _trajectory(name: str, values: list[float], seed: int = 0) -> Trajectory:
    return Trajectory(
        name, seed, "study", [5 * (i + 1) for i in range(len(values))], values, 0.01, 1.0
    )


def test_best_so_far_on_a_grid():
    run = _trajectory("a", [0.2, 0.1, 0.5])
    assert run.best_so_far == [0.2, 0.2, 0.5]
    assert np.allclose(on_grid(run, [4, 5, 9, 15]), [np.nan, 0.2, 0.2, 0.5], equal_nan=True)


def test_holm_adjusts_in_order_and_stays_monotone():
    adjusted = holm({("a", "b"): 0.01, ("b", "a"): 0.04, ("a", "c"): 0.03})
    assert adjusted == {("a", "b"): 0.03, ("a", "c"): 0.06, ("b", "a"): 0.06}


def test_a_clearly_better_sampler_earns_borda_points():
    rng = np.random.default_rng(0)
    runs = {
        "good": [_trajectory("good", list(0.9 + rng.normal(0, 0.01, 4)), s) for s in range(12)],
        "bad": [_trajectory("bad", list(0.5 + rng.normal(0, 0.01, 4)), s) for s in range(12)],
    }
    summaries, target, _ = summarise(runs, [5, 10, 15, 20])
    by_name = {s.sampler: s for s in summaries}
    assert by_name["good"].borda == 1 and by_name["good"].beats == ("bad",)
    assert by_name["bad"].borda == 0
    assert target == pytest.approx(0.95 * max(max(t.values) for t in runs["good"]))
    assert by_name["good"].reached_target == 1.0 and by_name["bad"].reached_target == 0.0


def _table() -> Table:
    rows = []
    for configuration in range(20):
        for seed in range(2):
            for epoch in range(3):
                loss = 1.0 / (1 + configuration) + 0.1 * (2 - epoch) + 0.01 * seed
                rows.append((configuration, seed, epoch, loss, 1 - loss, 0.2, 0.0))
    columns = [
        "configuration",
        "training_seed",
        "epoch",
        "validation_loss",
        "metric",
        "information",
        "seconds",
    ]
    return Table(pd.DataFrame(rows, columns=columns))


def test_table_lookup_keeps_the_lowest_loss_epoch_within_the_budget():
    table = _table()
    one_epoch = table.outcome(3, 1, 1)
    assert one_epoch.best_epoch == 0 and one_epoch.validation_loss == pytest.approx(
        0.25 + 0.2 + 0.01
    )
    assert table.outcome(3, 1, 3).best_epoch == 2


@pytest.mark.parametrize("sampler", ["qlearning", "mim", "tpe", "random", "grid"])
def test_samplers_run_on_a_table_reproducibly(sampler):
    space = search_space("paper_grid", "sdnn", sampler)
    runs = [
        study_on_table(
            sampler, space, _table(), AgentSettings(), 0.5, seed=2, trials=6, epochs_per_trial=3
        )
        for _ in range(2)
    ]
    assert runs[0].values == runs[1].values and runs[0].epochs == [3, 6, 9, 12, 15, 18]
