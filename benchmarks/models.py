"""Which model to use: every curve model beside its baselines, on the same folds, on real and
synthetic cohorts; the table behind `train.model`'s default (docs/results/models.md).

For each data set, every model is cross-validated subject-wise (stratified 5-fold, seed 42) on
the same folds; each row gives the headline metric's mean ± sd over folds and the paired
difference to the best baseline (mean and 95 % t interval over folds). Data sets: fgdi's three
groups with the curves as recorded (angles) and with each curve's mean removed (shape);
fgdi's Parkinson's sessions, off vs on medication; the synthetic generator at three cohort
sizes and two effect sizes; the synthetic UCI brace layout for the source paper's SDNN (angle
regression) and DFFN (joint classification).

    python benchmarks/models.py            # the whole table (about 40 minutes on two cores)
    python benchmarks/models.py --smoke    # a tiny cohort, two models (seconds; make test runs it)

fgdi is read from $GAITOPS_DATA_DIR (or downloaded and hash-checked); without it its rows are
left out and the table says so.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from gaitops.config import Settings
from gaitops.data.dataset import GaitDataset
from gaitops.data.inputs import build_dataset
from gaitops.data.sources.synthetic import UCI_LIKE, generate
from gaitops.data.splits import make_folds
from gaitops.errors import GaitopsError
from gaitops.evaluation.baselines import paired_difference
from gaitops.evaluation.fold_report import fold_report
from gaitops.models.registry import MODELS, model_options, models_for
from gaitops.models.training import train_fold
from gaitops.settings.synthetic import SyntheticSettings
from gaitops.tasks import TASKS, Task

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "results"
FOLDS, SEED = 5, 42


@dataclass(frozen=True)
class Cohort:
    name: str
    task: Task
    data: GaitDataset


def _curves(table: pd.DataFrame, label: str = "group", inputs: str = "angles") -> GaitDataset:
    return build_dataset(table, TASKS["group_classification"], label, "all", inputs)  # type: ignore[arg-type]


def cohorts(smoke: bool) -> tuple[list[Cohort], list[str]]:
    """The data sets of the table, and notes on any left out."""
    group = TASKS["group_classification"]
    if smoke:
        table = generate(SyntheticSettings(subjects_per_group=5, group_effect=0.35))
        return [Cohort("synthetic 3 x 5, effect 0.35", group, _curves(table))], []
    found: list[Cohort] = []
    notes: list[str] = []
    try:
        from gaitops.data.sources import fgdi

        table = fgdi.load(Settings()).table
        found += [
            Cohort("fgdi groups (angles)", group, _curves(table)),
            Cohort(
                "fgdi groups (shape: curve means removed)", group, _curves(table, inputs="shape")
            ),
            Cohort(
                "fgdi Parkinson's, off vs on medication (condition)",
                group,
                _curves(table[table["group"] == "parkinsons"], "condition"),
            ),
        ]
    except GaitopsError as exc:
        notes.append(f"fgdi left out: {exc}")
    for size in (8, 16, 32):
        for effect in (0.15, 0.35):
            table = generate(SyntheticSettings(subjects_per_group=size, group_effect=effect))
            found.append(Cohort(f"synthetic 3 x {size}, effect {effect}", group, _curves(table)))
    uci = generate(UCI_LIKE.model_copy(update={"cycles_per_session": 3}))
    for task_name in ("angle_regression", "joint_classification"):
        task = TASKS[task_name]
        found.append(
            Cohort(f"synthetic UCI layout, 3 cycles ({task_name})", task, build_dataset(uci, task))
        )
    return found, notes


SMOKE_EPOCHS = 2


def models_of(task: Task, smoke: bool) -> list[str]:
    if smoke:
        return ["linear", "mlp"]
    return models_for(task)


def settings_for(smoke: bool) -> Settings:
    """params.yaml's defaults; the smoke run trains its deep model for two epochs."""
    settings = Settings()
    if not smoke:
        return settings
    mlp = {**settings.models.get("mlp", {}), "max_epochs": SMOKE_EPOCHS}
    return settings.model_copy(update={"models": {**settings.models, "mlp": mlp}})


