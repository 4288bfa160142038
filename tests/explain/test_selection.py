"""Sequential angle selection with retraining finds the one angle that carries the label."""

from __future__ import annotations

import numpy as np
import pytest

from gaitops.data.dataset import GaitDataset
from gaitops.explain.selection import SelectionProblem, keeping, sequential_selection
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
