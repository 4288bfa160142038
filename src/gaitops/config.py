"""params.yaml -> typed, validated settings: the one source of truth for every stage."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from gaitops.errors import ConfigError
from gaitops.tasks import TASKS, Task

SourceName = Literal["fgdi", "uci", "uci_format", "synthetic", "long_csv"]
CANONICAL_NAMES = (
    "subject",
    "session",
    "cycle",
    "side",
    "joint",
    "plane",
    "time",
    "angle",
    "group",
    "condition",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnMap(_Strict):
    """long_csv: the user's column name for each canonical column (null: not in the file)."""

    subject: str = "subject"
    session: str | None = None  # absent: one session per subject
    cycle: str | None = None  # absent: cycle 1
    side: str = "side"
    joint: str = "joint"
    plane: str | None = None  # absent: sagittal
    time: str = "time"  # long layout only
    angle: str = "angle"  # long layout only
    label: str | None = "group"  # the class label, stored as `group`; null: none (unlabelled)
    condition: str | None = None  # absent: "none"


class ValueMaps(_Strict):
    """long_csv: the file's spellings -> canonical values, applied before validation."""

    side: dict[str, Literal["L", "R"]] = Field(default_factory=dict)  # e.g. {affected: R}
    group: dict[str, str] = Field(default_factory=dict)
    condition: dict[str, str] = Field(default_factory=dict)
    joint: dict[str, str] = Field(default_factory=dict)  # e.g. {knee_flexion: knee}
    plane: dict[str, str] = Field(default_factory=dict)  # e.g. {sag: sagittal}


class AngleConvention(_Strict):
    """canonical angle = sign * scale * the file's angle + offset (degrees)."""

    offset: float = 0.0
    sign: Literal[1, -1] = 1
    scale: float = Field(1.0, gt=0)  # 57.2958 for a file in radians


class TimeAxis(_Strict):
    """long_csv: canonical time (0..100 % of the cycle) = scale * the file's time + offset."""

    offset: float = 0.0  # -1 for a file counting 1..101
    scale: float = Field(1.0, gt=0)  # 100 for a file counting 0..1

    def identity(self) -> bool:
        return self.offset == 0 and self.scale == 1


class DataSettings(_Strict):
    source: SourceName = "fgdi"
    fallback: SourceName | None = "synthetic"
    download: bool = True
    csv_path: str | None = None
    layout: Literal["long", "wide"] = "long"
    wide_prefix: str = "GCpc_"
    delimiter: str = Field(",", min_length=1, max_length=1)
    decimal: str = Field(".", min_length=1, max_length=1)
    skip_rows: int = Field(0, ge=0)  # lines before the header (a lab's preamble)
    comment: str | None = Field(None, min_length=1, max_length=1)  # lines starting with it: skipped
    time: TimeAxis = Field(default_factory=TimeAxis)
    curves: Literal["all"] | list[str] = "all"  # "joint/plane" curves to keep; others dropped
    columns: ColumnMap = Field(default_factory=ColumnMap)
    values: ValueMaps = Field(default_factory=ValueMaps)
    side_meaning: str | None = None  # e.g. "R = affected, L = unaffected": recorded with the data
    conventions: dict[str, AngleConvention] = Field(
        default_factory=dict
    )  # "joint/plane" -> convention

    @model_validator(mode="after")
    def _file_sources_need_a_path(self) -> DataSettings:
        if self.source in ("long_csv", "uci_format") and not self.csv_path:
            raise ValueError(f"data.source is {self.source} but data.csv_path is not set")
        return self


class SyntheticSettings(_Strict):
    groups: list[str] = Field(default_factory=lambda: ["control", "parkinsons", "amputee"])
    conditions: list[str] = Field(default_factory=lambda: ["none"], min_length=1)
    condition_effect: float = Field(0.3, ge=0.0, le=0.5)
    sides: list[Literal["L", "R"]] = Field(default_factory=lambda: ["L", "R"], min_length=1)
    curves: Literal["all"] | list[str] = "all"  # "joint/plane" names, e.g. "knee/sagittal"
    subjects_per_group: int = Field(10, ge=2)
    sessions_per_subject: int = Field(1, ge=1)
    cycles_per_session: int = Field(1, ge=1)
    group_effect: float = Field(0.15, ge=0.0, le=0.5)
    noise_deg: float = Field(2.0, ge=0.0)
    seed: int = 7


class StaircaseDecay(_Strict):
    """Learning rate x `factor` every `every_steps` optimiser steps."""

    every_steps: int = Field(10_000, ge=1)
    factor: float = Field(0.8, gt=0, le=1)


