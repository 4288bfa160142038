"""Sequential angle selection with retraining finds the one angle that carries the label."""

from __future__ import annotations

import numpy as np
import pytest

from gaitops.data.dataset import GaitDataset
from gaitops.explain.selection import (
    Scores,
    SelectionProblem,
    SelectionStep,
    curve_rows,
    keeping,
    retrainings,
    sequential_selection,
    step_ranking,
)
from gaitops.models.objective import TuningSplit, configure
from gaitops.models.registry import model_options
from gaitops.stages import serial_map
from gaitops.tasks import TASKS

INFORMATIVE = 2


@pytest.fixture(scope="module")
def problem(tiny_settings) -> SelectionProblem:
    rng = np.random.default_rng(0)
    n = 60
    y = np.arange(n) % 2
    x = rng.normal(size=(n, 4, 101)).astype(np.float32)
    x[:, INFORMATIVE] += np.where(y == 1, 1.0, -1.0)[:, None].astype(np.float32)
    data = GaitDataset(
        task=TASKS["group_classification"],
        x=x,
        y=y.astype(np.int64),
        subjects=np.array([f"S{i:02d}" for i in range(n)]),
        classes=["a", "b"],
        input_names=["hip", "knee", "ankle", "pelvis"],
        sample_ids=[f"S{i:02d}/1/1" for i in range(n)],
    )
    index = np.arange(n)
    return SelectionProblem(
        data=data,
        task=TASKS["group_classification"],
        split=TuningSplit(index[:30], index[30:45], seed=0),
        test_index=index[45:],
        architecture="mlp",
        settings=configure(model_options(tiny_settings, "mlp"), {"max_epochs": 15}),
    )


def test_keeping_zeroes_every_other_angle(problem):
    kept = keeping(problem.data, (1, 3))
    assert np.array_equal(kept.x[:, [1, 3]], problem.data.x[:, [1, 3]])
    assert not kept.x[:, [0, 2]].any()


def test_forward_adds_the_informative_angle_first_and_backward_removes_it_first(problem):
    forward = sequential_selection(problem, "forward", 1, serial_map)
    assert forward[0].angle == "ankle" and forward[0].kept == ("ankle",)
    assert forward[0].test > 0.8  # one angle, retrained: the label is in it
    backward = sequential_selection(problem, "backward", 1, serial_map)
    assert backward[0].angle == "ankle"  # the removal that hurts most: most important first
    assert "ankle" not in backward[0].kept and backward[0].test < 0.75


def _step(direction: str, step: int, angle: str, kept: tuple[str, ...]) -> SelectionStep:
    return SelectionStep(direction, step, angle, kept, validation=0.5 + step, test=0.25 + step)


def test_a_step_ranking_follows_the_steps_and_puts_the_unranked_angles_last():
    names = ["hip", "knee", "ankle", "pelvis"]
    backward = [_step("backward", 1, "ankle", ("hip", "knee", "pelvis"))]
    backward.append(_step("backward", 2, "hip", ("knee", "pelvis")))
    assert step_ranking(backward, names).tolist() == [2, 0, 1, 3]
    assert step_ranking([], names).tolist() == [0, 1, 2, 3]


def test_retrainings_count_every_candidate_of_every_step():
    assert retrainings(4, 0) == 0
    assert retrainings(4, 1) == 4
    assert retrainings(4, 3) == 4 + 3 + 2


def test_the_curve_has_a_row_per_step_in_order_beside_the_full_model():
    steps = {
        "forward": [_step("forward", 1, "knee", ("knee",))],
        "backward": [
            _step("backward", 1, "hip", ("knee", "ankle")),
            _step("backward", 2, "ankle", ("knee",)),
        ],
    }
    rows = curve_rows(steps, Scores(validation=0.9, test=0.8))
    assert [(r["direction"], r["angles_kept"], r["test"], r["validation"]) for r in rows] == [
        ("forward", 1, 1.25, 1.5),
        ("backward", 2, 1.25, 1.5),
        ("backward", 1, 2.25, 2.5),
    ]
    assert {r["full_model_test"] for r in rows} == {0.8}
