"""A card per explained sample: its prediction and probabilities, the angles and phases of the
gait cycle the trusted explainer points at, and its counterfactual when one was computed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from gaitops.explain.store import Explanations
from gaitops.io import write_text
from gaitops.phases import phase_window_of
from gaitops.report.names import clinical_name
from gaitops.subsets import evenly_spaced
from gaitops.tasks import Task


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


def counterfactual_method(stored: dict[str, Explanations]) -> str | None:
    """The first compared method that produced counterfactual examples."""
    return next((m for m, s in sorted(stored.items()) if s.examples is not None), None)


def write_cards(
    task: Task,
    folder: Path,
    predictions: pd.DataFrame,
    trusted: str,
    stored: dict[str, Explanations],
    sides: dict[str, str],
    windows: int,
    max_cards: int,
) -> int:
    """A markdown card per explained sample of the trusted method (curve tasks; at most
    `max_cards`, evenly spaced), named after the sample; returns how many."""
    if task.input_kind != "curves":
        return 0
    explained = stored[trusted]
    predictions = predictions.set_index("sample", drop=False)
    assert explained.attributions is not None
    classes = list(explained.classes)
    channels = [clinical_name(c, sides) for c in explained.channels]
    counterfactual = counterfactual_method(stored)
    chosen = evenly_spaced(np.arange(len(explained.sample_ids)), max_cards)
    folder.mkdir()
    for i in chosen:
        sample = str(explained.sample_ids[i])
        moved = None
        if counterfactual is not None:
            other = stored[counterfactual]
            assert other.examples is not None and other.attributions is not None
            j = int(np.flatnonzero(other.sample_ids == sample)[0])
            valid = bool(other.details["valid"][j]) if "valid" in other.details else True
            x = other.examples[j] - other.attributions[j]  # the original input
            moved = (counterfactual, valid, changed_angles(x, other.examples[j], channels, 3))
        segments = top_segments(explained.attributions[i], channels, windows, 5)
        text = card_markdown(predictions.loc[sample], classes, trusted, segments, moved)
        write_text(folder / (sample.replace("/", "__") + ".md"), text)
    return len(chosen)
