"""The Q-learning tuner as an Optuna sampler: each trial is one step of one episode (the study).

The agent acts on the space's discrete actions (`SearchSpace.actions`); parameters outside the
space are drawn by a seeded random sampler. The Q-table is a function of the study's finished
trials, applied in trial-number order (``after_trial`` applies each as it finishes; trials
finished by other workers sharing the storage are replayed before the next choice), so the
sampler is reproducible by seed, in another process and across workers. A trial's reward is
read from its user attributes ``validation_loss`` / ``mutual_information`` (set by
gaitops.tuning.objective) or its value; see gaitops.tuning.agent for the state and episode.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from optuna.distributions import BaseDistribution
from optuna.samplers import BaseSampler, RandomSampler
from optuna.study import Study
from optuna.trial import FrozenTrial, TrialState

from gaitops.settings.base import Strict
from gaitops.tuning.agent import AgentSettings, QAgent
from gaitops.tuning.rewards import RewardKind, base_reward
from gaitops.tuning.space import SearchSpace


class QLearningOptions(Strict):
    """``tune.options.qlearning``: the agent and the reward."""

    # paper: the paper's values for the task's objective (gaitops.tuning.presets), or a mapping
    # of AgentSettings' fields (tried first, so a wrong field is the error named)
    agent: AgentSettings | Literal["paper"] = "paper"
    reward: RewardKind = "inverse_loss"  # inverse_loss: 1 / (1 + validation loss), the paper's

    def agent_settings(self) -> AgentSettings:
        """The agent, once the paper's values are filled in (gaitops.tuning.presets.resolved)."""
        if not isinstance(self.agent, AgentSettings):
            raise ValueError("agent 'paper' is resolved by gaitops.tuning.presets first")
        return self.agent


class QLearningSampler(BaseSampler):
    """Epsilon-greedy tabular Q-learning over a declared set of configurations."""

    def __init__(
        self,
        space: SearchSpace,
        agent: AgentSettings | None = None,
        seed: int = 0,
        reward: RewardKind = "inverse_loss",
    ) -> None:
        self.space = space
        self.agent_settings = agent or AgentSettings()
        self.seed = seed
        self.reward_kind = reward
        self._independent = RandomSampler(seed=seed)
        self._agent = self._fresh_agent()
        self._applied: list[int] = []

    def _fresh_agent(self) -> QAgent:
        return QAgent(len(self.space.actions), self.agent_settings, self.seed)

    def reward(self, trial: FrozenTrial) -> float:
        """The reward of a finished trial (failed trials earn 0)."""
        if trial.state != TrialState.COMPLETE:
            return 0.0
        loss = trial.user_attrs.get("validation_loss")
        return base_reward(self.reward_kind, loss, trial.value)

    def _sync(self, study: Study, just_finished: FrozenTrial | None = None) -> QAgent:
        """Bring the agent up to date with every finished trial, in trial-number order
        (`just_finished`: a trial Optuna is finishing, not yet marked so in the storage)."""
        trials = {t.number: t for t in study.get_trials(deepcopy=False) if t.state.is_finished()}
        if just_finished is not None:
            trials[just_finished.number] = just_finished
        finished = [trials[number] for number in sorted(trials)]
        numbers = [t.number for t in finished]
        if numbers[: len(self._applied)] != self._applied:
            self._agent, self._applied = self._fresh_agent(), []
        for trial in finished[len(self._applied) :]:
            action = self.space.action_of(trial.params)
            if action is not None:
                self._agent.update(action, self.reward(trial))
            self._applied.append(trial.number)
        return self._agent

    def infer_relative_search_space(
        self, study: Study, trial: FrozenTrial
    ) -> dict[str, BaseDistribution]:
        return dict(self.space.distributions)

    def sample_relative(
        self, study: Study, trial: FrozenTrial, search_space: dict[str, BaseDistribution]
    ) -> dict[str, Any]:
        if not search_space:
            return {}
        agent = self._sync(study)
        action, _ = agent.choose(np.random.default_rng([self.seed, trial.number]))
        return {k: v for k, v in self.space.actions[action].items() if k in search_space}

    def sample_independent(
        self,
        study: Study,
        trial: FrozenTrial,
        param_name: str,
        param_distribution: BaseDistribution,
    ) -> Any:
        return self._independent.sample_independent(study, trial, param_name, param_distribution)

    def after_trial(
        self,
        study: Study,
        trial: FrozenTrial,
        state: TrialState,
        values: Sequence[float] | None,
    ) -> None:
        """The Q update for the finished trial (and any others finished meanwhile)."""
        done = copy.copy(trial)
        done.state = state
        done.values = list(values) if values is not None else None
        self._sync(study, done)

    def reseed_rng(self) -> None:
        self._independent.reseed_rng()

    @property
    def exploration(self) -> float:
        return self._agent.exploration

    @property
    def q_table(self) -> np.ndarray:
        return self._agent.q.copy()
