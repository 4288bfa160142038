"""Study mode: a sampler proposes configurations, each trained on the tuning split, in an Optuna
study kept in `tune.storage` (SQLite by default, any SQLAlchemy URL)."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import optuna
import pandas as pd
from optuna.samplers import BaseSampler
from sqlalchemy.exc import SQLAlchemyError

from gaitops.database_urls import masked
from gaitops.errors import ConfigError
from gaitops.tuning.objective import TrialOutcome, TuningProblem, record, suggest

# (function, items) -> results: an orchestrator may run each trial as its own task
RunTrials = Callable[
    [Callable[[dict[str, Any]], TrialOutcome], list[dict[str, Any]]], list[TrialOutcome]
]


def study_name(parts: dict[str, Any]) -> str:
    """A readable name plus a digest of everything that determines the study's trials."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[
        :10
    ]
    return f"{parts['task']}-{parts['model']}-{parts['sampler']}-{parts['space']}-seed{parts['seed']}-{digest}"


def open_storage(url: str) -> optuna.storages.BaseStorage:
    """The study storage at `url` (a SQLite file's directory is created); a database that
    cannot be reached, or a driver not installed, is one ConfigError naming tune.storage."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    try:
        return optuna.storages.RDBStorage(url)
    except ImportError as exc:  # e.g. psycopg2 for postgresql+psycopg2://
        raise ConfigError(
            f"tune.storage {masked(url)}: the database driver is not installed ({exc.name or exc}); "
            "pip install -e '.[scale]' installs psycopg2 for PostgreSQL."
        ) from exc
    except (SQLAlchemyError, ValueError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise ConfigError(
            f"tune.storage {masked(url)}: cannot open the database ({reason}). Check that the "
            "server answers and the database exists, or use sqlite:///.gaitops/optuna.db."
        ) from exc


def fresh_study(
    name: str, storage: optuna.storages.BaseStorage, sampler: BaseSampler
) -> optuna.Study:
    """A new, empty study of that name (a previous one of the same name is replaced)."""
    with contextlib.suppress(KeyError):  # no such study yet
        optuna.delete_study(study_name=name, storage=storage)
    return optuna.create_study(
        study_name=name, storage=storage, sampler=sampler, direction="maximize"
    )


def run_study(
    study: optuna.Study,
    problem: TuningProblem,
    n_trials: int,
    run_trials: RunTrials,
    trials_per_round: int = 1,
) -> optuna.Study:
    """`n_trials` trials in rounds of `trials_per_round`: the sampler proposes a round's trials
    one after the other (each sees every result of earlier rounds), they train together
    (`run_trials` may run them in parallel), and are told in order. The trials depend on
    `trials_per_round`, never on where they run."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    told = 0
    while told < n_trials:
        asked, proposals = [], []
        for _ in range(min(trials_per_round, n_trials - told)):
            trial = study.ask()
            asked.append(trial)
            proposals.append(
                {name: suggest(trial, name, d) for name, d in problem.space.distributions.items()}
            )
        for trial, outcome in zip(asked, run_trials(problem.run, proposals), strict=True):
            study.tell(trial, record(trial, outcome))
        told += len(asked)
    return study


def trials_table(
    study: optuna.Study, reward: Callable[[optuna.trial.FrozenTrial], float] | None
) -> pd.DataFrame:
    """One row per finished trial: value, best so far, cumulative epochs, reward, information."""
    rows, best, epochs = [], float("-inf"), 0
    for trial in sorted(study.get_trials(deepcopy=False), key=lambda t: t.number):
        if trial.value is None:
            continue
        best = max(best, trial.value)
        epochs += int(trial.user_attrs.get("epochs", 0))
        rows.append(
            {
                "trial": trial.number,
                "value": trial.value,
                "best_so_far": best,
                "epochs": epochs,
                "validation_loss": trial.user_attrs.get("validation_loss"),
                "mutual_information": trial.user_attrs.get("mutual_information"),
                "reward": None if reward is None else reward(trial),
            }
        )
    return pd.DataFrame(rows)
