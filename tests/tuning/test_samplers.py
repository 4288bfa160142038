"""One suite over the tuners' samplers: declared actions only, reproducible by seed, in another
process and after pickling (as Optuna's own sampler tests do)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import optuna
import pytest

from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.objective import suggest
from gaitops.tuning.samplers.registry import SAMPLERS
from gaitops.tuning.space import search_space

optuna.logging.set_verbosity(optuna.logging.WARNING)
SPACES = [("paper_grid", "sdnn"), ("paper_tuples", "dffn"), ("mixed", "resnet1d")]


def _sampler(name: str, space, seed: int, agent: AgentSettings | None = None):
    """The sampler `name` with the same agent, reward and MIM weight as every other here."""
    descriptor = SAMPLERS[name]
    options = descriptor.configured(agent=agent or AgentSettings(), weight=0.5)
    return descriptor.make(space, options, seed)


def _toy_study(
    sampler_name: str, space_name: str, model: str, seed: int, n: int = 12
) -> list[dict]:
    space = search_space(space_name, model, sampler_name)
    sampler = _sampler(sampler_name, space, seed)
    study = optuna.create_study(sampler=sampler, direction="maximize")

    def objective(trial: optuna.Trial) -> float:
        params = {k: suggest(trial, k, d) for k, d in space.distributions.items()}
        config = space.decode(params)
        loss = (
            abs(config["learning_rate"] - 5e-4) * 100
            + sum(len(str(v)) for v in config.values()) / 100
        )
        trial.set_user_attr("validation_loss", loss)
        trial.set_user_attr("mutual_information", 0.5)
        return 1 / (1 + loss)

    study.optimize(objective, n_trials=n)
    return [t.params for t in study.trials]


@pytest.mark.parametrize("sampler_name", ["qlearning", "mim"])
@pytest.mark.parametrize(("space_name", "model"), SPACES)
def test_agents_choose_only_declared_actions(sampler_name, space_name, model):
    space = search_space(space_name, model, sampler_name)
    for params in _toy_study(sampler_name, space_name, model, seed=1, n=25):
        assert space.action_of(params) is not None


@pytest.mark.parametrize("sampler_name", sorted(SAMPLERS))
def test_sampler_is_reproducible_by_seed(sampler_name):
    space_name, model = ("paper_grid", "sdnn")
    first = _toy_study(sampler_name, space_name, model, seed=3)
    assert first == _toy_study(sampler_name, space_name, model, seed=3)
    if sampler_name != "grid":  # the grid visits every cell whatever the seed
        assert first != _toy_study(sampler_name, space_name, model, seed=4)


@pytest.mark.parametrize("sampler_name", ["qlearning", "mim"])
def test_sampler_is_reproducible_in_another_process_and_pickles(sampler_name):
    here = _toy_study(sampler_name, "mixed", "resnet1d", seed=5)
    code = (
        "import json, sys; sys.path.insert(0, 'tests'); "
        "from tuning.test_samplers import _toy_study; "
        f"print(json.dumps(_toy_study({sampler_name!r}, 'mixed', 'resnet1d', 5)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == json.loads(json.dumps(here))
    space = search_space("mixed", "resnet1d", sampler_name)
    sampler = _sampler(sampler_name, space, 5)
    clone = pickle.loads(pickle.dumps(sampler))
    assert clone.space == sampler.space and clone.seed == 5


def test_the_q_update_happens_after_each_trial():
    space = search_space("paper_grid", "sdnn", "qlearning")
    sampler = _sampler("qlearning", space, 0, AgentSettings(exploration=0.0))
    study = optuna.create_study(sampler=sampler, direction="maximize")

    def objective(trial):
        for k, d in space.distributions.items():
            suggest(trial, k, d)
        trial.set_user_attr("validation_loss", 1.0)
        return 0.5

    study.optimize(objective, n_trials=1)
    action = space.action_of(study.trials[0].params)
    # reward 1 / (1 + 1) = 0.5, Q-table learning rate 0.5, all-zero target: 0.25
    assert sampler.q_table[0, action] == pytest.approx(0.25)
