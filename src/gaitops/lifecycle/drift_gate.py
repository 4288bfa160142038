"""Drift against the model in use, checked on ingest's table before the gate publishes it.

The promoted model's file carries the profile of its training data (`about.training_profile`),
so the check needs no copy of that data. It runs in the retrain flow, not in a DVC stage: what
is promoted lives in the registry, outside the pipeline's dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from gaitops.config import Settings
from gaitops.data.drift import Drift, compare, profile
from gaitops.errors import GaitopsError, ValidationFailed
from gaitops.lifecycle.model_in_use import resolve_model
from gaitops.paths import Paths


class DriftFailed(ValidationFailed):
    """New data drifted past validate.drift_thresholds and validate.drift is fail."""


@dataclass(frozen=True)
class Reference:
    """What new data is compared with: the promoted model's training data profile."""

    profile: dict[str, Any] | None  # None: nothing to compare with
    against: str  # the model's name, or why there is nothing


def promoted_reference(root: Path, settings: Settings) -> Reference:
    """The profile stored with the promoted model (fetched before the pipeline takes DVC's lock)."""
    if settings.validate_.drift == "off":
        return Reference(None, "drift not checked (validate.drift: off)")
    try:
        model = resolve_model(root, settings, None)
    except GaitopsError as exc:
        return Reference(None, f"drift not checked: {str(exc).split('. Fix')[0]}")
    import torch  # here: a retrain with a promoted model only (1.4 s of every `gaitops run`)

    record = torch.load(model.path, map_location="cpu", weights_only=True)
    found = (record.get("about") or {}).get("training_profile")
    if found is None:
        return Reference(None, f"drift not checked: {model.name} has no training data profile")
    return Reference(found, f"against the training data of {model.name}")


def check_drift(root: Path, settings: Settings, reference: Reference) -> Drift | None:
    """The drift of data/ingested from `reference`, or None when there is nothing to compare.
    DriftFailed when it is past the thresholds and validate.drift is fail."""
    table = Paths(root).ingested_dir / Paths(root).canonical_table.name
    if reference.profile is None or not table.exists():
        return None
    limits = settings.validate_.drift_thresholds
    drift = compare(reference.profile, profile(pd.read_parquet(table)), limits)
    if drift.beyond and settings.validate_.drift == "fail":
        raise DriftFailed(
            f"the new data drifted {reference.against}: {drift.summary()}. Nothing stored "
            "changed. Fix: check the export (units, joint names, sides); if the population truly "
            "changed, set validate.drift: warn for this retrain, or widen validate.drift_thresholds."
        )
    return drift
