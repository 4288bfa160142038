import numpy as np
import pytest

from gaitops.tuning.agent import AgentSettings, QAgent


def test_one_update_equals_the_hand_computation():
    settings = AgentSettings(discount=0.9, learning_rate=0.5, target_update=100)
    agent = QAgent(3, settings, seed=0)
    agent.q[:] = np.arange(12, dtype=float).reshape(4, 3)  # 4 states: start + one per action
    agent.target = agent.q.copy()
    error = agent.update(action=1, reward=0.7)
    # state 0, action 1 -> next state 2 (after action 1); target = 0.7 + 0.9 * max(Q_target[2])
    expected_target = 0.7 + 0.9 * 8.0
    assert error == pytest.approx(expected_target - 1.0)
    assert agent.q[0, 1] == pytest.approx(1.0 + 0.5 * (expected_target - 1.0))
    assert agent.state == 2


def test_exploration_decays_as_configured_down_to_its_floor():
    agent = QAgent(2, AgentSettings(exploration=0.5, exploration_decay=0.9, min_exploration=0.3), 0)
    seen = []
    for _ in range(6):
        agent.update(0, 1.0)
        seen.append(agent.exploration)
    assert seen[:3] == pytest.approx([0.45, 0.405, 0.3645])
    assert seen[-1] == 0.3


def test_target_table_is_cloned_every_n_steps_only():
    agent = QAgent(2, AgentSettings(target_update=3), seed=0)
    agent.update(0, 1.0)
    agent.update(1, 1.0)
    assert not agent.target.any()  # not yet
    agent.update(0, 1.0)
    assert np.array_equal(agent.target, agent.q) and agent.target.any()
    agent.update(1, 1.0)
    assert not np.array_equal(agent.target, agent.q)


def test_reward_level_states_bin_the_previous_reward():
    agent = QAgent(2, AgentSettings(state="reward_level", reward_levels=4), seed=0)
    assert agent.q.shape == (5, 2)
    assert [agent.next_state(0, r) for r in (0.0, 0.3, 0.99, 1.0, 7.0)] == [1, 2, 4, 4, 4]


def test_choices_are_greedy_without_exploration_and_seeded_with_it():
    greedy = QAgent(3, AgentSettings(exploration=0.0), seed=0)
    greedy.q[0] = [0.1, 0.9, 0.2]
    assert greedy.choose() == (1, False)
    first = [QAgent(5, AgentSettings(exploration=1.0), seed=4).choose()[0] for _ in range(2)]
    assert first[0] == first[1]


def test_mims_reward_is_capped_at_the_papers_maximum():
    from gaitops.tuning.rewards import MAX_REWARD, mim_reward

    assert mim_reward(0.9, 0.8, 0.5) == MAX_REWARD == 1.0
    assert mim_reward(0.5, 0.2, 0.5) == pytest.approx(0.6)
