"""Physiologically plausible synthetic gait cycles with a known group effect.

Each curve is a smooth template of its joint and plane (shapes after textbook adult gait),
varied per subject (offset, amplitude, timing) and per cycle (smooth low-frequency noise).
Group effects: ``parkinsons`` shrinks every sagittal range of motion by ``group_effect``;
``amputee`` shrinks right-knee flexion by twice that and lifts pelvic obliquity. Condition
effects (right leg, as the UCI brace study): ``knee_brace`` / ``ankle_brace`` shrink that
joint's sagittal range by ``condition_effect``.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd

from gaitops.config import Settings
from gaitops.data.schema import TIME_POINTS, coerce
from gaitops.data.sources import LoadedSource, SourceInfo
from gaitops.errors import ConfigError
from gaitops.settings.synthetic import SyntheticSettings

Curve = Callable[[np.ndarray], np.ndarray]


def _bump(t: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-(((t - centre) / width) ** 2))


TEMPLATES: dict[tuple[str, str], Curve] = {
    ("pelvis", "sagittal"): lambda t: 12 + 2 * np.cos(4 * np.pi * t),
    ("pelvis", "frontal"): lambda t: 5 * np.sin(2 * np.pi * t),
    ("pelvis", "transverse"): lambda t: 5 * np.cos(2 * np.pi * t),
    ("hip", "sagittal"): lambda t: 12 + 22 * np.cos(2 * np.pi * t),
    ("hip", "frontal"): lambda t: 2 + 4 * np.sin(2 * np.pi * t),
    ("hip", "transverse"): lambda t: 4 * np.cos(2 * np.pi * t),
    ("knee", "sagittal"): lambda t: 5 + 15 * _bump(t, 0.15, 0.07) + 55 * _bump(t, 0.72, 0.11),
    ("ankle", "sagittal"): lambda t: (
        2 - 6 * _bump(t, 0.06, 0.04) + 10 * _bump(t, 0.45, 0.12) - 22 * _bump(t, 0.65, 0.06)
    ),
    ("foot_progression", "transverse"): lambda t: -8 + 3 * np.sin(2 * np.pi * t),
}
KNOWN_GROUPS = ("control", "parkinsons", "amputee")
# The shape of the UCI brace study: 10 healthy subjects x 3 conditions x 10 cycles, sagittal
# ankle / knee / hip of both legs (181,800 points).
UCI_LIKE = SyntheticSettings(
    groups=["control"],
    subjects_per_group=10,
    conditions=["unbraced", "knee_brace", "ankle_brace"],
    cycles_per_session=10,
    curves=["ankle/sagittal", "knee/sagittal", "hip/sagittal"],
)
KNOWN_CONDITIONS = ("none", "unbraced", "knee_brace", "ankle_brace")
BRACED_JOINT = {"knee_brace": "knee", "ankle_brace": "ankle"}


def _group_effect(
    group: str, side: str, joint: str, plane: str, curve: np.ndarray, effect: float
) -> np.ndarray:
    """Apply the group's known deviation to one template curve."""
    if group == "parkinsons" and plane == "sagittal":
        return curve.mean() + (1 - effect) * (curve - curve.mean())
    if group == "amputee" and side == "R" and (joint, plane) == ("knee", "sagittal"):
        return curve.min() + (1 - 2 * effect) * (curve - curve.min())
    if group == "amputee" and (joint, plane) == ("pelvis", "frontal"):
        return curve + 10 * effect
    return curve


def _condition_effect(
    condition: str, side: str, joint: str, plane: str, curve: np.ndarray, effect: float
) -> np.ndarray:
    """A brace on the right leg shrinks that joint's sagittal range of motion."""
    if side == "R" and plane == "sagittal" and BRACED_JOINT.get(condition) == joint:
        return curve.mean() + (1 - effect) * (curve - curve.mean())
    return curve


def _curves(settings: SyntheticSettings) -> list[tuple[str, str]]:
    if settings.curves == "all":
        return list(TEMPLATES)
    chosen = []
    for name in settings.curves:
        joint, _, plane = name.partition("/")
        if (joint, plane) not in TEMPLATES:
            known = ", ".join(f"{j}/{p}" for j, p in TEMPLATES)
            raise ConfigError(f"synthetic.curves: {name!r} is not a known curve ({known}).")
        chosen.append((joint, plane))
    return chosen


