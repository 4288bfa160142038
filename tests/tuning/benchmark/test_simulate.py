import numpy as np
import pytest

from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.benchmark.experiment import FAMILY, arms_for, paper_actions
from gaitops.tuning.benchmark.simulate import Arm, run_arm, training_seed
from gaitops.tuning.benchmark.tabular import TabularProblem
from gaitops.tuning.space import search_space


def _problem(model: str = "mlp", epochs: int = 6, trials: int = 12) -> TabularProblem:
    space = search_space("benchmark", model, "random")
    n = len(space.actions)
    rng = np.random.default_rng(3)
    levels = np.array([[a[k] for k in space.distributions] for a in space.actions], float)
    quality = ((levels - levels.mean(axis=0)) ** 2).sum(axis=1)
    curve = np.linspace(1.0, 0.0, epochs)
    losses = quality[:, None, None] + curve + 0.05 * rng.standard_normal((n, 2, epochs))
    return TabularProblem("toy", space, losses, rng.random(losses.shape), np.ones((n, 2)), trials)


@pytest.mark.parametrize("arm", arms_for(_problem()), ids=lambda a: a.name)
def test_every_arm_spends_at_most_the_budget_and_is_reproducible(arm):
    problem = _problem()
    runs = [run_arm(problem, arm, seed, AgentSettings(), 0.5) for seed in (2, 2)]
    assert runs[0].best == runs[1].best and runs[0].epochs == runs[1].epochs
    assert runs[0].epochs[-1] <= problem.budget_epochs
    assert 1 <= runs[0].distinct <= runs[0].trials
    if arm.pruner == "none":
        assert runs[0].trials == problem.trials
    assert np.all(np.diff(runs[0].best) <= 0)


def test_the_family_is_the_eight_preregistered_arms():
    assert len(FAMILY) == 8 and set(FAMILY) <= {a.name for a in arms_for(_problem())}


def test_common_random_numbers_give_every_sampler_the_same_training_seeds():
    assert [training_seed(2, 5, t) for t in range(10)] == [
        training_seed(2, 5, t) for t in range(10)
    ]
    assert len({training_seed(2, 5, t) for t in range(30)}) == 2


def test_grid_never_repeats_a_configuration():
    run = run_arm(_problem(), Arm("grid"), 0, AgentSettings(), 0.5)
    assert run.distinct == run.trials


def test_pruned_arms_try_more_configurations_in_the_same_epochs():
    problem = _problem(epochs=9)
    plain = run_arm(problem, Arm("random"), 0, AgentSettings(), 0.5)
    pruned = run_arm(problem, Arm("random", "successive_halving"), 0, AgentSettings(), 0.5)
    assert pruned.trials > plain.trials


def test_the_papers_agents_act_only_on_the_papers_actions_on_the_sdnn_grid():
    problem = _problem("sdnn")
    names = {a.name for a in arms_for(problem)}
    assert {"qlearning_paper_actions", "mim_paper_actions"} <= names
    base = {"learning_rate": 1e-3, "dropout": 0.0, "survival_probability": 0.8}
    zipped = paper_actions(problem.space, "qlearning", base)
    assert len(zipped.actions) == 5
    assert all(problem.space.values(a)["survival_probability"] == 0.8 for a in zipped.actions)
    run = run_arm(
        problem, Arm("qlearning", actions="paper"), 0, AgentSettings(), 0.5, sampler_space=zipped
    )
    assert run.distinct <= 5
