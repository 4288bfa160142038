import os
from pathlib import Path

import pandas as pd
import pytest

from gaitops.config import Settings
from gaitops.data.fetch import DATA_DIR_ENV
from gaitops.data.sources import fgdi
from gaitops.data.sources.fgdi import read_fgdi
from gaitops.errors import ChecksumMismatch, DataSourceError

ID_ROW = {"SubjectStudyID": 1, "GLID": 1, "SessionName": "FirstCondition", "TrialName": "t"}
CURVES = [("HipAngles", 2), ("KneeAngles", 2), ("PelvisAngles", 1)]


def fgdi_file(path: Path, sessions: list[str], drop: str | None = None) -> Path:
    rows = []
    for s, session in enumerate(sessions):
        for side in ("L", "R"):
            for variable, dim in CURVES:
                row = {
                    **ID_ROW,
                    "SessionID": session,
                    "Side": side,
                    "VariableName": variable,
                    "Dim": dim,
                    "StrideID": 100 + s,
                }
                row.update({f"GCpc_{i}": float(i % 30) for i in range(101)})
                rows.append(row)
    frame = pd.DataFrame(rows)
    if drop:
        frame = frame.drop(columns=[drop])
    frame.to_csv(path, index=False)
    return path


def test_groups_subjects_conditions_and_planes(tmp_path):
    path = fgdi_file(tmp_path / "k.csv", ["WBDS01", "SUB03_off", "SUB03_on", "TF07"])
    table = read_fgdi(path)
    sessions = table.drop_duplicates("session").set_index("session")
    assert sessions.loc["WBDS01", ["subject", "group", "condition"]].tolist() == [
        "WBDS01",
        "control",
        "none",
    ]
    assert sessions.loc["SUB03_on", ["subject", "group", "condition"]].tolist() == [
        "SUB03",
        "parkinsons",
        "medication_on",
    ]
    assert sessions.loc["TF07", "group"] == "amputee"
    assert table.loc[table.session == "SUB03_off", "subject"].unique().tolist() == [
        "SUB03"
    ]  # one person, both states
    assert set(zip(table.joint, table.plane, strict=True)) == {
        ("hip", "sagittal"),
        ("knee", "sagittal"),
        ("pelvis", "frontal"),
    }
    assert table.groupby(["session", "side", "joint", "plane"]).size().eq(101).all()


def test_missing_column_is_named(tmp_path):
    path = fgdi_file(tmp_path / "k.csv", ["WBDS01"], drop="Side")
    with pytest.raises(DataSourceError, match=r"k\.csv: missing column\(s\) Side"):
        read_fgdi(path)


def test_unknown_session_names_file_row_and_column(tmp_path):
    path = fgdi_file(tmp_path / "k.csv", ["WBDS01", "XYZ9"])
    with pytest.raises(DataSourceError, match=r"k\.csv, row 8, column SessionID: 'XYZ9'"):
        read_fgdi(path)


def test_wrong_hash_is_refused_naming_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("GAITOPS_CACHE_DIR", str(tmp_path / "cache"))
    fgdi_file(tmp_path / "fgdi_kinematics.csv", ["WBDS01"])
    (tmp_path / "fgdi").mkdir()
    (tmp_path / "fgdi_kinematics.csv").rename(tmp_path / "fgdi" / "fgdi_kinematics.csv")
    with pytest.raises(ChecksumMismatch, match=r"fgdi_kinematics\.csv: sha256"):
        fgdi.load(Settings(), tmp_path)


@pytest.mark.skipif(not os.environ.get(DATA_DIR_ENV), reason=f"{DATA_DIR_ENV} not set")
def test_real_fgdi_data_matches_its_description():
    loaded = fgdi.load(Settings(), Path(os.environ[DATA_DIR_ENV]))
    table = loaded.table
    assert loaded.info.files == {"fgdi_kinematics.csv": fgdi.KINEMATICS.digest}
    assert len(table) == 1872 * 101
    assert table["session"].nunique() == 104
    assert table.groupby("group")["subject"].nunique().to_dict() == {
        "amputee": 18,
        "control": 42,
        "parkinsons": 22,
    }
