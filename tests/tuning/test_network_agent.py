import numpy as np
import pytest

from gaitops.tuning.agent import AgentSettings, QAgent
from gaitops.tuning.network_agent import NetworkQAgent, make_agent


def _learn(agent: NetworkQAgent, rewarded: int, steps: int) -> list[int]:
    chosen = []
    for _ in range(steps):
        action, _ = agent.choose()
        agent.update(action, 1.0 if action == rewarded else 0.0)
        chosen.append(action)
    return chosen


def test_the_q_network_learns_to_prefer_the_rewarded_action():
    settings = AgentSettings(exploration=1.0, exploration_decay=0.9, target_update=5, discount=0.0)
    agent = NetworkQAgent(5, settings, seed=0)
    _learn(agent, rewarded=3, steps=150)
    assert agent.greedy() == 3
    assert agent.q[:, 3].mean() > agent.q[:, [0, 1, 2, 4]].mean() + 0.3


def test_same_seed_same_choices_and_another_seed_others():
    settings = AgentSettings(exploration=0.5)
    runs = [_learn(NetworkQAgent(5, settings, seed=s), 1, 40) for s in (7, 7, 8)]
    assert runs[0] == runs[1] != runs[2]


def test_the_target_network_is_cloned_every_target_update_steps():
    agent = NetworkQAgent(3, AgentSettings(target_update=4), seed=1)
    before = [p.clone() for p in agent.target.parameters()]
    for step in range(1, 5):
        agent.update(0, 1.0)
        same = all((a == b).all() for a, b in zip(before, agent.target.parameters(), strict=True))
        assert same == (step < 4)
    for online, target in zip(agent.network.parameters(), agent.target.parameters(), strict=True):
        assert np.array_equal(online.detach().numpy(), target.detach().numpy())


@pytest.mark.parametrize(
    ("sampler", "kind"),
    [("mim", NetworkQAgent), ("qlearning", QAgent), ("mim_table", QAgent)],
)
def test_make_agent_gives_mim_its_network_and_the_others_a_table(sampler, kind):
    assert isinstance(make_agent(sampler, 4, AgentSettings(), 0), kind)
