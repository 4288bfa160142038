"""The tuner benchmark's problems: data, task, model, grid, epochs per trial and budget.

Tabulated problems train every configuration of a model's ``benchmark`` grid for every epoch
(2 training seeds); the samplers are then run on the tables. The data are fold 0 of a 5-fold
subject-wise plan, its training part split by subject into fit and validation subjects (the
test subjects are never used)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from gaitops.config import Settings
from gaitops.data.dataset import GaitDataset
from gaitops.data.inputs import build_dataset
from gaitops.data.sources.registry import get_source
from gaitops.evaluation.protocol import plan_folds
from gaitops.models.objective import TuningSplit, tuning_split
from gaitops.models.registry import model_options
from gaitops.settings.models import OptimisationSettings
from gaitops.tasks import TASKS, Task
from gaitops.tuning.space import SearchSpace, search_space


@dataclass(frozen=True)
class BenchmarkProblem:
    name: str
    source: str  # "fgdi" (the clinical cohort, hash-checked) or "digits" (scikit-learn's)
    task: str
    model: str
    epochs_per_trial: int
    trials: int  # the budget: trials of full length (pruned runs spend it in epochs)
    time_stride: int = 1  # tabular tasks: keep every k-th % of the gait cycle (row subsample)
    training_seeds: int = 2
    space: str = "benchmark"
    base_overrides: tuple[tuple[str, object], ...] = ()  # of the model's params.yaml section

    @property
    def budget_epochs(self) -> int:
        return self.epochs_per_trial * self.trials

    @property
    def task_spec(self) -> Task:
        return TASKS[self.task]

    def search_space(self) -> SearchSpace:
        return search_space(self.space, self.model, "random")

    def base_settings(self, settings: Settings) -> OptimisationSettings:
        base = model_options(settings, self.model)
        return type(base).model_validate({**base.model_dump(), **dict(self.base_overrides)})


def coverage_budget(configurations: int, share: float = 0.1, floor: int = 20) -> int:
    """Trials covering `share` of a space (at least `floor`)."""
    return max(floor, math.ceil(share * configurations))


PROBLEMS: tuple[BenchmarkProblem, ...] = (
    BenchmarkProblem("fgdi-mlp-group", "fgdi", "group_classification", "mlp", 30, 40),
    BenchmarkProblem("fgdi-resnet1d-group", "fgdi", "group_classification", "resnet1d", 20, 33),
    BenchmarkProblem("fgdi-sdnn-angle", "fgdi", "angle_regression", "sdnn", 15, 20, 10),
    BenchmarkProblem(
        "digits-mlp",
        "digits",
        "group_classification",
        "mlp",
        20,
        40,
        base_overrides=(("batch_size", 64),),
    ),
)


def problem(name: str) -> BenchmarkProblem:
    return next(p for p in PROBLEMS if p.name == name)


def load_table(source: str, settings: Settings, data_dir: Path | None) -> pd.DataFrame:
    """The canonical table of a gait source (fgdi: hash-checked)."""
    return get_source(source).load(settings, data_dir).table


def digits_dataset() -> GaitDataset:
    """scikit-learn's handwritten digits (1,797 8 x 8 images, shipped with the package) as
    8 channels x 8 points, one subject per image: an external problem for the tuners."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)
    n = len(x)
    return GaitDataset(
        task=TASKS["group_classification"],
        x=x,
        y=digits.target.astype(np.int64),
        subjects=np.array([f"image{i:04d}" for i in range(n)]),
        classes=[str(c) for c in range(10)],
        input_names=[f"row{r}" for r in range(8)],
        sample_ids=[f"image{i:04d}" for i in range(n)],
    )


def problem_data(
    benchmark: BenchmarkProblem, table: pd.DataFrame | None
) -> tuple[GaitDataset, TuningSplit]:
    """The problem's dataset (gait rows subsampled by time stride) and its tuning split: fold 0
    of a 5-fold subject-wise plan, its training part split into fit and validation subjects."""
    if benchmark.source == "digits":
        data = digits_dataset()
    else:
        assert table is not None
        if benchmark.time_stride > 1:
            table = table[table["time"] % benchmark.time_stride == 0].reset_index(drop=True)
        data = build_dataset(table, benchmark.task_spec, "group", "all")
    train = Settings().train.model_copy(update={"task": benchmark.task, "model": benchmark.model})
    fold = plan_folds(data, train)[0]
    return data, tuning_split(data, fold, train.validation_fraction, train.seed)


def with_seed(split: TuningSplit, seed: int) -> TuningSplit:
    """The same split, trained with another seed."""
    return replace(split, seed=seed)
