"""params.yaml -> typed, validated settings: the one source of truth for every stage.

Each section's settings live in their own module (gaitops.settings.SECTION); this module
assembles them and reads params.yaml. The components' own options (models.NAME,
explain.options.NAME, score.options.NAME) are checked by their options models, through their
registries (gaitops.models.registry, gaitops.explain.registry, gaitops.scoring.registry)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError

from gaitops.errors import ConfigError
from gaitops.settings.alerts import AlertSettings
from gaitops.settings.base import Strict
from gaitops.settings.compare import CompareSettings
from gaitops.settings.data import DataSettings
from gaitops.settings.explain import ExplainSettings
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
    # per model, by name: its options, checked by the model's own options model
    # (gaitops.models.registry.model_options) when a stage reads them or `gaitops run` starts
    models: dict[str, dict[str, Any]] = Field(default_factory=dict)
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


def task_of(settings: Settings) -> Task:
    """The configured ``train.task``."""
    return TASKS[settings.train.task]