class OptimisationSettings(_Strict):
    """How a model is fitted; every architecture section carries its own."""

    optimizer: Literal["adam", "adamw", "sgd"] = "adam"
    learning_rate: float = Field(3e-3, gt=0)
    weight_decay: float = Field(1e-4, ge=0)
    lr_decay: StaircaseDecay | None = None  # null: constant learning rate
    batch_size: int = Field(16, ge=1)
    max_epochs: int = Field(60, ge=1)

    def hyper_parameters(self) -> dict[str, object]:
        """The architecture's own arguments (everything but the optimisation settings)."""
        return self.model_dump(exclude=set(OptimisationSettings.model_fields))


class ResNet1DSettings(OptimisationSettings):
    filters: int = Field(32, ge=4)
    blocks: int = Field(3, ge=1)
    kernel_size: int = Field(7, ge=3)


class LSTMSettings(OptimisationSettings):
    hidden: int = Field(64, ge=4)
    layers: int = Field(1, ge=1)
    bidirectional: bool = True


class InceptionTimeSettings(OptimisationSettings):
    filters: int = Field(16, ge=4)
    depth: int = Field(3, ge=1)
    kernel_sizes: tuple[int, ...] = (9, 19, 39)


class MLPSettings(OptimisationSettings):
    learning_rate: float = Field(1e-3, gt=0)
    hidden: tuple[int, ...] = (256, 128)
    dropout: float = Field(0.3, ge=0, lt=1)


class SDNNSettings(OptimisationSettings):
    learning_rate: float = Field(1e-3, gt=0)
    weight_decay: float = Field(0.0, ge=0)
    batch_size: int = Field(256, ge=1)
    max_epochs: int = Field(15, ge=1)
    width: int = Field(32, ge=4)
    blocks: int = Field(5, ge=1)
    survival_probability: float = Field(0.8, gt=0, le=1)
    dropout: float = Field(
        0.0, ge=0, lt=1
    )  # inside each residual branch (the paper's tuner sets it)


class DFFNSettings(OptimisationSettings):
    learning_rate: float = Field(1e-4, gt=0)
    weight_decay: float = Field(0.0, ge=0)
    batch_size: int = Field(256, ge=1)
    max_epochs: int = Field(15, ge=1)
    factorisation: int = Field(512, ge=4)
    interaction: tuple[int, ...] = (256, 128, 64)
    nonlinear: tuple[int, ...] = (128, 64)
    dropout: float = Field(0.4, ge=0, lt=1)
    lr_decay: StaircaseDecay | None = Field(default_factory=StaircaseDecay)  # the paper's schedule


class ClosedFormSettings(_Strict):
    """Models fitted in closed form or by scikit-learn / aeon (no epochs, no learning rate)."""

    def hyper_parameters(self) -> dict[str, object]:
        return self.model_dump()


class LinearSettings(ClosedFormSettings):
    C: float = Field(0.01, gt=0)  # classification: logistic regression's inverse L2 strength
    alpha: float = Field(1.0, gt=0)  # regression: ridge's L2 strength


class SummaryLogisticSettings(ClosedFormSettings):
    C: float = Field(1.0, gt=0)  # logistic regression's inverse L2 strength


class RocketSettings(ClosedFormSettings):
    kernels: int = Field(10_000, ge=84)  # aeon's n_kernels (MiniRocket rounds to a multiple of 84)


class GradientBoostingSettings(ClosedFormSettings):
    max_iter: int = Field(200, ge=1)
    learning_rate: float = Field(0.1, gt=0)
    max_leaf_nodes: int = Field(31, ge=2)


class ModelsSettings(_Strict):
    linear: LinearSettings = Field(default_factory=LinearSettings)
    summary_logistic: SummaryLogisticSettings = Field(default_factory=SummaryLogisticSettings)
    minirocket: RocketSettings = Field(default_factory=RocketSettings)
    multirocket: RocketSettings = Field(default_factory=lambda: RocketSettings(kernels=6_250))
    gradient_boosting: GradientBoostingSettings = Field(default_factory=GradientBoostingSettings)
    resnet1d: ResNet1DSettings = Field(default_factory=ResNet1DSettings)
    lstm: LSTMSettings = Field(default_factory=LSTMSettings)
    inception_time: InceptionTimeSettings = Field(default_factory=InceptionTimeSettings)
    mlp: MLPSettings = Field(default_factory=MLPSettings)
    sdnn: SDNNSettings = Field(default_factory=SDNNSettings)
    dffn: DFFNSettings = Field(default_factory=DFFNSettings)


