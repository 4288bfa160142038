"""The `select` section: sequential feature selection with retraining."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gaitops.settings.base import Strict


class SelectSettings(Strict):
    enabled: bool = (
        False  # false: the select stage only records that it did not run (retrains a lot)
    )
    directions: list[Literal["forward", "backward"]] = Field(
        default_factory=lambda: ["forward", "backward"], min_length=1
    )
    max_steps: int | None = None  # angles added (forward) / removed (backward); null: all but one
    max_epochs: int | None = 15  # per retraining; null: the model section's max_epochs
