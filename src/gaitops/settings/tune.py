"""The `tune` section: the tuner, its space, budget and storage; each sampler's own options are
checked by its options model (gaitops.tuning.samplers)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from gaitops.settings.base import Strict

# keys of the tune section that became a paper sampler's options: old name -> option name
MOVED_TO_SAMPLER_OPTIONS = {
    "agent": "agent",
    "reward": "reward",
    "mim_weight": "weight",
    "mi_estimator": "estimator",
    "mi_bins": "bins",
    "mi_redundancy": "redundancy",
}


class TuneSettings(Strict):
    enabled: bool = False  # false: the tune stage records that nothing was tuned (quick)
    mode: Literal["study", "controller"] = "study"
    # a registered sampler (gaitops.tuning.samplers.registry), checked when tune or `gaitops run`
    # starts; gp: the tuner benchmark's best average rank (benchmarks/tuners/results.md)
    sampler: str = "gp"
    space: Literal[
        "paper", "paper_zip", "paper_grid", "paper_tuples", "compact", "benchmark", "mixed"
    ] = "paper"
    n_trials: int = Field(20, ge=1)
    # study mode: trials proposed together, then trained at once on the runtime's workers
    trials_per_round: int = Field(1, ge=1)
    epochs: int | None = Field(None, ge=1)  # per trial / the controlled run; null: the paper's
    seed: int = 0
    # per sampler, by name: its options model (gaitops/tuning/samplers/, e.g. QLearningOptions)
    # holds the defaults and checks the values when tune or `gaitops run` starts; a sampler
    # left out takes its defaults
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    storage: str = "sqlite:///.gaitops/optuna.db"  # any SQLAlchemy URL, e.g. postgresql+psycopg2://

    @model_validator(mode="before")
    @classmethod
    def _moved_keys_say_where(cls, data: Any) -> Any:
        moved = [key for key in MOVED_TO_SAMPLER_OPTIONS if isinstance(data, dict) and key in data]
        if moved:
            key, option = moved[0], MOVED_TO_SAMPLER_OPTIONS[moved[0]]
            raise ValueError(
                f"tune.{key} is now an option of the paper samplers: set "
                f"tune.options.SAMPLER.{option} instead (SAMPLER: qlearning, mim or mim_table; "
                "params.yaml lists them)"
            )
        return data
