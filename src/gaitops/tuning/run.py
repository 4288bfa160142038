"""The tune stage's work: the problem from the settings, then the paper's controller mode (one
training run whose epochs are the agent's steps) or Optuna's study mode (trials proposed by the
sampler, each a training run). Writes nothing; returns the result and the per-step table."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from gaitops.config import Settings, task_of
from gaitops.data.dataset import GaitDataset
from gaitops.errors import ConfigError
from gaitops.evaluation.protocol import plan_folds
from gaitops.models.objective import configure, evaluate_configuration, tuning_split
from gaitops.models.registry import model_options
from gaitops.settings.tune import TuneSettings
from gaitops.tuning import presets
from gaitops.tuning.controller import QController
from gaitops.tuning.network_agent import make_agent
from gaitops.tuning.objective import TuningProblem
from gaitops.tuning.samplers.mim import MIMOptions
from gaitops.tuning.samplers.qlearning import QLearningOptions, QLearningSampler
from gaitops.tuning.samplers.registry import SAMPLERS, get_sampler, sampler_options
from gaitops.tuning.space import search_space
from gaitops.tuning.study import (
    RunTrials,
    fresh_study,
    open_storage,
    run_study,
    study_name,
    trials_table,
)

SPLIT_TEXT = (
    "training part of fold 0 of train.protocol, split by subject (train.validation_fraction) "
    "into fit and validation subjects; the fold's test subjects are never seen"
)


def tuning_problem(settings: Settings, data: GaitDataset) -> TuningProblem:
    """The configured model on fold 0's training part, split by subject into fit and validation."""
    tune, train = settings.tune, settings.train
    task = task_of(settings)
    fold = plan_folds(data, train)[0]
    options = sampler_options(tune, task)
    probe = options if isinstance(options, MIMOptions) else MIMOptions()  # recorded per trial
    return TuningProblem(
        data=data,
        task=task,
        split=tuning_split(data, fold, train.validation_fraction, train.seed),
        architecture=train.model,
        base=model_options(settings),
        epochs=presets.epochs(tune, task),
        space=search_space(tune.space, train.model, tune.sampler),
        mi_estimator=probe.estimator,
        mi_bins=probe.bins,
        mi_redundancy=probe.redundancy,
    )


def tune_by_controller(
    problem: TuningProblem, tune: TuneSettings
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The paper's mode: one training run whose epochs are the agent's steps."""
    descriptor = get_sampler(tune.sampler)
    if not descriptor.controller:
        controllers = [name for name, s in SAMPLERS.items() if s.controller]
        raise ConfigError(
            f"tune.mode controller needs tune.sampler {', '.join(controllers)}, not {tune.sampler}"
        )
    space, task = problem.space, problem.task
    options = sampler_options(tune, task)
    assert isinstance(options, QLearningOptions)  # what every controller sampler takes
    mim = isinstance(options, MIMOptions)
    controller = QController(
        make_agent(tune.sampler, len(space.actions), options.agent_settings(), tune.seed),
        [space.decode(a) for a in space.actions],
        options.reward,
        problem.information_probe(tune.seed) if mim else None,
        options.information_weight() if mim else 0.0,
    )
    start = configure(
        problem.base, {**space.decode(space.actions[0]), "max_epochs": problem.epochs}
    )
    fitted = evaluate_configuration(
        problem.data, task, problem.split, problem.architecture, start, [controller]
    )
    steps = pd.DataFrame([asdict(step) for step in controller.steps])
    result = {
        "best_value": fitted.best_validation_metric,
        "overrides": space.decode(space.actions[controller.agent.greedy()]),
        "final_reward": float(steps["reward"].iloc[-1]) if len(steps) else None,
        "epochs": len(steps),
    }
    return result, steps


def tune_by_study(
    problem: TuningProblem, tune: TuneSettings, identity: dict[str, Any], run_trials: RunTrials
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Optuna's mode: trials proposed by the sampler, each a training run; the study is named
    after everything that determines it (`identity` and the sampler's settings)."""
    options = sampler_options(tune, problem.task)
    sampler = get_sampler(tune.sampler).make(problem.space, options, tune.seed)
    name = study_name(
        {
            **identity,
            "seed": tune.seed,
            "n_trials": tune.n_trials,
            "trials_per_round": tune.trials_per_round,
            "options": options.model_dump(mode="json"),
        }
    )
    study = fresh_study(name, open_storage(tune.storage), sampler)
    run_study(study, problem, tune.n_trials, run_trials, tune.trials_per_round)
    table = trials_table(study, sampler.reward if isinstance(sampler, QLearningSampler) else None)
    result = {
        "study_name": name,
        "best_value": study.best_value,
        "best_trial": study.best_trial.number,
        "trials_per_round": tune.trials_per_round,
        "overrides": problem.space.decode(study.best_trial.params),
        "epochs": int(table["epochs"].iloc[-1]),
    }
    return result, table
