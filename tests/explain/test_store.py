import numpy as np

from gaitops.explain.store import BY_CLASS_FILE, EXPLANATIONS_FILE, ClassMeans, Explanations


def _explanations(**outputs: np.ndarray) -> Explanations:
    return Explanations(
        sample_index=np.array([4, 9]),
        labels=np.array([0, 1]),
        folds=np.array([0, 1]),
        sample_ids=np.array(["S1/1/1", "S2/1/1"]),
        subjects=np.array(["S1", "S2"]),
        channels=np.array(["R/knee/sagittal"]),
        classes=np.array(["control", "parkinsons"]),
        **outputs,
    )


def test_explanations_come_back_as_written_details_included(tmp_path):
    written = _explanations(
        attributions=np.ones((2, 1, 101), dtype=np.float32),
        examples=np.zeros((2, 1, 101), dtype=np.float32),
        details={"valid": np.array([True, False])},
    )
    written.write(tmp_path)
    read = Explanations.read(tmp_path)
    assert read.outputs() == {"attributions", "examples"}
    assert read.convergence_error is None
    assert np.array_equal(read.details["valid"], [True, False])
    assert np.array_equal(read.subjects, ["S1", "S2"])
    assert np.array_equal(read.of_fold(1), [1])


def test_the_file_holds_no_pickled_objects_and_its_keys_in_a_fixed_order(tmp_path):
    _explanations(attributions=np.ones((2, 1, 101)), details={"valid": np.ones(2)}).write(tmp_path)
    with np.load(tmp_path / EXPLANATIONS_FILE, allow_pickle=False) as stored:
        assert stored.files[:2] == ["attributions", "detail_valid"]
        assert stored.files[2:] == [
            "sample_index",
            "labels",
            "folds",
            "sample_ids",
            "subjects",
            "channels",
            "classes",
        ]
        assert all(stored[key].dtype != object for key in stored.files)


def test_class_means_round_trip_and_say_whether_a_method_stored_them(tmp_path):
    assert not ClassMeans.stored_in(tmp_path)
    ClassMeans(np.ones((2, 1, 101)), np.array(["a"]), np.array(["x", "y"])).write(tmp_path)
    assert (tmp_path / BY_CLASS_FILE).exists() and ClassMeans.stored_in(tmp_path)
    assert ClassMeans.read(tmp_path).mean_abs.shape == (2, 1, 101)
