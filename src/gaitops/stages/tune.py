"""Stage tune: the configured tuner on one subject-wise split; the best configuration, the trial
history and (study mode) the Optuna study. With ``tune.enabled: false`` it records only that."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from gaitops.config import OptimisationSettings, Settings, TuneSettings, model_settings, task_of
from gaitops.data.dataset import GaitDataset
from gaitops.errors import ConfigError
from gaitops.evaluation.protocol import plan_folds
from gaitops.io import atomic_directory, sha256_of, write_csv, write_json
from gaitops.models.objective import TuningSplit, configure, evaluate_configuration, tuning_split
from gaitops.paths import Paths
from gaitops.records import publish
from gaitops.report.panels import panel, panels
from gaitops.stages import MapFn, serial_map
from gaitops.stages.validated import validated_dataset
from gaitops.tasks import Task
from gaitops.tuning import presets
from gaitops.tuning.controller import QController
from gaitops.tuning.mutual_information import penultimate, representation_information
from gaitops.tuning.network_agent import make_agent
from gaitops.tuning.objective import TrialRunner
from gaitops.tuning.samplers.qlearning import QLearningSampler
from gaitops.tuning.samplers.registry import SAMPLERS
from gaitops.tuning.space import SearchSpace, search_space
from gaitops.tuning.study import fresh_study, open_storage, run_study, study_name, trials_table

log = logging.getLogger("gaitops")
SPLIT_TEXT = (
    "training part of fold 0 of train.protocol, split by subject (train.validation_fraction) "
    "into fit and validation subjects; the fold's test subjects are never seen"
)


@dataclass(frozen=True)
class Problem:
    """What a tuner works on: the task's data, the split, the space and the base settings."""

    task: Task
    architecture: str
    data: GaitDataset
    split: TuningSplit
    space: SearchSpace
    base: OptimisationSettings
    epochs: int


def _disabled(paths: Paths) -> dict[str, Any]:
    record = {"tuned": False, "reason": "tune.enabled is false"}
    with atomic_directory(paths.tuning_dir) as tmp:
        write_json(tmp / paths.tuned_parameters.name, record)
    with atomic_directory(paths.tune_plots_dir):
        pass
    return publish(record, paths.record("tune"), paths.metrics("tune"), ())


def _information_probe(problem: Problem, tune: TuneSettings) -> Callable[[Any], float]:
    x = problem.data.x[problem.split.validation_index]
    y = problem.data.y[problem.split.validation_index]

    def measure(network: Any) -> float:
        return representation_information(
            penultimate(network, x),
            y,
            problem.task.is_classification,
            tune.mi_estimator,
            tune.mi_bins,
            tune.seed,
            tune.mi_redundancy,
        )

    return measure


def _controller(problem: Problem, tune: TuneSettings) -> tuple[dict[str, Any], pd.DataFrame]:
    """The paper's mode: one training run whose epochs are the agent's steps."""
    if tune.sampler not in ("qlearning", "mim", "mim_table"):
        raise ConfigError(
            f"tune.mode controller needs tune.sampler qlearning, mim or mim_table, not {tune.sampler}"
        )
    space, task = problem.space, problem.task
    mim = tune.sampler != "qlearning"
    controller = QController(
        make_agent(tune.sampler, len(space.actions), presets.agent_settings(tune, task), tune.seed),
        [space.decode(a) for a in space.actions],
        tune.reward,
        _information_probe(problem, tune) if mim else None,
        presets.mim_weight(tune, task) if mim else 0.0,
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


def _study(
    problem: Problem, tune: TuneSettings, identity: dict[str, Any], map_items: MapFn
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Optuna's mode: trials proposed by the sampler, each a training run."""
    task = problem.task
    agent = presets.agent_settings(tune, task)
    weight = presets.mim_weight(tune, task) if tune.sampler in ("mim", "mim_table") else 0.0
    sampler = SAMPLERS[tune.sampler](problem.space, agent, tune.seed, tune.reward, weight)
    name = study_name(
        {
            **identity,
            "seed": tune.seed,
            "n_trials": tune.n_trials,
            "trials_per_round": tune.trials_per_round,
            "agent": asdict(agent),
            "weight": weight,
        }
    )
    study = fresh_study(name, open_storage(tune.storage), sampler)
    runner = TrialRunner(
        problem.data,
        task,
        problem.split,
        problem.architecture,
        problem.base,
        problem.epochs,
        problem.space,
        tune.mi_estimator,
        tune.mi_bins,
        tune.mi_redundancy,
    )
    run_study(study, runner, tune.n_trials, map_items, tune.trials_per_round)
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


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """Tune the configured model (study or controller mode) and record the best configuration."""
    tune = settings.tune
    if not tune.enabled:
        return _disabled(paths)
    task, architecture = task_of(settings), settings.train.model
    data, source = validated_dataset(settings, paths)
    fold = plan_folds(data, settings.train)[0]
    problem = Problem(
        task=task,
        architecture=architecture,
        data=data,
        split=tuning_split(data, fold, settings.train.validation_fraction, settings.train.seed),
        space=search_space(tune.space, architecture, tune.sampler),
        base=model_settings(settings),
        epochs=presets.epochs(tune, task),
    )
    identity = {
        "tuned": True,
        "task": task.name,
        "model": architecture,
        "mode": tune.mode,
        "sampler": tune.sampler,
        "space": problem.space.name,
        "epochs_per_run": problem.epochs,
        "split": SPLIT_TEXT,
        "metric": task.headline_metric,
        "data_sha256": sha256_of(paths.canonical_table),
        "base": problem.base.model_dump(mode="json"),
    }
    metric = task.headline_metric
    if tune.mode == "controller":
        found, table = _controller(problem, tune)
        table_name, progress = (
            "controller",
            panels(
                panel(table, "Controller reward per epoch", "epoch", "reward", name="reward"),
                panel(table, "Validation loss per epoch", "epoch", "validation_loss", name="loss"),
            ),
        )
    else:
        found, table = _study(problem, tune, identity, map_items)
        table_name, progress = (
            "trials",
            panels(
                panel(
                    table,
                    f"Validation {metric} per trial",
                    "trial",
                    "value",
                    mark="point",
                    name="trial",
                ),
                panel(
                    table,
                    f"Validation {metric} per trial",
                    "trial",
                    "best_so_far",
                    name="best so far",
                ),
            ),
        )
    result = {**identity, **found}
    with atomic_directory(paths.tuning_dir) as tmp:
        write_json(tmp / paths.tuned_parameters.name, result)
        write_csv(tmp / f"{table_name}.csv", table)
    with atomic_directory(paths.tune_plots_dir) as tmp:
        write_csv(tmp / "progress.csv", progress)
    summary = {
        "metric": task.headline_metric,
        "best_value": result["best_value"],
        "runs": tune.n_trials if tune.mode == "study" else 1,
        "epochs": result["epochs"],
    }
    publish(summary, paths.record("tune"), paths.metrics("tune"), ("best_value", "runs", "epochs"))
    log.info(
        "tuned %s (%s, %s on %s): best validation %s %.4f (source %s)",
        architecture,
        tune.mode,
        tune.sampler,
        problem.space.name,
        task.headline_metric,
        result["best_value"],
        source["name"],
    )
    return result