def generate(settings: SyntheticSettings) -> pd.DataFrame:
    """The canonical table of a synthetic cohort, fully determined by `settings`."""
    unknown = [g for g in settings.groups if g not in KNOWN_GROUPS]
    if unknown:
        raise ConfigError(
            f"synthetic.groups: {unknown} have no known effect; use {list(KNOWN_GROUPS)}."
        )
    rng = np.random.default_rng(settings.seed)
    t = np.linspace(0.0, 1.0, TIME_POINTS)
    curves = _curves(settings)
    noise = settings.noise_deg
    blocks: list[pd.DataFrame] = []
    subject_index = 0
    for group in settings.groups:
        for _ in range(settings.subjects_per_group):
            subject_index += 1
            subject = f"S{subject_index:03d}"
            offsets = rng.normal(0.0, noise, size=(len(settings.sides), len(curves)))
            scales = rng.normal(1.0, noise / 40.0, size=(len(settings.sides), len(curves)))
            shift = rng.normal(0.0, 0.01)
            for condition, session_number in product(
                settings.conditions, range(1, settings.sessions_per_subject + 1)
            ):
                session = (
                    f"{subject}_s{session_number}"
                    if condition == "none"
                    else f"{subject}_{condition}_s{session_number}"
                )
                for cycle, (s, side), (c, (joint, plane)) in product(
                    range(1, settings.cycles_per_session + 1),
                    enumerate(settings.sides),
                    enumerate(curves),
                ):
                    base = TEMPLATES[(joint, plane)]((t + shift) % 1.0)
                    base = _group_effect(group, side, joint, plane, base, settings.group_effect)
                    base = _condition_effect(
                        condition, side, joint, plane, base, settings.condition_effect
                    )
                    phases = rng.uniform(0, 2 * np.pi, size=3)
                    wobble = sum(
                        (noise / 3) * np.sin(2 * np.pi * (k + 1) * t + phases[k]) for k in range(3)
                    )
                    angle = (
                        base.mean() + scales[s, c] * (base - base.mean()) + offsets[s, c] + wobble
                    )
                    blocks.append(
                        pd.DataFrame(
                            {
                                "subject": subject,
                                "session": session,
                                "cycle": cycle,
                                "side": side,
                                "joint": joint,
                                "plane": plane,
                                "time": np.arange(TIME_POINTS),
                                "angle": np.round(angle, 6),
                                "group": group,
                                "condition": condition,
                            }
                        )
                    )
    return coerce(pd.concat(blocks, ignore_index=True))


def planted_effects(
    settings: SyntheticSettings, label: str, classes: list[str], channels: list[str]
) -> np.ndarray:
    """(classes, channels, time): how far each class's noiseless curves are moved from the
    unaffected template by the planted effects (degrees). The reference class (control, or no
    brace) gets the largest deviation any other class shows: what sets it apart."""
    t = np.linspace(0.0, 1.0, TIME_POINTS)
    deviation = np.zeros((len(classes), len(channels), TIME_POINTS))
    for (k, name), (c, channel) in product(enumerate(classes), enumerate(channels)):
        side, joint, plane = channel.split("/")
        base = TEMPLATES[(joint, plane)](t)
        if label == "group":
            moved = _group_effect(name, side, joint, plane, base, settings.group_effect)
        elif label == "condition":
            moved = _condition_effect(name, side, joint, plane, base, settings.condition_effect)
        else:
            raise ValueError(f"no planted effect for label {label!r}")
        deviation[k, c] = np.abs(moved - base)
    unaffected = deviation.reshape(len(classes), -1).max(axis=1) == 0
    deviation[unaffected] = deviation.max(axis=0)
    return deviation


def ground_truth(
    settings: SyntheticSettings,
    label: str,
    classes: list[str],
    channels: list[str],
    share: float = 0.25,
) -> np.ndarray:
    """(classes, channels, time) 0/1: where a class's planted deviation is at least `share` of
    its largest, the inputs a faithful explanation of that class should point at."""
    deviation = planted_effects(settings, label, classes, channels)
    peak = deviation.reshape(len(classes), -1).max(axis=1)[:, None, None]
    return (deviation >= share * np.where(peak > 0, peak, np.inf)).astype(np.float32)


def load(settings: Settings, data_dir: Path | None = None) -> LoadedSource:
    """The synthetic cohort described by ``settings.synthetic``."""
    del data_dir  # generated, not read
    syn = settings.synthetic
    return LoadedSource(
        table=generate(syn),
        info=SourceInfo(
            name="synthetic",
            files={},
            description=(
                f"synthetic: {len(syn.groups)} groups x {syn.subjects_per_group} subjects, "
                f"group_effect {syn.group_effect}, noise {syn.noise_deg} deg, seed {syn.seed}"
            ),
        ),
    )