TaskName = Literal["group_classification", "angle_regression", "joint_classification"]
ModelName = Literal[
    "resnet1d",
    "lstm",
    "inception_time",
    "mlp",
    "sdnn",
    "dffn",
    "linear",
    "summary_logistic",
    "minirocket",
    "multirocket",
    "gradient_boosting",
]
ProtocolName = Literal["subject_kfold", "loso", "paper"]


class TrainSettings(_Strict):
    task: TaskName = "group_classification"
    hyperparameters: Literal["params", "tuned"] = "params"  # tuned: data/tuning/best_params.json
    label: Literal["group", "condition"] = "group"
    channels: Literal["all"] | list[str] = "all"
    model: ModelName = (
        "multirocket"  # the best on fgdi and synthetic cohorts: docs/results/models.md
    )
    protocol: ProtocolName = "subject_kfold"
    folds: int = Field(5, ge=2)
    seed: int = 42
    paper_test_fraction: float = Field(0.3, gt=0, lt=1)
    paper_seed: int = 42
    validation_fraction: float = Field(0.2, ge=0.0, lt=0.5)
    keep_epoch: Literal["last", "best"] = (
        "last"  # best: lowest loss on validation_fraction's subjects
    )
    # true: the task's baselines run on the same folds beside the model; a list: these; false: none
    baselines: bool | list[ModelName] = True
    inputs: Literal["angles", "shape"] = "angles"  # shape: each curve's own mean removed

    @model_validator(mode="after")
    def _model_fits_task(self) -> TrainSettings:
        models = TASKS[self.task].models
        if self.model not in models:
            raise ValueError(
                f"model {self.model!r} does not do {self.task}; use one of {list(models)}"
            )
        if self.inputs == "shape" and TASKS[self.task].input_kind != "curves":
            raise ValueError(f"inputs: shape applies to curve tasks, not {self.task}")
        if isinstance(self.baselines, list) and (
            wrong := [m for m in self.baselines if m not in models]
        ):
            raise ValueError(
                f"baseline {wrong[0]!r} does not do {self.task}; use some of {list(models)}"
            )
        return self

    def selection_fraction(self) -> float:
        """The share of a fold's training subjects held out to choose its epoch (0: keep the
        last epoch, trained on every training subject)."""
        return self.validation_fraction if self.keep_epoch == "best" else 0.0

    def baseline_models(self) -> list[str]:
        """The baselines that run beside the chosen model (never the model itself)."""
        chosen = (
            list(TASKS[self.task].baselines) if self.baselines is True else self.baselines or []
        )
        return [m for m in chosen if m != self.model]


# forward passes only: they apply to every model, the default multirocket included
DEFAULT_METHODS = ("feature_ablation", "angle_ablation", "nearest_unlike_swap")


class ExplainSettings(_Strict):
    # each method runs as its own DVC stage explain@NAME (and score@NAME); names are registered
    # explainers (gaitops.explain.registry), checked when the stage runs
    methods: list[str] = Field(default_factory=lambda: list(DEFAULT_METHODS), min_length=1)
    baseline: Literal["mean", "zero", "noise"] = "mean"  # see gaitops.explain.baselines
    phase_windows: int = Field(10, ge=1, le=101)  # curves: windows of the gait cycle per segment
    max_samples_per_fold: int = Field(2000, ge=1)  # held-out samples (rows) explained per fold
    # per explainer, by name; every method listed needs an entry (DVC tracks it per method).
    # Each explainer's options model (gaitops/explain/methods/NAME.py) holds the defaults and
    # checks the values: `gaitops run` before any stage, explain@NAME when it starts
    options: dict[str, dict[str, Any]] = Field(
        default_factory=lambda: {name: {} for name in DEFAULT_METHODS}
    )

    @field_validator("methods")
    @classmethod
    def _methods_once_each(cls, methods: list[str]) -> list[str]:
        if len(set(methods)) != len(methods):
            raise ValueError(f"a method is listed twice: {methods}")
        return methods

    @model_validator(mode="after")
    def _every_method_has_options(self) -> ExplainSettings:
        # explain@METHOD depends on explain.options.METHOD in DVC: it must exist, even if empty
        if missing := [m for m in self.methods if m not in self.options]:
            raise ValueError(
                f"explain.options has no entry for {missing}; add `{missing[0]}: {{}}` "
                "under explain.options for its defaults"
            )
        return self

    def options_of(self, method: str) -> dict[str, Any]:
        return dict(self.options.get(method, {}))


