"""The study storage: any SQLAlchemy URL; one short message when it cannot be opened."""

from __future__ import annotations

import optuna
import pytest

from gaitops.errors import ConfigError
from gaitops.tuning.study import fresh_study, open_storage
from helpers.project import free_port


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
