import pytest

from gaitops.data.validate import validate_table
from gaitops.settings.validate import ValidateSettings


@pytest.fixture(scope="module")
def rules() -> ValidateSettings:
    return ValidateSettings()


def failed(report) -> set[tuple[str, str, str | None]]:
    return {(c.table, c.expectation, c.column) for c in report.failures()}


def test_clean_table_passes(tiny_table, rules):
    report = validate_table(tiny_table, rules)
    assert report.success, report.summary()
    assert len(report.checks) > 30


def test_out_of_range_angle_is_reported_with_its_row(tiny_table, rules):
    knee = tiny_table.index[(tiny_table.joint == "knee") & (tiny_table.time == 40)][0]
    tiny_table.loc[knee, "angle"] = 500.0
    report = validate_table(tiny_table, rules)
    assert failed(report) == {("rows", "expect_column_values_to_be_between", "angle")}
    check = report.failures()[0]
    assert check.unexpected_count == 1
    assert 'joint=="knee"' in check.condition
    assert check.examples[0]["row"] == knee and check.examples[0]["angle"] == 500.0
    assert "marker or processing errors" in report.summary()


def test_missing_column_is_named_first(tiny_table, rules):
    report = validate_table(tiny_table.drop(columns=["side"]), rules)
    assert not report.success
    first = report.summary().splitlines()[1]
    assert "expect_table_columns_to_match_set" in first and "missing ['side']" in first


def test_truncated_curve_and_missing_side_are_caught(tiny_table, rules):
    truncated = tiny_table.drop(
        index=tiny_table.index[
            (tiny_table.subject == "S001")
            & (tiny_table.joint == "knee")
            & (tiny_table.side == "L")
            & (tiny_table.time > 90)
        ]
    )
    report = validate_table(truncated, rules)
    assert ("curves", "expect_column_values_to_be_between", "points") in failed(report)
    one_sided = tiny_table[~((tiny_table.subject == "S002") & (tiny_table.side == "R"))]
    report = validate_table(one_sided, rules)
    assert ("samples", "expect_column_values_to_be_between", "sides") in failed(report)


def test_duplicates_nulls_and_unknown_labels(tiny_table, rules):
    duplicated = tiny_table.iloc[[0]]
    with_null = tiny_table.copy()
    with_null.loc[3, "angle"] = float("nan")
    with_null.loc[4, "group"] = "astronaut"
    import pandas as pd

    report = validate_table(pd.concat([with_null, duplicated], ignore_index=True), rules)
    found = failed(report)
    assert (
        "rows",
        "expect_compound_columns_to_be_unique",
        "subject, session, cycle, side, joint, plane, time",
    ) in found
    assert ("rows", "expect_column_values_to_not_be_null", "angle") in found
    assert ("rows", "expect_column_values_to_be_in_set", "group") in found


def test_angles_in_radians_fail_the_range_of_motion_with_the_scale_fix(tiny_table, rules):
    import numpy as np

    tiny_table["angle"] = np.deg2rad(tiny_table["angle"])  # every value inside the ranges
    lines = np.arange(len(tiny_table)) + 2
    report = validate_table(tiny_table, rules, lines)
    assert failed(report) == {("curves", "expect_column_values_to_be_between", "motion")}
    knee = next(c for c in report.failures() if 'curve=="knee/sagittal"' in c.condition)
    first = tiny_table.index[(tiny_table.joint == "knee") & (tiny_table.side == "L")][0]
    assert knee.examples[0]["line"] == first + 2 and knee.examples[0]["motion"] < 1.5
    assert "(allowed: at least 10.0)" in report.summary()
    assert "radians, by the look of it" in report.summary()
    assert "data.conventions: {knee/sagittal: {scale: 57.2958}}" in report.summary()


def test_a_stiff_joint_can_be_allowed_by_validate_min_motion(tiny_table):
    from gaitops.settings.validate import ValidateSettings

    knee = tiny_table["joint"] == "knee"
    tiny_table.loc[knee, "angle"] = 20 + 0.1 * tiny_table.loc[knee, "angle"]  # moves ~6 degrees
    assert not validate_table(tiny_table, ValidateSettings()).success
    allowed = ValidateSettings(min_motion={"knee/sagittal": 2})
    assert validate_table(tiny_table, allowed).success
