"""The canonical long table: one row per (subject, session, cycle, side, joint, plane, time)."""

from __future__ import annotations

import pandas as pd

from gaitops.errors import ConfigError

KEY_COLUMNS: tuple[str, ...] = ("subject", "session", "cycle", "side", "joint", "plane", "time")
LABEL_COLUMNS: tuple[str, ...] = ("group", "condition")
COLUMNS: tuple[str, ...] = (*KEY_COLUMNS, "angle", *LABEL_COLUMNS)

STRING_COLUMNS: tuple[str, ...] = ("subject", "session", "side", "joint", "plane", *LABEL_COLUMNS)
INTEGER_COLUMNS: tuple[str, ...] = ("cycle", "time")
FLOAT_COLUMNS: tuple[str, ...] = ("angle",)

SIDES: tuple[str, ...] = ("L", "R")
PLANES: tuple[str, ...] = ("sagittal", "frontal", "transverse")
TIME_POINTS = 101  # 0 .. 100 % of the gait cycle

# Widest plausible angle (degrees) per joint and plane, for any adult gait, pathological
# included. Values outside are marker or processing errors, not gait.
PHYSIOLOGICAL_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("pelvis", "sagittal"): (-30.0, 60.0),
    ("pelvis", "frontal"): (-30.0, 30.0),
    ("pelvis", "transverse"): (-45.0, 45.0),
    ("hip", "sagittal"): (-50.0, 100.0),
    ("hip", "frontal"): (-40.0, 40.0),
    ("hip", "transverse"): (-70.0, 70.0),
    ("knee", "sagittal"): (-30.0, 110.0),
    ("knee", "frontal"): (-40.0, 40.0),
    ("knee", "transverse"): (-50.0, 50.0),
    ("ankle", "sagittal"): (-60.0, 50.0),
    ("ankle", "frontal"): (-40.0, 40.0),
    ("ankle", "transverse"): (-50.0, 50.0),
    ("foot_progression", "transverse"): (-70.0, 70.0),
}
# Least range of motion (max - min over a cycle, degrees) of the curves that move a lot in any
# walking adult: fgdi's lowest are knee 25.7, hip 13.1, ankle 6.5 (Parkinson's and amputees
# included). Less is a curve in radians, a scaled export or another joint's curve.
MIN_MOTION: dict[tuple[str, str], float] = {
    ("hip", "sagittal"): 10.0,
    ("knee", "sagittal"): 10.0,
    ("ankle", "sagittal"): 5.0,
}
RADIANS = 57.2958  # degrees per radian: data.conventions' scale for a file in radians
JOINTS: tuple[str, ...] = tuple(dict.fromkeys(joint for joint, _ in PHYSIOLOGICAL_RANGES))
CURVE_NAMES: tuple[str, ...] = tuple(f"{joint}/{plane}" for joint, plane in PHYSIOLOGICAL_RANGES)


def curve_key(name: str, params_key: str) -> tuple[str, str]:
    """("joint", "plane") of a "joint/plane" name from params; ConfigError for an unknown one."""
    if name not in CURVE_NAMES:
        raise ConfigError(
            f"{params_key}: unknown curve {name!r} in params.yaml; known: {', '.join(CURVE_NAMES)}"
        )
    joint, plane = name.split("/")
    return joint, plane


def ranges_with(
    overrides: dict[str, tuple[float, float]],
) -> dict[tuple[str, str], tuple[float, float]]:
    """The physiological ranges, with validate.ranges replacing the default of the curves it names."""
    ranges = dict(PHYSIOLOGICAL_RANGES)
    for name, bounds in overrides.items():
        ranges[curve_key(name, f"validate.ranges.{name}")] = (float(bounds[0]), float(bounds[1]))
    return ranges


def min_motion_with(overrides: dict[str, float]) -> dict[tuple[str, str], float]:
    """The least plausible range of motion per curve, with validate.min_motion replacing the
    default of the curves it names (0: not checked)."""
    motion = dict(MIN_MOTION)
    for name, least in overrides.items():
        motion[curve_key(name, f"validate.min_motion.{name}")] = float(least)
    return {curve: least for curve, least in motion.items() if least > 0}


def channel_name(side: str, joint: str, plane: str) -> str:
    """The name of one curve of a sample, e.g. ``L/knee/sagittal``."""
    return f"{side}/{joint}/{plane}"


def coerce(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast the canonical columns present in `frame` to their dtypes, in canonical order.

    Missing or extra columns are left for the validation gate to report.
    """
    out = frame.copy()
    for column in STRING_COLUMNS:
        if column in out:
            out[column] = out[column].astype("str")
    for column in INTEGER_COLUMNS:
        if (
            column in out
            and pd.api.types.is_numeric_dtype(out[column])
            and out[column].notna().all()
            and (out[column] % 1 == 0).all()
        ):
            out[column] = out[column].astype("int64")
    for column in FLOAT_COLUMNS:
        if column in out and pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype("float64")
    ordered = [c for c in COLUMNS if c in out] + [c for c in out if c not in COLUMNS]
    return out[ordered].reset_index(drop=True)
