"""The `explain` section: the methods run, their baseline and segments; each method's own options
are checked by its options model (gaitops.explain.methods)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from gaitops.settings.base import Strict

# forward passes only: they apply to every model, the default multirocket included
DEFAULT_METHODS = ("feature_ablation", "angle_ablation", "nearest_unlike_swap")


class ExplainSettings(Strict):
    # each method runs as its own DVC stage explain@NAME (and score@NAME); names are registered
    # explainers (gaitops.explain.registry), checked when the stage runs
    methods: list[str] = Field(default_factory=lambda: list(DEFAULT_METHODS), min_length=1)
    baseline: Literal["mean", "zero", "noise"] = "mean"  # see gaitops.explain.baselines
    phase_windows: int = Field(10, ge=1, le=101)  # curves: windows of the gait cycle per segment
    max_samples_per_fold: int = Field(2000, ge=1)  # held-out samples (rows) explained per fold
    # per explainer, by name; every method listed needs an entry (DVC tracks it per method).
    # Each explainer's options model (gaitops/explain/methods/NAME.py) holds the defaults and
    # checks the values: `gaitops run` before any stage, explain@NAME when it starts
    options: dict[str, dict[str, Any]] = Field(
        default_factory=lambda: {name: {} for name in DEFAULT_METHODS}
    )

    @field_validator("methods")
    @classmethod
    def _methods_once_each(cls, methods: list[str]) -> list[str]:
        if len(set(methods)) != len(methods):
            raise ValueError(f"a method is listed twice: {methods}")
        return methods

    @model_validator(mode="after")
    def _every_method_has_options(self) -> ExplainSettings:
        # explain@METHOD depends on explain.options.METHOD in DVC: it must exist, even if empty
        if missing := [m for m in self.methods if m not in self.options]:
            raise ValueError(
                f"explain.options has no entry for {missing}; add `{missing[0]}: {{}}` "
                "under explain.options for its defaults"
            )
        return self

    def options_of(self, method: str) -> dict[str, Any]:
        return dict(self.options.get(method, {}))
