import numpy as np
import pytest

from gaitops.data.cycles import build_cycles
from gaitops.errors import DataSourceError


def test_tensor_shape_labels_and_subjects(tiny_table):
    cycles = build_cycles(tiny_table, "group")
    assert cycles.x.shape == (12, 8, 101)
    assert cycles.x.dtype == np.float32
    assert cycles.classes == ["amputee", "control", "parkinsons"]
    assert (
        cycles.input_names[0] == "L/pelvis/frontal" and cycles.input_names[-1] == "R/ankle/sagittal"
    )
    assert np.bincount(cycles.y).tolist() == [4, 4, 4]
    assert len(set(cycles.subjects)) == 12


def test_values_land_in_their_channel_and_time(tiny_table):
    cycles = build_cycles(tiny_table, "group")
    row = tiny_table[
        (tiny_table.subject == "S005")
        & (tiny_table.side == "R")
        & (tiny_table.joint == "knee")
        & (tiny_table.time == 70)
    ]
    sample = cycles.sample_ids.index("S005/S005_s1/1")
    assert cycles.x[sample, cycles.input_names.index("R/knee/sagittal"), 70] == pytest.approx(
        row["angle"].item(), abs=1e-4
    )


def test_channel_subset_and_unknown_channel(tiny_table):
    cycles = build_cycles(tiny_table, "group", ["R/knee/sagittal", "L/knee/sagittal"])
    assert cycles.input_names == ["R/knee/sagittal", "L/knee/sagittal"]
    with pytest.raises(DataSourceError, match="R/elbow/sagittal"):
        build_cycles(tiny_table, "group", ["R/elbow/sagittal"])


def test_shape_inputs_remove_each_curve_mean_and_keep_its_movement(tiny_table):
    from gaitops.data.inputs import build_dataset
    from gaitops.tasks import TASKS

    task = TASKS["group_classification"]
    angles = build_dataset(tiny_table, task, "group", "all", "angles")
    shape = build_dataset(tiny_table, task, "group", "all", "shape")
    assert np.allclose(shape.x.mean(axis=2), 0.0, atol=1e-4)
    assert np.allclose(np.ptp(shape.x, axis=2), np.ptp(angles.x, axis=2), atol=1e-4)
    assert shape.sample_ids == angles.sample_ids and np.array_equal(shape.y, angles.y)
