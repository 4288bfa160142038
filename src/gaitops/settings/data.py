"""The `data` section: where ingest reads the gait data and how a user's file maps onto the
canonical table."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gaitops.settings.base import Strict

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


class ColumnMap(Strict):
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


class ValueMaps(Strict):
    """long_csv: the file's spellings -> canonical values, applied before validation."""

    side: dict[str, Literal["L", "R"]] = Field(default_factory=dict)  # e.g. {affected: R}
    group: dict[str, str] = Field(default_factory=dict)
    condition: dict[str, str] = Field(default_factory=dict)
    joint: dict[str, str] = Field(default_factory=dict)  # e.g. {knee_flexion: knee}
    plane: dict[str, str] = Field(default_factory=dict)  # e.g. {sag: sagittal}


class AngleConvention(Strict):
    """canonical angle = sign * scale * the file's angle + offset (degrees)."""

    offset: float = 0.0
    sign: Literal[1, -1] = 1
    scale: float = Field(1.0, gt=0)  # 57.2958 for a file in radians


class TimeAxis(Strict):
    """long_csv: canonical time (0..100 % of the cycle) = scale * the file's time + offset."""

    offset: float = 0.0  # -1 for a file counting 1..101
    scale: float = Field(1.0, gt=0)  # 100 for a file counting 0..1

    def identity(self) -> bool:
        return self.offset == 0 and self.scale == 1


class DataSettings(Strict):
    # registered sources (gaitops.data.sources.registry), checked when ingest or `gaitops run` starts
    source: str = "fgdi"
    fallback: str | None = "synthetic"
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
