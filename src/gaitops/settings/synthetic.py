"""The `synthetic` section: the built-in generator's cohort."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gaitops.settings.base import Strict


class SyntheticSettings(Strict):
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
