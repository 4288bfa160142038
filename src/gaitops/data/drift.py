"""Drift between the data a model was trained on and new data, on the canonical table.

A profile summarises a table: per curve (side/joint/plane) the mean and sd of the angle at each
point of the gait cycle and the mean range of motion; the share of subjects in each group; the
subjects. Two profiles compare per curve and phase window (mean curve shift in training sds),
per curve (range of motion, relative), per group (share of subjects), and by who is new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gaitops.data.cycles import SAMPLE_KEY
from gaitops.settings.validate import DriftThresholds

PHASE_WINDOWS = 10
SD_FLOOR = 0.5  # degrees: a curve that barely varies between people does not turn noise into drift


def profile(table: pd.DataFrame) -> dict[str, Any]:
    """The summary of a canonical table that drift is measured against (plain JSON)."""
    curve = table["side"] + "/" + table["joint"] + "/" + table["plane"]
    frame = table.assign(curve=curve)
    by_point = frame.groupby(["curve", "time"], sort=True)["angle"].agg(["mean", "std"])
    extent = frame.groupby([*SAMPLE_KEY, "curve"], sort=True)["angle"].agg(["min", "max"])
    motion = (extent["max"] - extent["min"]).groupby(level="curve").mean()
    groups = table.groupby("subject")["group"].first().value_counts(normalize=True)
    curves = {}
    for name in sorted(frame["curve"].unique()):
        points = by_point.loc[name]
        curves[name] = {
            "mean": [round(float(v), 4) for v in points["mean"]],
            "sd": [round(float(v), 4) for v in points["std"].fillna(0.0)],
            "range_of_motion": round(float(motion[name]), 4),
        }
    return {
        "curves": curves,
        "group_share": {str(g): round(float(s), 4) for g, s in sorted(groups.items())},
        "subjects": sorted(str(s) for s in table["subject"].unique()),
        "samples": len(frame[SAMPLE_KEY].drop_duplicates()),
    }


@dataclass(frozen=True)
class Drift:
    """What moved, and whether any of it passed its threshold."""

    findings: list[dict[str, Any]]  # one per measure: what, where, value, threshold, beyond
    new_subjects: int
    removed_subjects: int
    beyond: list[str] = field(default_factory=list)  # the findings past their thresholds, as text

    def summary(self) -> str:
        people = f"{self.new_subjects} new subjects, {self.removed_subjects} no longer present"
        if not self.beyond:
            return f"no drift past the thresholds ({people})"
        return "; ".join(self.beyond) + f" ({people})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "beyond_thresholds": bool(self.beyond),
            "summary": self.summary(),
            "findings": self.findings,
            "new_subjects": self.new_subjects,
            "removed_subjects": self.removed_subjects,
        }


def _windows(points: int) -> list[np.ndarray]:
    return np.array_split(np.arange(points), PHASE_WINDOWS)


def compare(reference: dict[str, Any], new: dict[str, Any], limits: DriftThresholds) -> Drift:
    """How `new` differs from `reference` (both from `profile`)."""
    findings: list[dict[str, Any]] = []
    shifts = []
    for name, ref in reference["curves"].items():
        now = new["curves"].get(name)
        if now is None:
            findings.append(
                {
                    "measure": "curve missing",
                    "where": name,
                    "value": None,
                    "threshold": None,
                    "beyond": True,
                }
            )
            continue
        mean_ref, mean_new = np.asarray(ref["mean"]), np.asarray(now["mean"])
        spread = np.maximum(np.asarray(ref["sd"]), SD_FLOOR)
        for w, window in enumerate(_windows(len(mean_ref))):
            shift = float(np.mean(np.abs(mean_new[window] - mean_ref[window]) / spread[window]))
            shifts.append((shift, name, f"{window[0]}-{window[-1]} %", w))
        rom_ref = max(ref["range_of_motion"], 1e-6)
        change = (now["range_of_motion"] - ref["range_of_motion"]) / rom_ref
        findings.append(
            {
                "measure": "range of motion change",
                "where": name,
                "value": round(change, 4),
                "threshold": limits.range_of_motion,
                "beyond": abs(change) > limits.range_of_motion,
            }
        )
    for shift, name, phase, _ in sorted(shifts, reverse=True)[:5]:
        findings.append(
            {
                "measure": "mean curve shift (training sds)",
                "where": f"{name} at {phase} of the cycle",
                "value": round(shift, 4),
                "threshold": limits.mean_shift_sd,
                "beyond": shift > limits.mean_shift_sd,
            }
        )
    for group in sorted(set(reference["group_share"]) | set(new["group_share"])):
        change = new["group_share"].get(group, 0.0) - reference["group_share"].get(group, 0.0)
        findings.append(
            {
                "measure": "group share change",
                "where": group,
                "value": round(change, 4),
                "threshold": limits.group_share,
                "beyond": abs(change) > limits.group_share,
            }
        )
    beyond = [_described(f) for f in findings if f["beyond"]]
    before, after = set(reference["subjects"]), set(new["subjects"])
    return Drift(findings, len(after - before), len(before - after), beyond)


def _described(finding: dict[str, Any]) -> str:
    if finding["value"] is None:
        return f"{finding['where']}: {finding['measure']}"
    value = finding["value"]
    shown = f"{value:+.0%}" if "change" in finding["measure"] else f"{value:.2f}"
    return (
        f"{finding['measure']} {shown} at {finding['where']} (threshold {finding['threshold']:g})"
    )
