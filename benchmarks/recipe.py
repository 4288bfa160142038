"""What each change of the deep curve models' recipe did: ResNet-1D, MLP and InceptionTime
with the earlier input scaling (minus the mean curve, per-channel sd) or the new one (one mean
and sd over all channels and points), keeping the epoch chosen on 20 % validation subjects or
the last epoch, beside the linear baseline, on the same folds.

    python benchmarks/recipe.py            # fgdi (if $GAITOPS_DATA_DIR has it) and synthetic 3 x 16
    python benchmarks/recipe.py --smoke    # a tiny cohort, two epochs (make test runs it)

Prints balanced accuracy mean ± sd over subject-wise stratified 5-fold for each step.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

import numpy as np
import torch

from gaitops.config import Settings
from gaitops.data.inputs import build_dataset
from gaitops.data.sources.synthetic import generate
from gaitops.data.splits import make_folds
from gaitops.errors import GaitopsError
from gaitops.metrics.classification import classification_metrics
from gaitops.models import registry
from gaitops.models.registry import model_options
from gaitops.models.training import train_fold
from gaitops.settings.synthetic import SyntheticSettings
from gaitops.tasks import TASKS

STEPS = (  # (input scaling, validation fraction: 0.2 keeps the best validation epoch, 0 the last)
    ("curve", 0.2),  # the earlier recipe
    ("curve", 0.0),
    ("global", 0.2),
    ("global", 0.0),  # the recipe now
)


def cohorts(smoke: bool) -> dict[str, object]:
    task = TASKS["group_classification"]
    if smoke:
        table = generate(SyntheticSettings(subjects_per_group=5, group_effect=0.35))
        return {"synthetic 3 x 5": build_dataset(table, task)}
    found = {}
    try:
        from gaitops.data.sources import fgdi

        found["fgdi groups"] = build_dataset(fgdi.load(Settings()).table, task)
    except GaitopsError as exc:
        print(f"fgdi left out: {exc}")
    table = generate(SyntheticSettings(subjects_per_group=16, group_effect=0.35))
    found["synthetic 3 x 16, effect 0.35"] = build_dataset(table, task)
    return found


def balanced_accuracy(data, model: str, section, validation: float) -> list[float]:
    folds = make_folds("subject_kfold", data.subjects, data.y, 5, 42)
    scores = []
    for fold in folds:
        result = train_fold(data, fold, model, section, 42, validation)
        truth = data.y[fold.test_index]
        found = classification_metrics(truth, result.outputs.argmax(axis=1), len(data.classes))
        scores.append(found["balanced_accuracy"])
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    settings = Settings()
    models = ["resnet1d"] if args.smoke else ["resnet1d", "mlp", "inception_time"]
    for name, data in cohorts(args.smoke).items():
        linear = balanced_accuracy(data, "linear", model_options(settings, "linear"), 0.0)
        print(f"{name}: linear baseline {np.mean(linear):.3f} ± {np.std(linear, ddof=1):.3f}")
        for model in models:
            section = model_options(settings, model)
            if args.smoke:
                section = section.model_copy(update={"max_epochs": 2})
            original = registry.MODELS[model]
            for scaling, validation in STEPS:
                registry.MODELS[model] = replace(original, input_scaling=scaling)
                try:
                    scores = balanced_accuracy(data, model, section, validation)
                finally:
                    registry.MODELS[model] = original
                kept = "best validation epoch" if validation else "last epoch"
                print(
                    f"  {model:15s} {scaling:6s} scaling, {kept:21s} "
                    f"{np.mean(scores):.3f} ± {np.std(scores, ddof=1):.3f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
