"""The `score` section: the scores computed; each score's own options are checked by its options
model (gaitops.scoring)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from gaitops.settings.base import Strict


class ScoreSettings(Strict):
    # scores computed for every method (each where it applies); names in gaitops.scoring.registry
    scores: list[str] = Field(
        default_factory=lambda: [
            "lan_fidelity",
            "lan_robustness",
            "deletion",
            "faithfulness_correlation",
            "sparseness",
            "model_randomisation",
            "subject_stability",
            "localisation",
        ],
        min_length=1,
    )
    baseline: Literal["mean", "zero", "noise"] = "mean"  # what a removed input is replaced by
    seed: int = 0  # random subsets, perturbations, randomised models
    max_samples_per_fold: int = Field(200, ge=1)  # scores that explain again use this many
    # per score, by name (absent: its defaults). Each score's options model (its module in
    # gaitops/scoring) holds the defaults and checks the values: `gaitops run` before any stage,
    # score@METHOD when it starts
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)
