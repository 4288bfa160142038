import numpy as np

from gaitops.data.encode import encode_angle_regression, encode_joint_classification
from gaitops.data.sources.synthetic import UCI_LIKE, generate

UCI_SHAPED = UCI_LIKE


def test_uci_shaped_data_gives_the_papers_29_and_27_inputs():
    table = generate(UCI_SHAPED)
    assert len(table) == 181_800
    regression = encode_angle_regression(table)
    classification = encode_joint_classification(table)
    assert regression.x.shape == (
        181_800,
        29,
    )  # 10 subjects + 3 conditions + 10 replications + 2 legs + 3 joints + time
    assert classification.x.shape == (181_800, 27)  # ... - 3 joints + angle
    assert classification.classes == ["ankle", "hip", "knee"]
    assert regression.input_names[-1] == "time" and classification.input_names[-2:] == [
        "time",
        "angle",
    ]


def test_one_hot_rows_and_targets(tiny_table):
    encoded = encode_angle_regression(tiny_table)
    one_hot = encoded.x[:, :-1]
    assert set(np.unique(one_hot)) <= {0.0, 1.0}
    assert np.array_equal(encoded.y, tiny_table["angle"].to_numpy(np.float32))
    subject_columns = [i for i, n in enumerate(encoded.input_names) if n.startswith("subject=")]
    assert np.all(one_hot[:, subject_columns].sum(axis=1) == 1)
