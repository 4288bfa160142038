"""The tabular Q-learning agent shared by the Q-learning and MIM tuners, in both modes.

The source paper (Deepak et al. 2026) gives the actions, exploration, decay, discount, Q-table
learning rate and target-table period, but not the state or the episode. gaitops chooses, and
makes configurable (a paper sampler's ``agent.state`` option):

- ``previous_action`` (default): the state is the action taken at the previous step (one extra
  start state), so the agent learns which configuration to try after which;
- ``reward_level``: the previous step's reward, cut into ``reward_levels`` equal bins of [0, 1].

The episode is the whole run: one study (study mode, a step per trial) or one training run
(controller mode, a step per epoch). Exploration is epsilon-greedy; epsilon is multiplied by the
decay after every step (floored at ``min_exploration``). The update is
``Q[s, a] += lr * (r + discount * max Q_target[s', .] - Q[s, a])`` and the target table is a copy
of Q refreshed every ``target_update`` steps.
"""

from __future__ import annotations

from typing import Literal, Protocol

import numpy as np
from pydantic import Field

from gaitops.settings.base import Strict

StateKind = Literal["previous_action", "reward_level"]


class AgentSettings(Strict):
    """The Q agent: epsilon-greedy exploration and its decay, the Q update, the state kind; a
    paper sampler's ``agent`` option (gaitops.tuning.samplers.qlearning) when not ``paper``."""

    exploration: float = Field(0.5, ge=0, le=1)
    exploration_decay: float = Field(0.99, gt=0, le=1)
    min_exploration: float = Field(0.0, ge=0, le=1)
    discount: float = Field(0.95, ge=0, le=1)
    learning_rate: float = Field(0.5, gt=0, le=1)
    target_update: int = Field(10, ge=1)
    state: StateKind = "previous_action"
    reward_levels: int = Field(5, ge=2)


def state_count(n_actions: int, settings: AgentSettings) -> int:
    """The agent's states: one per action or reward level, plus the start state (0)."""
    return (n_actions if settings.state == "previous_action" else settings.reward_levels) + 1


def next_state(settings: AgentSettings, action: int, reward: float) -> int:
    """The state after taking `action` and receiving `reward`."""
    if settings.state == "previous_action":
        return action + 1
    levels = settings.reward_levels
    return 1 + min(int(np.clip(reward, 0.0, 1.0) * levels), levels - 1)


class Agent(Protocol):
    """What the tuners need of an agent (the Q-table here, MIM's Q-network elsewhere)."""

    exploration: float

    def choose(self, rng: np.random.Generator | None = None) -> tuple[int, bool]: ...

    def greedy(self) -> int: ...

    def update(self, action: int, reward: float) -> float: ...


class QAgent:
    """Q-table, target table and epsilon-greedy choice over `n_actions`, with its own generator."""

    def __init__(self, n_actions: int, settings: AgentSettings, seed: int) -> None:
        if n_actions < 1:
            raise ValueError("the agent needs at least one action")
        self.n_actions = n_actions
        self.settings = settings
        self.rng = np.random.default_rng(seed)
        self.q = np.zeros((state_count(n_actions, settings), n_actions))
        self.target = self.q.copy()
        self.steps = 0
        self.state = 0  # the start state
        self.exploration = settings.exploration

    def next_state(self, action: int, reward: float) -> int:
        """The state after taking `action` and receiving `reward` (0 is the start state)."""
        return next_state(self.settings, action, reward)

    def choose(self, rng: np.random.Generator | None = None) -> tuple[int, bool]:
        """An action for the current state and whether it was exploratory (ties broken at
        random). `rng` defaults to the agent's own generator."""
        rng = self.rng if rng is None else rng
        if rng.random() < self.exploration:
            return int(rng.integers(self.n_actions)), True
        values = self.q[self.state]
        best = np.flatnonzero(values == values.max())
        return int(best[0] if len(best) == 1 else rng.choice(best)), False

    def greedy(self) -> int:
        """The best action of the current state by the Q-table (first on ties)."""
        return int(np.argmax(self.q[self.state]))

    def update(self, action: int, reward: float) -> float:
        """Learn from one step; returns the temporal-difference error."""
        s = self.settings
        following = self.next_state(action, reward)
        target = reward + s.discount * self.target[following].max()
        error = target - self.q[self.state, action]
        self.q[self.state, action] += s.learning_rate * error
        self.state = following
        self.steps += 1
        self.exploration = max(s.min_exploration, self.exploration * s.exploration_decay)
        if self.steps % s.target_update == 0:
            self.target = self.q.copy()
        return float(error)