class ScoreSettings(_Strict):
    # scores computed for every method (each where it applies); names in gaitops.scoring.registry
    scores: list[str] = Field(
        default_factory=lambda: [
            "lan_fidelity",
            "lan_robustness",
            "deletion",
            "faithfulness_correlation",
            "sparseness",
            "model_randomisation",
            "subject_stability",
            "localisation",
        ],
        min_length=1,
    )
    baseline: Literal["mean", "zero", "noise"] = "mean"  # what a removed input is replaced by
    seed: int = 0  # random subsets, perturbations, randomised models
    max_samples_per_fold: int = Field(200, ge=1)  # scores that explain again use this many
    # per score, by name (absent: its defaults). Each score's options model (its module in
    # gaitops/scoring) holds the defaults and checks the values: `gaitops run` before any stage,
    # score@METHOD when it starts
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)


class SelectSettings(_Strict):
    enabled: bool = (
        False  # false: the select stage only records that it did not run (retrains a lot)
    )
    directions: list[Literal["forward", "backward"]] = Field(
        default_factory=lambda: ["forward", "backward"], min_length=1
    )
    max_steps: int | None = None  # angles added (forward) / removed (backward); null: all but one
    max_epochs: int | None = 15  # per retraining; null: the model section's max_epochs


class CompareSettings(_Strict):
    max_cards: int = Field(200, ge=0)  # sample cards written (curve tasks), evenly spaced
    # how much each category counts when compare ranks the methods (see gaitops.scoring.aggregate)
    category_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "faithfulness": 3.0,
            "localisation": 3.0,
            "robustness": 1.0,
            "complexity": 1.0,
            "randomisation": 1.0,
            "counterfactual": 1.0,
        }
    )


class PromoteSettings(_Strict):
    """The retraining lifecycle: history, promotion gate and registry (gaitops.lifecycle)."""

    tolerance: float = Field(0.01, ge=0)  # a candidate may trail the promoted model by this much
    stage: str = Field("prod", pattern=r"^[a-z][a-z0-9_-]*$")  # the GTO stage of the model in use
    history_branch: str = "gaitops/retrains"  # every retrain is a commit on this branch
    push: bool = True  # push the retrain's outputs to the DVC remote, when one is configured


AlertEvent = Literal["failed", "crashed", "not_promoted", "drift"]


class AlertSettings(_Strict):
    """Who is told when a retrain fails, crashes, is not promoted or sees drift (flows/alerts.py)."""

    webhook: str | None = None  # a Slack-compatible incoming webhook URL: POST {"text": ...}
    block: str | None = (
        None  # or a Prefect notification block, "TYPE/NAME" (e.g. slack-webhook/team)
    )
    events: list[AlertEvent] = Field(
        default_factory=lambda: ["failed", "crashed", "not_promoted", "drift"]
    )


class AgentParams(_Strict):
    """The Q-learning agent (see gaitops.tuning.agent for the state and the episode)."""

    exploration: float = Field(0.5, ge=0, le=1)
    exploration_decay: float = Field(0.99, gt=0, le=1)
    min_exploration: float = Field(0.0, ge=0, le=1)
    discount: float = Field(0.95, ge=0, le=1)
    learning_rate: float = Field(0.5, gt=0, le=1)
    target_update: int = Field(10, ge=1)
    state: Literal["previous_action", "reward_level"] = "previous_action"
    reward_levels: int = Field(5, ge=2)


class TuneSettings(_Strict):
    enabled: bool = False  # false: the tune stage records that nothing was tuned (quick)
    mode: Literal["study", "controller"] = "study"
    sampler: Literal[
        "qlearning",
        "mim",
        "mim_table",
        "linucb",
        "tpe",
        "tpe_multivariate",
        "gp",
        "cmaes",
        "qmc",
        "random",
        "grid",
    ] = "gp"  # the tuner benchmark's best average rank (benchmarks/tuners/results.md)
    space: Literal[
        "paper", "paper_zip", "paper_grid", "paper_tuples", "compact", "benchmark", "mixed"
    ] = "paper"
    n_trials: int = Field(20, ge=1)
    # study mode: trials proposed together, then trained at once on the runtime's workers
    trials_per_round: int = Field(1, ge=1)
    epochs: int | None = Field(None, ge=1)  # per trial / the controlled run; null: the paper's
    seed: int = 0
    agent: Literal["paper"] | AgentParams = "paper"
    reward: Literal["inverse_loss", "metric"] = "inverse_loss"
    mim_weight: float | None = Field(
        None, ge=0
    )  # null: the paper's (0.5 classification, 1 regression)
    mi_estimator: Literal["binned", "knn"] = "binned"
    mi_bins: int = Field(8, ge=2)
    mi_redundancy: bool = False  # MIM: subtract the units' mean pairwise information
    storage: str = "sqlite:///.gaitops/optuna.db"  # any SQLAlchemy URL, e.g. postgresql+psycopg2://


