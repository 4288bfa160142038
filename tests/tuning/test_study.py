"""Study mode: trials in rounds (the same study on any runner), the storage at any SQLAlchemy
URL, one short message when it cannot be opened."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import optuna
import pytest

from gaitops.errors import ConfigError
from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.objective import TrialOutcome
from gaitops.tuning.samplers.registry import SAMPLERS
from gaitops.tuning.space import SearchSpace, search_space
from gaitops.tuning.study import fresh_study, open_storage, run_study
from helpers.project import free_port


@dataclass(frozen=True)
class ToyRunner:
    """A trial runner whose validation loss is a known function of the configuration."""

    space: SearchSpace

    def run(self, params: dict[str, Any]) -> TrialOutcome:
        config = self.space.decode(params)
        loss = abs(config["learning_rate"] - 5e-4) * 100 + len(str(config)) / 100
        return TrialOutcome(1 / (1 + loss), loss, 0.5, epochs=3, best_epoch=2)


def _serial(function, items):
    return [function(item) for item in items]


def _parallel_reversed(function, items):
    """The items at once on threads, started last first: what a pool of workers may do."""
    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        futures = [pool.submit(function, item) for item in reversed(items)]
    return [future.result() for future in reversed(futures)]


def _study(sampler_name: str, per_round: int, run_trials) -> tuple[list[tuple], list[int]]:
    space = search_space("mixed", "resnet1d", sampler_name)
    descriptor = SAMPLERS[sampler_name]
    sampler = descriptor.make(space, descriptor.configured(agent=AgentSettings(), weight=0.0), 7)
    study = optuna.create_study(sampler=sampler, direction="maximize")
    rounds: list[int] = []

    def counted(function, items):
        rounds.append(len(items))
        return run_trials(function, items)

    run_study(study, ToyRunner(space), 7, counted, per_round)
    return [(t.number, t.params, t.value) for t in study.trials], rounds


@pytest.mark.parametrize("sampler_name", ["qlearning", "mim", "tpe", "random"])
def test_rounds_of_trials_give_the_same_study_wherever_they_run(sampler_name):
    serial, rounds = _study(sampler_name, 3, _serial)
    assert rounds == [3, 3, 1] and [number for number, *_ in serial] == list(range(7))
    assert _study(sampler_name, 3, _parallel_reversed)[0] == serial


def test_one_trial_per_round_by_default_each_proposal_seeing_every_earlier_result():
    assert _study("tpe", 1, _serial)[1] == [1] * 7


def test_a_sqlite_storage_gets_its_directory_and_keeps_the_study(tmp_path):
    url = f"sqlite:///{tmp_path / 'nested' / 'optuna.db'}"
    study = fresh_study("s", open_storage(url), optuna.samplers.RandomSampler(seed=0))
    study.optimize(lambda trial: trial.suggest_float("x", 0, 1), n_trials=2)
    assert len(optuna.load_study(study_name="s", storage=url).trials) == 2


def test_an_unreachable_database_is_one_message_without_the_password():
    url = f"postgresql+psycopg2://gait:s3cr3t@127.0.0.1:{free_port()}/optuna"
    with pytest.raises(ConfigError, match=r"tune.storage .*cannot open the database") as failed:
        open_storage(url)
    assert "s3cr3t" not in str(failed.value) and "gait:***@" in str(failed.value)
    assert "\n" not in str(failed.value)


def test_a_missing_driver_says_what_to_install():
    with pytest.raises(ConfigError, match=r"driver is not installed"):
        open_storage("postgresql+pg8000://gait@127.0.0.1:1/optuna")
