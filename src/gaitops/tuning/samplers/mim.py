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

from gaitops.tuning.agent import AgentSettings, QAgent
from gaitops.tuning.network_agent import NetworkQAgent
from gaitops.tuning.rewards import RewardKind, mim_reward
from gaitops.tuning.samplers.qlearning import QLearningSampler
from gaitops.tuning.space import SearchSpace


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