class DriftThresholds(_Strict):
    """When new data counts as drifted from the promoted model's training data."""

    mean_shift_sd: float = Field(
        1.0, gt=0
    )  # a phase window's mean curve moved this many training sds
    range_of_motion: float = Field(
        0.3, gt=0
    )  # a curve's mean range of motion changed by this share
    group_share: float = Field(0.2, gt=0)  # a group's share of subjects changed by this much


class ValidateSettings(_Strict):
    # "joint/plane" -> [low, high] degrees, replacing gaitops.data.schema's default for that curve
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    groups: list[str] = Field(default_factory=lambda: ["control", "parkinsons", "amputee"])
    # "joint/plane" -> the least range of motion over a cycle (degrees), replacing
    # gaitops.data.schema's default for that curve; 0: not checked
    min_motion: dict[str, float] = Field(default_factory=dict)
    # new data against the promoted model's training data, checked by the retrain flow before
    # the gate (gaitops.lifecycle.drift_gate); no stage reads these two
    drift: Literal["warn", "fail", "off"] = "warn"
    drift_thresholds: DriftThresholds = Field(default_factory=DriftThresholds)

    @field_validator("min_motion")
    @classmethod
    def _non_negative_motion(cls, value: dict[str, float]) -> dict[str, float]:
        for name, least in value.items():
            if least < 0:
                raise ValueError(f"validate.min_motion.{name}: {least} is negative")
        return value

    @field_validator("ranges")
    @classmethod
    def _ordered_known_ranges(
        cls, value: dict[str, tuple[float, float]]
    ) -> dict[str, tuple[float, float]]:
        for name, (low, high) in value.items():
            if not low < high:
                raise ValueError(
                    f"validate.ranges.{name}: [{low}, {high}] is not a low < high range"
                )
        return value

    conditions: list[str] = Field(
        default_factory=lambda: [
            "none",
            "medication_off",
            "medication_on",
            "unbraced",
            "knee_brace",
            "ankle_brace",
        ]
    )


class RuntimeSettings(_Strict):
    """Where mapped work (folds, trials, explanation and score folds) runs: never tracked by a
    stage, since it changes where work runs, not its results."""

    runner: Literal["serial", "dask"] = "serial"
    workers: int = Field(2, ge=1)  # dask: a local cluster of this many single-threaded processes
    address: str | None = None  # dask: an existing scheduler (tcp://host:8786) instead
    torch_threads: int | None = Field(None, ge=1)  # per fit; None: torch's default in the stage


class Settings(_Strict):
    """Everything params.yaml says."""

    data: DataSettings = Field(default_factory=DataSettings)
    synthetic: SyntheticSettings = Field(default_factory=SyntheticSettings)
    validate_: ValidateSettings = Field(default_factory=ValidateSettings, alias="validate")
    train: TrainSettings = Field(default_factory=TrainSettings)
    models: ModelsSettings = Field(default_factory=ModelsSettings)
    explain: ExplainSettings = Field(default_factory=ExplainSettings)
    score: ScoreSettings = Field(default_factory=ScoreSettings)
    select: SelectSettings = Field(default_factory=SelectSettings)
    compare: CompareSettings = Field(default_factory=CompareSettings)
    tune: TuneSettings = Field(default_factory=TuneSettings)
    runtime: RuntimeSettings = Field(default_factory=RuntimeSettings)
    promote: PromoteSettings = Field(default_factory=PromoteSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)


def load_settings(path: Path | str = "params.yaml") -> Settings:
    """Read and validate params.yaml; a bad key or value names itself in the error."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(
            f"{path}: not found. Run gaitops from the project root (where params.yaml is)."
        )
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}. Fix these keys in {path.name}.") from exc


def model_settings(settings: Settings) -> OptimisationSettings:
    """The section of `models` for the configured ``train.model``."""
    return getattr(settings.models, settings.train.model)


def settings_of_model(settings: Settings, model: str) -> OptimisationSettings | ClosedFormSettings:
    """The section of `models` for any registered model."""
    return getattr(settings.models, model)


def task_of(settings: Settings) -> Task:
    """The configured ``train.task``."""
    return TASKS[settings.train.task]
