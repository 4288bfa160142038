"""Drift between two canonical tables: what moved, where in the cycle, past which threshold."""

import pandas as pd

from gaitops.data.drift import compare, profile
from gaitops.data.sources.synthetic import generate
from gaitops.settings.validate import DriftThresholds

LIMITS = DriftThresholds()


def test_the_same_population_does_not_drift(tiny_settings):
    before = generate(tiny_settings.synthetic)
    again = generate(tiny_settings.synthetic.model_copy(update={"seed": 99}))  # other people
    drift = compare(profile(before), profile(again), LIMITS)
    assert not drift.beyond, drift.summary()
    assert drift.new_subjects == drift.removed_subjects == 0  # the same ids, other curves


def test_a_shifted_knee_is_named_with_its_phase(tiny_settings):
    table = generate(tiny_settings.synthetic)
    knee = table["joint"] == "knee"
    shifted = table.assign(angle=table["angle"].where(~knee, table["angle"] + 25.0))
    drift = compare(profile(table), profile(shifted), LIMITS)
    assert drift.beyond and "mean curve shift" in drift.summary()
    assert "/knee/sagittal at" in drift.summary()


def test_radians_collapse_the_range_of_motion(tiny_settings):
    table = generate(tiny_settings.synthetic)
    drift = compare(profile(table), profile(table.assign(angle=table["angle"] / 57.2958)), LIMITS)
    assert "range of motion change -98%" in drift.summary()


def test_a_changed_case_mix_and_new_subjects_are_counted(tiny_settings):
    table = generate(tiny_settings.synthetic)
    controls = table[table["group"] == "control"]
    more = controls.assign(subject="extra-" + controls["subject"].astype(str))
    drift = compare(profile(table), profile(pd.concat([table, more])), LIMITS)
    assert drift.new_subjects == controls["subject"].nunique()
    assert any(
        f["measure"] == "group share change" and f["where"] == "control" for f in drift.findings
    )
