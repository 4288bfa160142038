"""Wide curves (one column per % of gait cycle) -> long rows: shared by wide-format adapters."""

from __future__ import annotations

import pandas as pd

from gaitops.data.schema import TIME_POINTS


def percent_columns(prefix: str) -> list[str]:
    return [f"{prefix}{i}" for i in range(TIME_POINTS)]


def melt_percent_columns(frame: pd.DataFrame, id_columns: list[str], prefix: str) -> pd.DataFrame:
    """One row per (id columns, time) with `angle`, from columns ``{prefix}0..{prefix}100``."""
    long = frame.melt(
        id_vars=id_columns, value_vars=percent_columns(prefix), var_name="time", value_name="angle"
    )
    long["time"] = long["time"].str.slice(len(prefix)).astype("int64")
    return long
