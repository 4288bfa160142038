"""params.yaml -> typed, validated settings: the one source of truth for every stage."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gaitops.errors import ConfigError

SourceName = Literal["fgdi", "synthetic", "canonical_csv"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataSettings(_Strict):
    source: SourceName = "fgdi"
    fallback: SourceName | None = "synthetic"
    download: bool = True
    csv_path: str | None = None

    @model_validator(mode="after")
    def _csv_needs_path(self) -> DataSettings:
        if self.source == "canonical_csv" and not self.csv_path:
            raise ValueError("data.source is canonical_csv but data.csv_path is not set")
        return self


class SyntheticSettings(_Strict):
    groups: list[str] = Field(default_factory=lambda: ["control", "parkinsons", "amputee"])
    sides: list[Literal["L", "R"]] = Field(default_factory=lambda: ["L", "R"], min_length=1)
    curves: Literal["all"] | list[str] = "all"  # "joint/plane" names, e.g. "knee/sagittal"
    subjects_per_group: int = Field(10, ge=2)
    sessions_per_subject: int = Field(1, ge=1)
    cycles_per_session: int = Field(1, ge=1)
    group_effect: float = Field(0.15, ge=0.0, le=0.5)
    noise_deg: float = Field(2.0, ge=0.0)
    seed: int = 7


class ResNet1DSettings(_Strict):
    filters: int = Field(32, ge=4)
    blocks: int = Field(3, ge=1)
    kernel_size: int = Field(7, ge=3)


class TrainSettings(_Strict):
    label: Literal["group", "condition"] = "group"
    channels: Literal["all"] | list[str] = "all"
    model: Literal["resnet1d"] = "resnet1d"
    protocol: Literal["subject_kfold"] = "subject_kfold"
    folds: int = Field(5, ge=2)
    seed: int = 42
    max_epochs: int = Field(60, ge=1)
    batch_size: int = Field(16, ge=1)
    learning_rate: float = Field(3e-3, gt=0)
    weight_decay: float = Field(1e-4, ge=0)
    resnet1d: ResNet1DSettings = Field(default_factory=ResNet1DSettings)


class ExplainSettings(_Strict):
    method: Literal["integrated_gradients"] = "integrated_gradients"
    n_steps: int = Field(32, ge=4)
    internal_batch_size: int = Field(64, ge=1)


class ScoreSettings(_Strict):
    fidelity_fraction: float = Field(0.5, gt=0, lt=1)


class ValidateSettings(_Strict):
    groups: list[str] = Field(default_factory=lambda: ["control", "parkinsons", "amputee"])
    conditions: list[str] = Field(
        default_factory=lambda: ["none", "medication_off", "medication_on"]
    )


class Settings(_Strict):
    data: DataSettings = Field(default_factory=DataSettings)
    synthetic: SyntheticSettings = Field(default_factory=SyntheticSettings)
    validate_: ValidateSettings = Field(default_factory=ValidateSettings, alias="validate")
    train: TrainSettings = Field(default_factory=TrainSettings)
    explain: ExplainSettings = Field(default_factory=ExplainSettings)
    score: ScoreSettings = Field(default_factory=ScoreSettings)


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
