import itertools

import pytest
from optuna.distributions import IntDistribution

from gaitops.tuning.space import LEARNING_RATES, search_space


@pytest.mark.parametrize(
    ("name", "model"), [("benchmark", "mlp"), ("benchmark", "resnet1d"), ("compact", "lstm")]
)
def test_grids_are_ordered_level_indices_and_action_of_inverts_them(name, model):
    space = search_space(name, model, "random")
    assert space.finite and space.levels is not None
    for param, levels in space.levels.items():
        assert list(levels) == sorted(levels)
        assert space.distributions[param] == IntDistribution(0, len(levels) - 1)
    for index, action in enumerate(space.actions):
        assert space.action_of(action) == index
    assert space.action_of({k: 0 for k in space.levels} | {next(iter(space.levels)): 99}) is None


def test_benchmark_grids_have_hundreds_of_configurations():
    sizes = {
        m: len(search_space("benchmark", m, "random").actions) for m in ("mlp", "resnet1d", "sdnn")
    }
    assert sizes == {"mlp": 384, "resnet1d": 324, "sdnn": 80}


def test_the_sdnn_grid_holds_every_one_of_the_papers_actions():
    grid = search_space("benchmark", "sdnn", "random")
    values = [grid.values(a) for a in grid.actions]
    for sampler in ("qlearning", "mim"):
        paper = search_space("paper", "sdnn", sampler)
        for action in paper.actions:
            wanted = paper.values(action)
            assert any(all(v[k] == wanted[k] for k in wanted) for v in values)


def test_paper_zip_pairs_the_papers_two_lists_into_five_actions():
    space = search_space("paper", "sdnn", "qlearning")
    assert space.name == "paper_zip"
    pairs = [(v["learning_rate"], v["dropout"]) for v in map(space.values, space.actions)]
    assert pairs == list(zip(LEARNING_RATES, (0.2, 0.3, 0.3, 0.4, 0.5), strict=True))
    assert search_space("paper", "sdnn", "mim").name == "paper_tuples"


def test_decode_turns_level_indices_into_the_models_overrides():
    space = search_space("benchmark", "mlp", "random")
    params = {"learning_rate": 2, "weight_decay": 0, "dropout": 3, "width": 2}
    assert space.decode(params) == {
        "learning_rate": 1e-3,
        "weight_decay": 1e-6,
        "dropout": 0.6,
        "hidden": [256, 128],
    }
    assert len(list(itertools.islice(space.grid()["width"], 10))) == 4
