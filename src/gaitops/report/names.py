"""Clinical names of the gait angles, for what a clinician reads (atlas, cards)."""

from __future__ import annotations

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


def clinical_name(channel: str) -> str:
    """``L/knee/sagittal`` -> ``left knee flexion-extension``; other names are kept as they are."""
    parts = channel.split("/")
    if len(parts) != 3:
        return channel
    side, joint, plane = parts
    angle = ANGLES.get((joint, plane), f"{joint.replace('_', ' ')} ({plane})")
    return f"{SIDES.get(side, side)} {angle}"
