"""The benchmark's problems: data, task, model, space, epochs per trial and trial budget."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from gaitops.config import OptimisationSettings, Settings
from gaitops.data.dataset import GaitDataset
from gaitops.data.inputs import build_dataset
from gaitops.data.sources.registry import SOURCES
from gaitops.data.sources.synthetic import UCI_LIKE, generate
from gaitops.evaluation.protocol import plan_folds
from gaitops.models.objective import TuningSplit, tuning_split
from gaitops.tasks import TASKS, Task
from gaitops.tuning.space import SearchSpace, search_space


@dataclass(frozen=True)
class BenchmarkProblem:
    name: str
    source: str  # "fgdi" or "uci_synthetic"
    task: str
    model: str
    space: str
    epochs_per_trial: int
    trials: int
    time_stride: int = 1  # tabular tasks: keep every k-th % of the gait cycle (row subsample)
    training_seeds: int = 3

    @property
    def budget_epochs(self) -> int:
        return self.epochs_per_trial * self.trials

    @property
    def task_spec(self) -> Task:
        return TASKS[self.task]

    def search_space(self) -> SearchSpace:
        return search_space(self.space, self.model, "qlearning")

    def base_settings(self, settings: Settings) -> OptimisationSettings:
        return getattr(settings.models, self.model)


PROBLEMS: tuple[BenchmarkProblem, ...] = (
    BenchmarkProblem("fgdi-sdnn-angle", "fgdi", "angle_regression", "sdnn", "paper_grid", 6, 10, 5),
    BenchmarkProblem(
        "fgdi-resnet1d-group", "fgdi", "group_classification", "resnet1d", "compact", 15, 8
    ),
    BenchmarkProblem("fgdi-mlp-group", "fgdi", "group_classification", "mlp", "compact", 15, 8),
    BenchmarkProblem(
        "uci-dffn-joint", "uci_synthetic", "joint_classification", "dffn", "compact", 4, 8, 20
    ),
)


def problem(name: str) -> BenchmarkProblem:
    return next(p for p in PROBLEMS if p.name == name)


def load_table(source: str, settings: Settings, data_dir: Path | None) -> pd.DataFrame:
    """The canonical table of a benchmark source (fgdi: hash-checked; uci_synthetic: generated
    in exactly the UCI layout's design, seed 7)."""
    if source == "uci_synthetic":
        return generate(UCI_LIKE)
    return SOURCES[source](settings, data_dir).table


def problem_data(
    benchmark: BenchmarkProblem, table: pd.DataFrame
) -> tuple[GaitDataset, TuningSplit]:
    """The problem's dataset (rows subsampled by time stride) and its tuning split: fold 0 of a
    5-fold subject-wise plan, its training part split into fit and validation subjects."""
    if benchmark.time_stride > 1:
        table = table[table["time"] % benchmark.time_stride == 0].reset_index(drop=True)
    data = build_dataset(table, benchmark.task_spec, "group", "all")
    train = Settings().train.model_copy(update={"task": benchmark.task, "model": benchmark.model})
    fold = plan_folds(data, train)[0]
    return data, tuning_split(data, fold, train.validation_fraction, train.seed)


def with_seed(split: TuningSplit, seed: int) -> TuningSplit:
    """The same split, trained with another seed."""
    return replace(split, seed=seed)
