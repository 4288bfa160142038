"""What a retrain's models cost: the default model, every baseline and the ResNet-1D's current
recipe (global input scaling, the last epoch) against the ResNet-1D recipe gaitops trained
before baselines ran beside it, timed in the same run on the same folds.

Prints each model's seconds for a subject-wise 5-fold cross-validation and its ratio to that
earlier recipe (ResNet-1D, 32 filters, 3 blocks, Adam 0.003, batch 16, 60 epochs, best epoch on
20 % validation subjects). On fgdi ($GAITOPS_DATA_DIR), else the synthetic generator.

    python benchmarks/model_costs.py           # fgdi, every model (a few minutes)
    python benchmarks/model_costs.py --smoke   # a tiny cohort, one epoch, 84 kernels (make test runs it)
"""

from __future__ import annotations

import argparse
import sys
import time

import torch

from gaitops.config import Settings
from gaitops.data.inputs import build_dataset
from gaitops.data.sources.synthetic import generate
from gaitops.data.splits import make_folds
from gaitops.errors import GaitopsError
from gaitops.models.components.resnet1d import ResNet1DSettings
from gaitops.models.registry import model_options
from gaitops.models.training import train_fold
from gaitops.settings.synthetic import SyntheticSettings
from gaitops.tasks import TASKS

EARLIER = ResNet1DSettings(
    filters=32,
    blocks=3,
    kernel_size=7,
    learning_rate=3e-3,
    weight_decay=1e-4,
    batch_size=16,
    max_epochs=60,
)
EARLIER_VALIDATION = 0.2


def _table(smoke: bool):
    if not smoke:
        try:
            from gaitops.data.sources import fgdi

            return "fgdi", fgdi.load(Settings()).table
        except GaitopsError as exc:
            print(f"fgdi not available ({exc}); the synthetic generator instead")
    size = 5 if smoke else 16
    return f"synthetic 3 x {size}", generate(SyntheticSettings(subjects_per_group=size))


def cross_validate_seconds(data, folds, model: str, section, validation: float) -> float:
    start = time.perf_counter()
    task = TASKS["group_classification"]
    for fold in folds:
        train_fold(data, fold, model, section, 42, validation, task)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny cohort, one epoch")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    settings = Settings()
    name, table = _table(args.smoke)
    data = build_dataset(table, TASKS["group_classification"], "group", "all")
    folds = make_folds("subject_kfold", data.subjects, data.y, 5, 42)
    earlier = EARLIER.model_copy(update={"max_epochs": 1}) if args.smoke else EARLIER
    models = [settings.train.model, *TASKS["group_classification"].baselines, "resnet1d"]
    reference = cross_validate_seconds(data, folds, "resnet1d", earlier, EARLIER_VALIDATION)
    print(f"{name}, subject-wise 5-fold; the earlier ResNet-1D recipe: {reference:.1f} s")
    for model in dict.fromkeys(models):
        section = model_options(settings, model)
        if args.smoke and "max_epochs" in type(section).model_fields:
            section = section.model_copy(update={"max_epochs": 1})
        if args.smoke and "kernels" in type(section).model_fields:
            section = section.model_copy(update={"kernels": 84})  # the ROCKET models, small
        seconds = cross_validate_seconds(
            data, folds, model, section, settings.train.selection_fraction()
        )
        role = (
            "default"
            if model == settings.train.model
            else "recipe"
            if model == "resnet1d"
            else "baseline"
        )
        print(f"  {model:18s} ({role:8s}) {seconds:7.1f} s   ratio {seconds / reference:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
