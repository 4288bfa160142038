import numpy as np
import pytest

from gaitops.data.schema import COLUMNS, PHYSIOLOGICAL_RANGES, TIME_POINTS
from gaitops.data.sources.synthetic import generate
from gaitops.errors import ConfigError
from gaitops.settings.synthetic import SyntheticSettings


def test_shape_and_columns():
    settings = SyntheticSettings(subjects_per_group=2, cycles_per_session=2)
    table = generate(settings)
    assert tuple(table.columns) == COLUMNS
    assert table["subject"].nunique() == 6
    assert len(table) == 6 * 2 * 2 * 9 * TIME_POINTS  # subjects x cycles x sides x curves x points


def test_same_seed_same_table_other_seed_other_table():
    a = generate(SyntheticSettings(subjects_per_group=2))
    b = generate(SyntheticSettings(subjects_per_group=2))
    c = generate(SyntheticSettings(subjects_per_group=2, seed=99))
    assert a.equals(b)
    assert not a["angle"].equals(c["angle"])


def test_angles_are_physiological():
    table = generate(SyntheticSettings(subjects_per_group=5, noise_deg=3.0))
    for (joint, plane), group in table.groupby(["joint", "plane"]):
        low, high = PHYSIOLOGICAL_RANGES[(joint, plane)]
        assert group["angle"].between(low, high).all(), (joint, plane)


def test_known_group_effect_is_present():
    table = generate(SyntheticSettings(subjects_per_group=8, group_effect=0.3, noise_deg=1.0))
    knee = table[(table.joint == "knee") & (table.plane == "sagittal") & (table.side == "R")]
    rom = (
        knee.groupby(["subject", "group"])["angle"]
        .agg(lambda a: a.max() - a.min())
        .groupby("group")
        .mean()
    )
    assert rom["amputee"] < rom["parkinsons"] < rom["control"]
    assert np.isclose(rom["amputee"] / rom["control"], 0.4, atol=0.1)


def test_unknown_curve_or_group_is_refused():
    with pytest.raises(ConfigError, match="elbow/sagittal"):
        generate(SyntheticSettings(curves=["elbow/sagittal"]))
    with pytest.raises(ConfigError, match="stroke"):
        generate(SyntheticSettings(groups=["control", "stroke"]))
