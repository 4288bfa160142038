import pandas as pd
import pytest

from gaitops.config import ColumnMap
from gaitops.data.schema import COLUMNS
from gaitops.data.sources.long_csv import map_columns
from gaitops.errors import DataSourceError

USER_NAMES = ColumnMap(
    subject="Patient",
    side="Leg",
    joint="Joint",
    time="Pct",
    angle="Deg",
    label="Diagnosis",
    cycle="Stride",
)


def user_frame(tiny_table) -> pd.DataFrame:
    return tiny_table.rename(
        columns={
            "subject": "Patient",
            "side": "Leg",
            "joint": "Joint",
            "time": "Pct",
            "angle": "Deg",
            "group": "Diagnosis",
            "cycle": "Stride",
        }
    ).drop(columns=["session", "plane", "condition"])


def test_long_layout_with_user_names(tiny_table, tmp_path):
    frame = user_frame(tiny_table).assign(Leg=lambda f: f["Leg"].map({"L": "left", "R": "right"}))
    table = map_columns(frame, USER_NAMES, "long", "GCpc_", tmp_path / "mine.csv")
    assert tuple(table.columns) == COLUMNS
    assert set(table["side"]) == {"L", "R"} and set(table["plane"]) == {"sagittal"}
    assert (table["session"] == table["subject"]).all() and set(table["condition"]) == {"none"}
    assert table["angle"].to_numpy().tolist() == tiny_table["angle"].to_numpy().tolist()


def test_wide_layout(tiny_table, tmp_path):
    keys = ["subject", "side", "joint", "plane", "group"]
    wide = tiny_table.pivot_table(index=keys, columns="time", values="angle").reset_index()
    wide.columns = [*keys, *[f"P{t}" for t in range(101)]]
    columns = ColumnMap(plane="plane", time="unused", angle="unused")
    table = map_columns(wide, columns, "wide", "P", tmp_path / "wide.csv")
    assert len(table) == len(tiny_table)
    assert table.groupby(["subject", "side", "joint"]).size().eq(101).all()


def test_missing_column_names_the_params_key(tiny_table, tmp_path):
    frame = user_frame(tiny_table).drop(columns=["Leg"])
    with pytest.raises(
        DataSourceError, match=r"mine\.csv: no column for data\.columns\.side = 'Leg'"
    ):
        map_columns(frame, USER_NAMES, "long", "GCpc_", tmp_path / "mine.csv")


def test_unknown_side_value_names_row_and_column(tiny_table, tmp_path):
    frame = user_frame(tiny_table)
    frame.loc[4, "Leg"] = "middle"
    with pytest.raises(DataSourceError, match=r"row 6, column 'Leg': 'middle'"):
        map_columns(frame, USER_NAMES, "long", "GCpc_", tmp_path / "mine.csv")


def test_wide_layout_without_the_percent_columns_says_so(tiny_table, tmp_path):
    columns = ColumnMap(plane="plane")
    with pytest.raises(
        DataSourceError, match=r"101 cycle-% columns such as 'P0' \(data\.wide_prefix\)"
    ):
        map_columns(tiny_table, columns, "wide", "P", tmp_path / "wide.csv")
