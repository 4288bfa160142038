"""Clinical names of the gait angles, for what a clinician reads (atlas, cards)."""

from __future__ import annotations

import re

SIDES = {"L": "left", "R": "right"}
ANGLES: dict[tuple[str, str], str] = {
    ("pelvis", "sagittal"): "pelvic tilt",
    ("pelvis", "frontal"): "pelvic obliquity",
    ("pelvis", "transverse"): "pelvic rotation",
    ("hip", "sagittal"): "hip flexion-extension",
    ("hip", "frontal"): "hip abduction-adduction",
    ("hip", "transverse"): "hip rotation",
    ("knee", "sagittal"): "knee flexion-extension",
    ("knee", "frontal"): "knee varus-valgus",
    ("knee", "transverse"): "knee rotation",
    ("ankle", "sagittal"): "ankle dorsiflexion-plantarflexion",
    ("ankle", "frontal"): "ankle inversion-eversion",
    ("ankle", "transverse"): "ankle rotation",
    ("foot_progression", "transverse"): "foot progression",
}


def side_names(side_meaning: str | None) -> dict[str, str]:
    """``data.side_meaning`` as names of the sides: "R = paretic, L = non-paretic" (or "R:
    affected; L: unaffected") -> {"R": "paretic", "L": "non-paretic"}; left / right otherwise."""
    named = dict(SIDES)
    for side, meaning in re.findall(r"\b([LR])\s*[=:]\s*([^,;]+)", side_meaning or ""):
        named[side] = meaning.strip()
    return named


def clinical_name(channel: str, sides: dict[str, str] | None = None) -> str:
    """``L/knee/sagittal`` -> ``left knee flexion-extension`` (or the side's meaning, e.g.
    ``non-paretic knee flexion-extension``); other names are kept as they are."""
    parts = channel.split("/")
    if len(parts) != 3:
        return channel
    side, joint, plane = parts
    angle = ANGLES.get((joint, plane), f"{joint.replace('_', ' ')} ({plane})")
    return f"{(sides or SIDES).get(side, side)} {angle}"
