"""Stage select: sequential feature selection with retraining, and its curve (off by default).

On fold 0 of the configured protocol: its training part split by subject into fit and
validation subjects (validation chooses), its test subjects report the headline metric for each
number of angles kept, forward and backward, beside the model trained on every angle. Lan et
al.'s fidelity of each direction's ranking is computed with fold 0's trained model. Writes
data/selection/ (steps.json), records/select.json, metrics/select.json and plots/select/curve.csv.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from gaitops.config import Settings, task_of
from gaitops.io import atomic_directory, write_csv, write_json
from gaitops.panels import panel, panels
from gaitops.paths import Paths
from gaitops.records import publish
from gaitops.stages import MapFn, serial_map
from gaitops.tasks import Task

SPLIT_TEXT = (
    "fold 0: validation subjects of its training part choose each step; its test subjects "
    "report the curve (no subject on both sides)"
)


def _record(
    paths: Paths, record: dict[str, Any], curve: pd.DataFrame | None = None
) -> dict[str, Any]:
    """Write the record and the curve (an empty plots folder when nothing ran)."""
    with atomic_directory(paths.selection_dir) as tmp:
        write_json(tmp / "steps.json", record)
    with atomic_directory(paths.plots_dir / "select") as tmp:
        if curve is not None:
            write_csv(tmp / "curve.csv", _curve_panels(curve, record["metric"]))
    return publish(
        record, paths.record("select"), paths.metrics("select"), ("lan_fidelity", "fits")
    )


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """Forward and backward selection of angles, each candidate retrained from scratch."""
    task = task_of(settings)
    if not settings.select.enabled:
        return _record(paths, {"enabled": False, "reason": "select.enabled is false"})
    if task.input_kind != "curves" or not task.is_classification:
        reason = f"selection of angles is for curve classification; {task.name} is not"
        return _record(paths, {"enabled": True, "applicable": False, "reason": reason})
    return _selected(settings, paths, task, map_items)


def _selected(settings: Settings, paths: Paths, task: Task, map_items: MapFn) -> dict[str, Any]:
    # imported here: a disabled stage (the default) records that without loading torch and the
    # models (1.6 s of CPU to import instead of 6.1 s, for its process under `dvc repro`)
    from gaitops.evaluation.protocol import plan_folds, protocol_record
    from gaitops.explain.selection import (
        SelectionProblem,
        curve_rows,
        fit_and_score,
        retrainings,
        sequential_selection,
        step_ranking,
    )
    from gaitops.models.objective import configure, tuning_split
    from gaitops.models.registry import check_models, model_options
    from gaitops.models.store import load_model
    from gaitops.scoring.lan import ranking_fidelity
    from gaitops.stages.validated import held_out, validated_dataset

    check_models(settings)
    data, source = validated_dataset(settings, paths)
    fold = plan_folds(data, settings.train)[0]
    base = model_options(settings)
    if settings.select.max_epochs is not None and "max_epochs" in type(base).model_fields:
        base = configure(base, {"max_epochs": settings.select.max_epochs})
    problem = SelectionProblem(
        data=data,
        task=task,
        split=tuning_split(data, fold, settings.train.validation_fraction, settings.train.seed),
        test_index=fold.test_index,
        architecture=settings.train.model,
        settings=base,
    )
    every = tuple(range(len(data.input_names)))
    full = fit_and_score(problem, every)
    max_steps = settings.select.max_steps or len(every) - 1
    steps = {
        direction: sequential_selection(problem, direction, max_steps, map_items)
        for direction in settings.select.directions
    }
    model, _ = load_model(paths.fold_model(0))
    held = held_out(data, paths)[0]
    fidelity = {
        direction: ranking_fidelity(
            model, data.x[held], data.y[held], step_ranking(found, data.input_names)
        )
        for direction, found in steps.items()
        if len(found) >= len(every) // 2
    }
    curve = pd.DataFrame(curve_rows(steps, full))
    record = {
        "enabled": True,
        "task": task.name,
        "model": settings.train.model,
        "metric": task.headline_metric,
        "split": SPLIT_TEXT,
        "protocol": protocol_record(settings.train),
        "source": source,
        "epochs_per_fit": base.max_epochs,
        "fits": 1 + sum(retrainings(len(every), len(found)) for found in steps.values()),
        "full_model": asdict(full),
        "steps": {d: [asdict(s) for s in found] for d, found in steps.items()},
        "lan_fidelity": fidelity,
        "fewest_angles_matching_full_model": {
            d: next((len(s.kept) for s in found if s.test >= full.test), None)
            for d, found in steps.items()
            if d == "forward"
        },
    }
    return _record(paths, record, curve)


def _curve_panels(curve: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Test and validation score against angles kept, a series per direction and the full model."""
    return panels(
        *(
            panel(
                curve,
                f"{part.capitalize()} {metric} against angles kept",
                "angles_kept",
                part,
                series="direction",
            )
            for part in ("test", "validation")
        ),
        panel(
            curve,
            f"Test {metric} against angles kept",
            "angles_kept",
            "full_model_test",
            name="full model (every angle)",
        ),
    )
