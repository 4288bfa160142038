"""The MIM tuner's agent as the source paper describes it: a small neural Q-network with a
target network cloned from it every ``target_update`` steps (no Q-table learning rate).

The paper sizes the network's input by the data's feature count; a tuner's state is not a data
row, so gaitops feeds the state the tabular agent uses (the previous action, or the previous
reward's level) as a one-hot vector. One hidden layer of 32 ReLU units outputs a Q-value per
action. Each step the network takes one Adam step (learning rate 1e-3) on the squared
temporal-difference error, against the target network, of a replay minibatch: the newest
transition and up to 31 earlier ones drawn at random (DQN's experience replay); exploration is
epsilon-greedy with the tabular agent's decay. Seeded: the same rewards give the same
choices.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn

from gaitops.tuning.agent import Agent, AgentSettings, QAgent, next_state, state_count

HIDDEN_UNITS = 32
OPTIMISER_LEARNING_RATE = 1e-3
REPLAY_BATCH = 32


class NetworkQAgent:
    """Epsilon-greedy deep Q-learning over `n_actions`, with its own generators."""

    def __init__(self, n_actions: int, settings: AgentSettings, seed: int) -> None:
        if n_actions < 1:
            raise ValueError("the agent needs at least one action")
        self.n_actions = n_actions
        self.settings = settings
        self.rng = np.random.default_rng(seed)
        self.replay_rng = np.random.default_rng([seed, 1])
        self.n_states = state_count(n_actions, settings)
        generator = torch.Generator().manual_seed(seed)
        self.network = nn.Sequential(
            nn.Linear(self.n_states, HIDDEN_UNITS), nn.ReLU(), nn.Linear(HIDDEN_UNITS, n_actions)
        ).double()
        for parameter in self.network.parameters():  # seeded, not torch's global generator
            bound = 1.0 / np.sqrt(parameter.shape[-1])
            with torch.no_grad():
                parameter.uniform_(-bound, bound, generator=generator)
        self.target = self._clone()
        self.optimiser = torch.optim.Adam(self.network.parameters(), lr=OPTIMISER_LEARNING_RATE)
        self.transitions: list[tuple[int, int, float, int]] = []
        self.steps = 0
        self.state = 0
        self.exploration = settings.exploration

    def _clone(self) -> nn.Module:
        """The target network: a frozen copy of the online network's weights."""
        return copy.deepcopy(self.network).requires_grad_(False)

    def _one_hot(self, states: list[int]) -> torch.Tensor:
        rows = torch.zeros((len(states), self.n_states), dtype=torch.float64)
        rows[torch.arange(len(states)), torch.tensor(states)] = 1.0
        return rows

    def q_values(self, state: int | None = None) -> np.ndarray:
        with torch.no_grad():
            return self.network(self._one_hot([self.state if state is None else state]))[0].numpy()

    def next_state(self, action: int, reward: float) -> int:
        return next_state(self.settings, action, reward)

    def choose(self, rng: np.random.Generator | None = None) -> tuple[int, bool]:
        rng = self.rng if rng is None else rng
        if rng.random() < self.exploration:
            return int(rng.integers(self.n_actions)), True
        values = self.q_values()
        best = np.flatnonzero(values == values.max())
        return int(best[0] if len(best) == 1 else rng.choice(best)), False

    def greedy(self) -> int:
        return int(np.argmax(self.q_values()))

    def update(self, action: int, reward: float) -> float:
        """One Adam step on a replay minibatch holding this transition; returns its TD error."""
        s = self.settings
        following = self.next_state(action, reward)
        self.transitions.append((self.state, action, reward, following))
        earlier = len(self.transitions) - 1
        drawn = self.replay_rng.choice(earlier, min(earlier, REPLAY_BATCH - 1), replace=False)
        batch = [self.transitions[i] for i in sorted(drawn)] + [self.transitions[-1]]
        states, actions, rewards, nexts = (list(column) for column in zip(*batch, strict=True))
        with torch.no_grad():
            bootstrap = self.target(self._one_hot(nexts)).max(dim=1).values
        targets = torch.tensor(rewards, dtype=torch.float64) + s.discount * bootstrap
        predicted = self.network(self._one_hot(states))[torch.arange(len(actions)), actions]
        error = float(targets[-1] - predicted[-1].detach())
        loss = ((predicted - targets) ** 2).mean()
        self.optimiser.zero_grad()
        loss.backward()
        self.optimiser.step()
        self.state = following
        self.steps += 1
        self.exploration = max(s.min_exploration, self.exploration * s.exploration_decay)
        if self.steps % s.target_update == 0:
            self.target = self._clone()
        return error

    @property
    def q(self) -> np.ndarray:
        """The Q-values of every state (a table's shape, for inspection)."""
        with torch.no_grad():
            return self.network(self._one_hot(list(range(self.n_states)))).numpy()


def make_agent(sampler: str, n_actions: int, settings: AgentSettings, seed: int) -> Agent:
    """The agent of a paper tuner: MIM's Q-network for ``mim``, the Q-table otherwise
    (``qlearning``, ``mim_table``)."""
    if sampler == "mim":
        return NetworkQAgent(n_actions, settings, seed)
    return QAgent(n_actions, settings, seed)
