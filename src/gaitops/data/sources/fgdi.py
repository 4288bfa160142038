"""Clinical 3D gait kinematics: healthy adults, Parkinson's disease (off/on), transfemoral amputees.

One stride per side per session, nine angle curves per stride, 101 points (``GCpc_0..100``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from gaitops.config import Settings
from gaitops.data.fetch import PinnedFile, data_dir_from_env, locate
from gaitops.data.schema import coerce
from gaitops.data.sources import LoadedSource, SourceInfo
from gaitops.data.sources.wide import melt_percent_columns, percent_columns
from gaitops.errors import DataSourceError

KINEMATICS = PinnedFile(
    relative_path="fgdi/fgdi_kinematics.csv",
    url=(
        "https://raw.githubusercontent.com/mcareyucd/FGDI/"
        "54c4e833f346f73b6923c2b602f83ea66e73fc4d/Parkinsons_Data.csv"
    ),
    digest="4ff6198afc4f6f286c84558a88e15d0a66333038de1e2dc35c402777dd731321",
)
ID_COLUMNS = ["SessionID", "Side", "VariableName", "Dim", "StrideID"]
PERCENT_PREFIX = "GCpc_"
JOINT_BY_VARIABLE = {
    "PelvisAngles": "pelvis",
    "HipAngles": "hip",
    "KneeAngles": "knee",
    "AnkleAngles": "ankle",
    "FootProgressAngles": "foot_progression",
}
PLANE_BY_DIM = {1: "frontal", 2: "sagittal", 3: "transverse"}
GROUP_BY_PREFIX = {"WBDS": "control", "SUB": "parkinsons", "TF": "amputee"}
SESSION_PATTERN = re.compile(
    r"^(?P<subject>(?P<prefix>WBDS|SUB|TF)\d+)(?:_(?P<medication>off|on))?$"
)


def read_fgdi(path: Path) -> pd.DataFrame:
    """Parse an fgdi-format kinematics CSV into the canonical table (no hash check)."""
    try:
        wide = pd.read_csv(path, encoding="utf-8-sig").copy()
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataSourceError(f"{path}: cannot be read as CSV: {exc}") from exc
    required = ID_COLUMNS + percent_columns(PERCENT_PREFIX)
    missing = [c for c in required if c not in wide.columns]
    if missing:
        raise DataSourceError(
            f"{path}: missing column(s) {', '.join(missing[:8])}"
            f"{' ...' if len(missing) > 8 else ''}. An fgdi file has {', '.join(ID_COLUMNS)} "
            f"and {PERCENT_PREFIX}0..{PERCENT_PREFIX}100."
        )
    sessions = wide["SessionID"].astype(str).str.extract(SESSION_PATTERN)
    bad = sessions["subject"].isna()
    if bad.any():
        row = int(bad.idxmax())
        raise DataSourceError(
            f"{path}, row {row + 2}, column SessionID: {wide.at[row, 'SessionID']!r} is not "
            "WBDSnn, SUBnn_off, SUBnn_on or TFnn."
        )
    unknown_variable = ~wide["VariableName"].isin(list(JOINT_BY_VARIABLE))
    unknown_dim = ~wide["Dim"].isin(list(PLANE_BY_DIM))
    for mask, column, allowed in (
        (unknown_variable, "VariableName", list(JOINT_BY_VARIABLE)),
        (unknown_dim, "Dim", list(PLANE_BY_DIM)),
    ):
        if mask.any():
            row = int(mask.idxmax())
            raise DataSourceError(
                f"{path}, row {row + 2}, column {column}: {wide.at[row, column]!r} is not one of {allowed}."
            )
    wide = wide.assign(
        subject=sessions["subject"],
        session=wide["SessionID"].astype(str),
        side=wide["Side"].astype(str),
        joint=wide["VariableName"].map(JOINT_BY_VARIABLE),
        plane=wide["Dim"].map(PLANE_BY_DIM),
        group=sessions["prefix"].map(GROUP_BY_PREFIX),
        condition=sessions["medication"]
        .map({"off": "medication_off", "on": "medication_on"})
        .fillna("none"),
    )
    # Strides are numbered per session and side in recording order: cycle 1, 2, ...
    wide["cycle"] = (
        wide.groupby(["session", "side"])["StrideID"].rank(method="dense").astype("int64")
    )
    id_columns = ["subject", "session", "cycle", "side", "joint", "plane", "group", "condition"]
    long = melt_percent_columns(
        wide[id_columns + percent_columns(PERCENT_PREFIX)], id_columns, PERCENT_PREFIX
    )
    long = long.sort_values(["subject", "session", "cycle", "side", "joint", "plane", "time"])
    return coerce(long)


def load(settings: Settings, data_dir: Path | None = None) -> LoadedSource:
    """The verified fgdi kinematics as the canonical table."""
    path, digest = locate(KINEMATICS, data_dir or data_dir_from_env(), settings.data.download)
    return LoadedSource(
        table=read_fgdi(path),
        info=SourceInfo(
            name="fgdi",
            files={Path(KINEMATICS.relative_path).name: digest},
            description="clinical 3D gait kinematics: 42 controls, 22 Parkinson's (off/on), 18 amputees",
        ),
    )
