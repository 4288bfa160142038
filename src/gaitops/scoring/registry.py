"""Every explanation score with what it applies to and which direction is better."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScoreInfo:
    name: str
    higher_is_better: bool
    data: tuple[str, ...]
    tasks: tuple[str, ...]
    meaning: str


SCORES: dict[str, ScoreInfo] = {
    "robustness_dispersion": ScoreInfo(
        "robustness_dispersion",
        False,
        ("curves", "tabular"),
        ("classification", "regression"),
        "mean within-class sd of L1-normalised |attributions|",
    ),
    "fidelity": ScoreInfo(
        "fidelity",
        True,
        ("curves",),
        ("classification",),
        "accuracy drop removing each sample's top-ranked channels minus the drop removing its bottom-ranked",
    ),
}
