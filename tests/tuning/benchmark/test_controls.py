import numpy as np

from gaitops.tuning.agent import AgentSettings
from gaitops.tuning.benchmark.controls import bbob_problem
from gaitops.tuning.benchmark.simulate import Arm, run_arm


def test_bbob_grid_values_are_precisions_on_every_grid_point():
    problem = bbob_problem(1, dimension=2, levels=5, trials=6)
    assert problem.losses.shape == (25, 1, 1) and problem.kind == "positive_control"
    assert (problem.values() >= 0).all()
    # the sphere's grid minimum is the grid point nearest its optimum
    assert problem.optimum == problem.values().min() < np.median(problem.values())


def test_model_based_samplers_beat_random_on_the_sphere():
    problem = bbob_problem(1, dimension=3, levels=8, trials=25)

    def mean_regret(sampler: str) -> float:
        runs = [run_arm(problem, Arm(sampler), s, AgentSettings(), 0.0) for s in range(8)]
        return float(np.mean([problem.regret(r.best[-1]) for r in runs]))

    random = mean_regret("random")
    assert mean_regret("tpe_multivariate") < 0.6 * random  # 0.26 against 0.82 here
    assert mean_regret("cmaes") < 0.6 * random  # 0.06
    assert mean_regret("tpe") < random  # independent TPE: 0.67, slower on 25 trials
