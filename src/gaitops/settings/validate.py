"""The `validate` section: the Great Expectations gate and the drift thresholds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from gaitops.settings.base import Strict


class DriftThresholds(Strict):
    """When new data counts as drifted from the promoted model's training data."""

    mean_shift_sd: float = Field(
        1.0, gt=0
    )  # a phase window's mean curve moved this many training sds
    range_of_motion: float = Field(
        0.3, gt=0
    )  # a curve's mean range of motion changed by this share
    group_share: float = Field(0.2, gt=0)  # a group's share of subjects changed by this much


class ValidateSettings(Strict):
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
