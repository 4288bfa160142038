"""Property-based tests of the long_csv adapter on generated files (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaitops.config import Settings
from gaitops.data.sources.long_csv import load
from gaitops.errors import BadNumber

SPELLINGS = [
    ({}, "L", "R"),
    ({}, "left", "Right"),
    ({"affected": "R", "unaffected": "L"}, "unaffected", "affected"),
]
FORMATS = [(",", "."), (";", ","), (";", "."), ("\t", ","), ("|", ".")]


def canonical(seed: int, subjects: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(subjects):
        for side in ("L", "R"):
            for joint in ("knee", "ankle"):
                angles = rng.normal(10, 15, 101).round(rng.integers(0, 9))
                rows.append(
                    pd.DataFrame(
                        {
                            "subject": f"P{s}",
                            "side": side,
                            "joint": joint,
                            "time": range(101),
                            "angle": angles,
                            "group": "control" if s % 2 else "parkinsons",
                        }
                    )
                )
    return pd.concat(rows, ignore_index=True)


def read(table: pd.DataFrame, spelling: tuple, fmt: tuple, convention: tuple) -> tuple:
    mapping, left, right = spelling
    delimiter, decimal = fmt
    sign, offset = convention
    theirs = table.copy()
    theirs["side"] = theirs["side"].map({"L": left, "R": right})
    if (sign, offset) != (1, 0.0):  # their convention for the ankle
        ankle = theirs["joint"] == "ankle"
        theirs.loc[ankle, "angle"] = (theirs.loc[ankle, "angle"] - offset) * sign
    folder = Path(tempfile.mkdtemp())
    path = folder / "gen.csv"
    theirs.to_csv(path, index=False, sep=delimiter, decimal=decimal, float_format="%.12g")
    params = {
        "data": {
            "source": "long_csv",
            "csv_path": str(path),
            "delimiter": delimiter,
            "decimal": decimal,
            "values": {"side": mapping},
            "conventions": {"ankle/sagittal": {"sign": sign, "offset": offset}},
        }
    }
    return load(Settings.model_validate(params)), path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    subjects=st.integers(1, 3),
    spelling=st.sampled_from(SPELLINGS),
    fmt=st.sampled_from(FORMATS),
    convention=st.tuples(st.sampled_from([1, -1]), st.sampled_from([0.0, 90.0, -12.5])),
)
def test_any_spelling_format_and_convention_reads_back_the_canonical_table(
    seed, subjects, spelling, fmt, convention
):
    table = canonical(seed, subjects)
    loaded, _ = read(table, spelling, fmt, convention)
    assert loaded.table["side"].tolist() == table["side"].tolist()
    assert loaded.table["angle"].to_numpy() == pytest.approx(table["angle"].to_numpy(), abs=1e-9)
    assert loaded.table["time"].tolist() == table["time"].tolist()
    assert loaded.lines.tolist() == list(range(2, len(table) + 2))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    row=st.integers(0, 2 * 2 * 101 - 1),
    junk=st.text(alphabet="abcxyz°?-", min_size=1, max_size=5).filter(
        lambda t: t.strip("-") != "" and t not in {"nan", "inf"}
    ),
    fmt=st.sampled_from(FORMATS),
)
def test_text_anywhere_in_the_angles_is_reported_at_its_line(seed, row, junk, fmt):
    table = canonical(seed, 1).astype({"angle": object})
    table.loc[row, "angle"] = junk
    with pytest.raises(BadNumber) as caught:
        read(table.astype({"angle": str}), SPELLINGS[0], fmt, (1, 0.0))
    assert caught.value.line == row + 2 and caught.value.column == "angle"
