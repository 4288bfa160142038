"""Stage tune: the configured tuner on one subject-wise split; the best configuration, the trial
history and (study mode) the Optuna study. With ``tune.enabled: false`` it records only that.
The work is gaitops.tuning.run's; this module reads the data and writes the outputs."""

from __future__ import annotations

import logging
from typing import Any

from gaitops.config import Settings
from gaitops.io import atomic_directory, sha256_of, write_csv, write_json
from gaitops.panels import panel, panels
from gaitops.paths import Paths
from gaitops.records import publish
from gaitops.stages import MapFn, serial_map

log = logging.getLogger("gaitops")


def _disabled(paths: Paths) -> dict[str, Any]:
    record = {"tuned": False, "reason": "tune.enabled is false"}
    with atomic_directory(paths.tuning_dir) as tmp:
        write_json(tmp / paths.tuned_parameters.name, record)
    with atomic_directory(paths.tune_plots_dir):
        pass
    return publish(record, paths.record("tune"), paths.metrics("tune"), ())


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """Tune the configured model (study or controller mode) and record the best configuration."""
    if not settings.tune.enabled:
        return _disabled(paths)
    return _tuned(settings, paths, map_items)


def _tuned(settings: Settings, paths: Paths, map_items: MapFn) -> dict[str, Any]:
    # imported here: a disabled stage (the default) records that without loading torch, Optuna
    # and the models (1.6 s of CPU to import instead of 6.4 s, for its process under `dvc repro`)
    from gaitops.models.registry import check_models
    from gaitops.stages.validated import validated_dataset
    from gaitops.tuning.run import SPLIT_TEXT, tune_by_controller, tune_by_study, tuning_problem
    from gaitops.tuning.samplers.registry import check_sampler_options

    tune = settings.tune
    check_models(settings)
    check_sampler_options(tune)
    data, source = validated_dataset(settings, paths)
    problem = tuning_problem(settings, data)
    task, architecture = problem.task, problem.architecture
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
        found, table = tune_by_controller(problem, tune)
        table_name, progress = (
            "controller",
            panels(
                panel(table, "Controller reward per epoch", "epoch", "reward", name="reward"),
                panel(table, "Validation loss per epoch", "epoch", "validation_loss", name="loss"),
            ),
        )
    else:
        found, table = tune_by_study(problem, tune, identity, map_items)
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