def evaluate(cohort: Cohort, model: str, settings: Settings) -> dict:
    data, task = cohort.data, cohort.task
    folds = make_folds(
        "subject_kfold", data.subjects, data.y if data.classes else None, FOLDS, SEED
    )
    section = model_options(settings, model)
    start = time.perf_counter()
    results = [
        train_fold(data, fold, model, section, SEED, settings.train.selection_fraction(), task)
        for fold in folds
    ]
    seconds = time.perf_counter() - start
    report, _ = fold_report(data, results, metric=task.headline_metric)
    per_fold = [float(f[task.headline_metric]) for f in report["folds"]]
    return {"per_fold": per_fold, "seconds": seconds}


def run(smoke: bool, settings: Settings) -> dict:
    torch.set_num_threads(2)
    found, notes = cohorts(smoke)
    rows = []
    for cohort in found:
        results = {m: evaluate(cohort, m, settings) for m in models_of(cohort.task, smoke)}
        baselines = [m for m in results if MODELS[m].family in ("linear", "rocket", "trees")]
        sign = 1 if cohort.task.higher_is_better else -1
        best = max(baselines, key=lambda m: sign * np.mean(results[m]["per_fold"]))
        for model, result in results.items():
            values = result["per_fold"]
            difference = paired_difference(values, results[best]["per_fold"])
            rows.append(
                {
                    "data": cohort.name,
                    "subjects": len(set(cohort.data.subjects)),
                    "metric": cohort.task.headline_metric,
                    "model": model,
                    "family": MODELS[model].family,
                    "mean": float(np.mean(values)),
                    "sd": float(np.std(values, ddof=1)),
                    "best_baseline": best,
                    "difference": difference["mean"],
                    "ci95": difference["ci95"],
                    "seconds": round(result["seconds"], 1),
                    "per_fold": values,
                }
            )
            print(
                f"{cohort.name:55s} {model:18s} {np.mean(values):.3f} ± {np.std(values, ddof=1):.3f}  "
                f"vs {best}: {difference['mean']:+.3f}  ({result['seconds']:.0f} s)",
                flush=True,
            )
    return {
        "protocol": f"subject-wise stratified {FOLDS}-fold, seed {SEED}",
        "rows": rows,
        "notes": notes,
    }


def markdown(result: dict) -> str:
    lines = [
        "# Models beside their baselines",
        "",
        f"Protocol: {result['protocol']}; every model on the same folds. Difference: the model "
        "minus the best baseline (best mean among linear, summary_logistic, the ROCKET family, "
        "gradient boosting), paired by fold, with its 95 % t interval over folds: an interval "
        "that holds 0 means the 5 folds could not tell the two apart. "
        "Produced by `python benchmarks/models.py` with the model sections of "
        "`docs/results/models.yaml`.",
        "",
        "| data | subjects | metric | model | mean ± sd | vs best baseline | 95 % CI | s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        ci = "–" if row["ci95"] is None else f"[{row['ci95'][0]:+.3f}, {row['ci95'][1]:+.3f}]"
        lines.append(
            f"| {row['data']} | {row['subjects']} | {row['metric']} | {row['model']} | "
            f"{row['mean']:.3f} ± {row['sd']:.3f} | {row['difference']:+.3f} ({row['best_baseline']}) "
            f"| {ci} | {row['seconds']} |"
        )
    lines += ["", *result["notes"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny cohort and two models")
    parser.add_argument("--out", type=Path, default=OUT, help="folder of models.md / .json")
    args = parser.parse_args(argv)
    settings = settings_for(args.smoke)
    result = run(args.smoke, settings)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "models.json").write_text(json.dumps(result, indent=1) + "\n")
    (args.out / "models.md").write_text(markdown(result))
    sections = {m: model_options(settings, m).model_dump(mode="json") for m in MODELS}
    (args.out / "models.yaml").write_text(
        "# the model sections benchmarks/models.py ran with (params.yaml's defaults then)\n"
        + json.dumps(
            {
                "models": sections,
                "train": {
                    "keep_epoch": settings.train.keep_epoch,
                    "validation_fraction": settings.train.validation_fraction,
                },
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {args.out / 'models.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
