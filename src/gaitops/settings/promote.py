"""The `promote` section: the retraining lifecycle's gate and registry."""

from __future__ import annotations

from pydantic import Field

from gaitops.settings.base import Strict


class PromoteSettings(Strict):
    """The retraining lifecycle: history, promotion gate and registry (gaitops.lifecycle)."""

    tolerance: float = Field(0.01, ge=0)  # a candidate may trail the promoted model by this much
    stage: str = Field("prod", pattern=r"^[a-z][a-z0-9_-]*$")  # the GTO stage of the model in use
    history_branch: str = "gaitops/retrains"  # every retrain is a commit on this branch
    push: bool = True  # push the retrain's outputs to the DVC remote, when one is configured
