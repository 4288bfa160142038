"""The mutual-information-maximisation (MIM) tuner as an Optuna sampler.

The Q-learning tuner whose reward adds ``weight`` x the normalised mutual information between
the trained model's penultimate representation and the target on the validation subjects (the
trial's ``mutual_information`` attribute, see gaitops.tuning.mutual_information), capped at
1.0, so it prefers configurations whose representation carries the target, not only a low
loss. As the paper describes it (``mim``), its agent is a neural Q-network with a target
network (gaitops.tuning.network_agent); ``mim_table`` keeps the tabular agent of Q-learning.
"""

from __future__ import annotations

from typing import Literal

from optuna.trial import FrozenTrial, TrialState
from pydantic import Field

from gaitops.tuning.agent import AgentSettings, QAgent
from gaitops.tuning.mutual_information import Estimator
from gaitops.tuning.network_agent import NetworkQAgent
from gaitops.tuning.rewards import RewardKind, mim_reward
from gaitops.tuning.samplers.qlearning import QLearningOptions, QLearningSampler
from gaitops.tuning.space import SearchSpace


class MIMOptions(QLearningOptions):
    """``tune.options.mim`` / ``mim_table``: Q-learning's, plus the information reward and how
    the information is measured (gaitops.tuning.mutual_information)."""

    # weight of the information in the reward (capped at 1.0, the paper's maximum); null: the
    # paper's (0.5 classification, 1 regression)
    weight: float | None = Field(None, ge=0)
    estimator: Estimator = "binned"  # binned: equal-frequency bins, plug-in | knn
    bins: int = Field(8, ge=2)
    redundancy: bool = False  # true subtracts the units' mean pairwise information

    def information_weight(self) -> float:
        """The weight, once the paper's is filled in (gaitops.tuning.presets.resolved)."""
        if self.weight is None:
            raise ValueError("weight null is resolved by gaitops.tuning.presets first")
        return self.weight


class MIMSampler(QLearningSampler):
    def __init__(
        self,
        space: SearchSpace,
        agent: AgentSettings | None = None,
        seed: int = 0,
        reward: RewardKind = "inverse_loss",
        weight: float = 1.0,
        q_function: Literal["network", "table"] = "network",
    ) -> None:
        self.weight = weight
        self.q_function = q_function
        super().__init__(space, agent, seed, reward)

    def _fresh_agent(self) -> QAgent | NetworkQAgent:  # type: ignore[override]
        if self.q_function == "table":
            return super()._fresh_agent()
        return NetworkQAgent(len(self.space.actions), self.agent_settings, self.seed)

    def reward(self, trial: FrozenTrial) -> float:
        if trial.state != TrialState.COMPLETE:
            return 0.0
        return mim_reward(
            super().reward(trial), trial.user_attrs.get("mutual_information"), self.weight
        )
