"""The `tune` section: the tuner, its space, budget and storage; each sampler's own options are
checked by its options model (gaitops.tuning.samplers)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from gaitops.settings.base import Strict


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
