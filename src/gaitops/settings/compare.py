"""The `compare` section: how the methods are ranked and how many cards are written."""

from __future__ import annotations

from pydantic import Field

from gaitops.settings.base import Strict


class CompareSettings(Strict):
    max_cards: int = Field(200, ge=0)  # sample cards written (curve tasks), evenly spaced
    # how much each category counts when compare ranks the methods (see gaitops.scoring.aggregate)
    category_weights: dict[str, float] = Field(
        default_factory=lambda: {
            "faithfulness": 3.0,
            "localisation": 3.0,
            "robustness": 1.0,
            "complexity": 1.0,
            "randomisation": 1.0,
            "counterfactual": 1.0,
        }
    )
