"""params.yaml -> typed, validated settings: the one source of truth for every stage.

Each section's settings live in their own module (gaitops.settings.SECTION); this module
assembles them and reads params.yaml. Explainers' and scores' own options are checked by their
options models (gaitops.explain.methods, gaitops.scoring)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from gaitops.errors import ConfigError
from gaitops.settings.alerts import AlertSettings
from gaitops.settings.base import Strict
from gaitops.settings.compare import CompareSettings
from gaitops.settings.data import DataSettings
from gaitops.settings.explain import ExplainSettings
from gaitops.settings.models import ClosedFormSettings, ModelsSettings, OptimisationSettings
from gaitops.settings.promote import PromoteSettings
from gaitops.settings.runtime import RuntimeSettings
from gaitops.settings.score import ScoreSettings
from gaitops.settings.select import SelectSettings
from gaitops.settings.synthetic import SyntheticSettings
from gaitops.settings.train import TrainSettings
from gaitops.settings.tune import TuneSettings
from gaitops.settings.validate import ValidateSettings
from gaitops.tasks import TASKS, Task


class Settings(Strict):
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
