"""The mutual-information-maximisation (MIM) tuner as an Optuna sampler.

The Q-learning tuner whose reward adds ``weight`` x the normalised mutual information between
the trained model's penultimate representation and the target on the validation subjects (the
trial's ``mutual_information`` attribute, see gaitops.tuning.mutual_information), so it prefers
configurations whose representation carries the target, not only a low loss.
"""

from __future__ import annotations

from optuna.trial import FrozenTrial, TrialState

from gaitops.tuning.agent import AgentSettings
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
    ) -> None:
        self.weight = weight
        super().__init__(space, agent, seed, reward)

    def reward(self, trial: FrozenTrial) -> float:
        if trial.state != TrialState.COMPLETE:
            return 0.0
        return mim_reward(
            super().reward(trial), trial.user_attrs.get("mutual_information"), self.weight
        )
