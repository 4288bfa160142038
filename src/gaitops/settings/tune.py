"""The `tune` section: the tuner, its space, budget and storage."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gaitops.settings.base import Strict


class AgentParams(Strict):
    """The Q-learning agent (see gaitops.tuning.agent for the state and the episode)."""

    exploration: float = Field(0.5, ge=0, le=1)
    exploration_decay: float = Field(0.99, gt=0, le=1)
    min_exploration: float = Field(0.0, ge=0, le=1)
    discount: float = Field(0.95, ge=0, le=1)
    learning_rate: float = Field(0.5, gt=0, le=1)
    target_update: int = Field(10, ge=1)
    state: Literal["previous_action", "reward_level"] = "previous_action"
    reward_levels: int = Field(5, ge=2)


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
    agent: Literal["paper"] | AgentParams = "paper"
    reward: Literal["inverse_loss", "metric"] = "inverse_loss"
    mim_weight: float | None = Field(
        None, ge=0
    )  # null: the paper's (0.5 classification, 1 regression)
    mi_estimator: Literal["binned", "knn"] = "binned"
    mi_bins: int = Field(8, ge=2)
    mi_redundancy: bool = False  # MIM: subtract the units' mean pairwise information
    storage: str = "sqlite:///.gaitops/optuna.db"  # any SQLAlchemy URL, e.g. postgresql+psycopg2://
