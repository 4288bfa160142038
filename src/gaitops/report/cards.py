"""A card per explained sample: its prediction and probabilities, the angles and phases of the
gait cycle the trusted explainer points at, and its counterfactual when one was computed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gaitops.explain.segments import phase_window_of


def top_segments(
    attributions: np.ndarray, channels: list[str], windows: int, top: int
) -> list[tuple[str, str, float]]:
    """(angle, phase range, share of |attribution|) of the `top` angle x phase windows of one
    sample's curves (channels x time)."""
    magnitude = np.abs(attributions)
    window = phase_window_of(magnitude.shape[1], windows)
    per_segment = np.stack([magnitude[:, window == w].sum(axis=1) for w in range(windows)], axis=1)
    total = per_segment.sum() or 1.0
    order = np.argsort(-per_segment, axis=None, kind="stable")[:top]
    found = []
    for flat in order:
        c, w = divmod(int(flat), windows)
        points = np.flatnonzero(window == w)
        found.append((channels[c], f"{points[0]}-{points[-1]} %", float(per_segment[c, w] / total)))
    return found


def changed_angles(
    original: np.ndarray, counterfactual: np.ndarray, channels: list[str], top: int
) -> list[tuple[str, float]]:
    """The angles a counterfactual moves most: (angle, mean |change| in degrees)."""
    change = np.abs(counterfactual - original).mean(axis=1)
    order = np.argsort(-change, kind="stable")[:top]
    return [(channels[c], float(change[c])) for c in order if change[c] > 0]


def card_markdown(
    prediction: pd.Series,
    classes: list[str],
    method: str,
    segments: list[tuple[str, str, float]],
    counterfactual: tuple[str, bool, list[tuple[str, float]]] | None,
    context: str | None = None,
    role: str = "the trusted explainer",
) -> str:
    """One sample's card; `context` replaces the line saying which fold held it out."""
    lines = [
        f"# {prediction['sample']}",
        "",
        context
        or f"Subject {prediction['subject']}, held out by fold {prediction['fold']}. "
        f"Actual **{prediction['actual']}**, predicted **{prediction['predicted']}**.",
        "",
        "| class | probability |",
        "|---|---|",
        *[f"| {c} | {prediction[f'p_{c}']:.3f} |" for c in classes],
        "",
        f"Where {method} ({role}) points:",
        "",
        "| angle | % of gait cycle | share of \\|attribution\\| |",
        "|---|---|---|",
        *[f"| {angle} | {phase} | {share:.1%} |" for angle, phase, share in segments],
    ]
    if counterfactual is not None:
        method_name, valid, moved = counterfactual
        verdict = "flips the prediction" if valid else "does not flip the prediction"
        lines += [
            "",
            f"Counterfactual ({method_name}) {verdict}; the angles it moves most (mean |change|, degrees):",
            "",
            *[f"- {angle}: {change:.2f}" for angle, change in moved],
        ]
    return "\n".join(lines) + "\n"
