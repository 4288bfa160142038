"""The user's own CSV: mapped by params alone, and every bad file named by file, line and column."""

from __future__ import annotations

import gzip
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gaitops.config import Settings
from gaitops.data.schema import COLUMNS
from gaitops.data.sources.long_csv import load
from gaitops.errors import (
    BadInput,
    BadNumber,
    ConfigError,
    IncompleteCurve,
    LabelConflict,
    MissingColumns,
    UnknownLabel,
    UnreadableFile,
)

USER_COLUMNS = {
    "subject": "Patient",
    "side": "Leg",
    "joint": "Joint",
    "time": "Pct",
    "angle": "Deg",
    "label": "Diagnosis",
    "cycle": "Stride",
    "plane": "Plane",
}


def settings_for(path: Path, tiny_settings: Settings, **data: object) -> Settings:
    update = {"source": "long_csv", "csv_path": str(path), "columns": USER_COLUMNS, **data}
    return Settings.model_validate(
        {
            **tiny_settings.model_dump(by_alias=True),
            "data": {**tiny_settings.data.model_dump(), **update},
        }
    )


@pytest.fixture
def frame(tiny_table) -> pd.DataFrame:
    one_session = tiny_table[
        tiny_table["session"] == tiny_table.groupby("subject")["session"].transform("first")
    ]
    out = one_session.drop(columns=["session", "condition"]).rename(
        columns={
            "subject": "Patient",
            "side": "Leg",
            "joint": "Joint",
            "time": "Pct",
            "angle": "Deg",
            "group": "Diagnosis",
            "cycle": "Stride",
            "plane": "Plane",
        }
    )
    return out.reset_index(drop=True)


def write(frame: pd.DataFrame, path: Path, **options: object) -> Path:
    frame.to_csv(path, index=False, **options)
    return path


def test_long_layout_with_user_names_and_spellings(frame, tiny_settings, tmp_path):
    frame["Leg"] = frame["Leg"].map({"L": "left", "R": "right"})
    path = write(frame, tmp_path / "mine.csv")
    loaded = load(settings_for(path, tiny_settings))
    assert tuple(loaded.table.columns) == COLUMNS
    assert set(loaded.table["side"]) == {"L", "R"}
    assert (loaded.table["session"] == loaded.table["subject"]).all()
    assert set(loaded.table["condition"]) == {"none"}
    assert loaded.table["angle"].tolist() == pytest.approx(frame["Deg"].tolist())
    assert loaded.lines.tolist() == list(range(2, len(frame) + 2))


def test_other_side_labels_ankle_convention_delimiter_and_decimal_by_params(
    frame, tiny_settings, tmp_path
):
    """affected / unaffected sides, ankle angles stored 90 degrees off and sign-flipped, `;` and `,`."""
    theirs = frame.copy()
    theirs["Leg"] = theirs["Leg"].map({"R": "affected", "L": "unaffected"})
    ankle = theirs["Joint"] == "ankle"
    theirs.loc[ankle, "Deg"] = 90.0 - theirs.loc[ankle, "Deg"]
    theirs["Diagnosis"] = theirs["Diagnosis"].map(lambda g: g.upper())
    path = write(theirs, tmp_path / "clinic.csv", sep=";", decimal=",")
    settings = settings_for(
        path,
        tiny_settings,
        delimiter=";",
        decimal=",",
        values={
            "side": {"affected": "R", "unaffected": "L"},
            "group": {g.upper(): g for g in tiny_settings.validate_.groups},
        },
        side_meaning="R = affected, L = unaffected",
        conventions={"ankle/sagittal": {"offset": 90.0, "sign": -1}},
    )
    loaded = load(settings)
    assert loaded.table["angle"].to_numpy() == pytest.approx(frame["Deg"].to_numpy(), abs=1e-9)
    assert loaded.table["side"].tolist() == frame["Leg"].tolist()
    assert loaded.info.conventions["side_meaning"] == "R = affected, L = unaffected"
    assert loaded.info.conventions["angle_conventions"] == {
        "ankle/sagittal": {"offset": 90.0, "sign": -1}
    }


def test_angles_in_radians_are_made_degrees_by_the_conventions_scale(
    frame, tiny_settings, tmp_path
):
    radians = frame.assign(Deg=np.deg2rad(frame["Deg"]))
    path = write(radians, tmp_path / "radians.csv")
    curves = {f"{j}/{p}" for j, p in zip(frame["Joint"], frame["Plane"], strict=True)}
    scale = {c: {"scale": 57.2958} for c in curves}
    loaded = load(settings_for(path, tiny_settings, conventions=scale))
    assert loaded.table["angle"].to_numpy() == pytest.approx(frame["Deg"].to_numpy(), rel=1e-5)
    assert loaded.info.conventions["angle_conventions"]["knee/sagittal"] == {
        "offset": 0.0,
        "sign": 1,
        "scale": 57.2958,
    }


@pytest.mark.parametrize(("time", "axis"), [("1..101", {"offset": -1}), ("0..1", {"scale": 100})])
def test_a_time_axis_other_than_0_to_100_is_mapped_by_data_time(
    time, axis, frame, tiny_settings, tmp_path
):
    theirs = frame.assign(Pct=frame["Pct"] + 1 if time == "1..101" else frame["Pct"] / 100)
    loaded = load(settings_for(write(theirs, tmp_path / "t.csv"), tiny_settings, time=axis))
    assert loaded.table["time"].tolist() == frame["Pct"].tolist()
    assert loaded.info.conventions["time"] == {"offset": 0.0, "scale": 1.0, **axis}


def test_joint_and_plane_spellings_are_mapped_and_unwanted_curves_dropped(
    frame, tiny_settings, tmp_path
):
    theirs = frame.assign(
        Joint=frame["Joint"].map(lambda j: {"knee": "Knee_Flexion"}.get(j, j)),
        Plane=frame["Plane"].map({"sagittal": "SAG", "frontal": "cor"}),
    )
    elbow = theirs[theirs["Joint"] == "hip"].assign(Joint="elbow")  # a curve gaitops lacks
    path = write(pd.concat([theirs, elbow]), tmp_path / "lab.csv")
    wanted = sorted({f"{j}/{p}" for j, p in zip(frame["Joint"], frame["Plane"], strict=True)})
    settings = settings_for(
        path,
        tiny_settings,
        values={"joint": {"knee_flexion": "knee"}, "plane": {"sag": "sagittal", "COR": "frontal"}},
        curves=wanted,
    )
    loaded = load(settings)
    assert len(loaded.table) == len(frame) and "elbow" not in set(loaded.table["joint"])
    assert loaded.table["joint"].tolist() == frame["Joint"].tolist()
    assert loaded.table["plane"].tolist() == frame["Plane"].tolist()
    assert loaded.lines.tolist() == list(range(2, len(frame) + 2))  # the file's lines
    assert loaded.info.conventions["curves"] == wanted


def test_wide_layout(frame, tiny_settings, tmp_path):
    keys = ["Patient", "Stride", "Leg", "Joint", "Plane", "Diagnosis"]
    wide = frame.pivot_table(index=keys, columns="Pct", values="Deg").reset_index()
    wide.columns = [*keys, *[f"P{t}" for t in range(101)]]
    path = write(wide, tmp_path / "wide.csv")
    loaded = load(settings_for(path, tiny_settings, layout="wide", wide_prefix="P"))
    assert len(loaded.table) == len(frame)
    assert loaded.table.groupby(["subject", "side", "joint"]).size().eq(101).all()
    assert set(loaded.lines) == set(range(2, len(wide) + 2))


def _bad(frame: pd.DataFrame, kind: str, path: Path) -> dict[str, object]:
    """Write one kind of bad file; return the params it is read with."""
    params: dict[str, object] = {}
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "header only":
        path.write_text(",".join(frame.columns) + "\n")
    elif kind == "missing column":
        write(frame.drop(columns=["Leg"]), path)
    elif kind == "renamed column":
        write(frame.rename(columns={"Deg": "Angle"}), path)
    elif kind == "text in numbers":
        frame = frame.astype({"Deg": object})
        frame.loc[6, "Deg"] = "12,5deg"
        write(frame, path)
    elif kind == "NaN":
        frame.loc[6, "Deg"] = np.nan
        write(frame, path)
    elif kind == "inf":
        frame.loc[6, "Deg"] = np.inf
        write(frame, path)
    elif kind == "fractional time":
        frame["Pct"] = frame["Pct"].astype(float)
        frame.loc[6, "Pct"] = 5.5
        write(frame, path)
    elif kind == "truncated cycle":
        write(frame.drop(index=range(50, 101)), path)
    elif kind == "missing points":
        write(frame.drop(index=[6]), path)
    elif kind == "duplicate rows":
        write(pd.concat([frame.iloc[:7], frame.iloc[[6]], frame.iloc[7:]]), path)
    elif kind == "unknown side":
        frame.loc[6, "Leg"] = "middle"
        write(frame, path)
    elif kind == "unknown group":
        frame.loc[6, "Diagnosis"] = "stroke"
        write(frame, path)
    elif kind == "wrong delimiter":
        write(frame, path, sep=";")
    elif kind == "tab-separated":
        write(frame, path, sep="\t")
    elif kind == "comment preamble":
        path.write_text("# lab X export\n# 2026-12-01\n# v2\n" + frame.to_csv(index=False))
    elif kind == "text preamble":
        path.write_text("Lab X gait export\n\n" + frame.to_csv(index=False))
    elif kind == "extra cell":
        lines = frame.to_csv(index=False).splitlines(keepends=True)
        lines[7] = lines[7].rstrip("\n") + ",oops\n"
        path.write_text("".join(lines))
    elif kind == "quoted newline, later bad value":
        frame = frame.astype({"Deg": object})
        frame.loc[6, "Deg"] = "12,5deg"  # data row 6: line 8, and 1 more for the quoted newline
        lines = frame.to_csv(index=False).splitlines(keepends=True)
        patient = str(frame.loc[2, "Patient"])
        lines[3] = lines[3].replace(patient, f'"{patient}\n(re-coded)"', 1)  # a 2-line cell
        path.write_text("".join(lines))
    elif kind == "preamble skipped, later bad value":
        frame = frame.astype({"Deg": object})
        frame.loc[6, "Deg"] = "12,5deg"
        path.write_text("# lab X\nexported 2026\n# v2\n" + frame.to_csv(index=False))
        params["skip_rows"] = 3
    elif kind == "gzip, later bad value":
        frame = frame.astype({"Deg": object})
        frame.loc[6, "Deg"] = "12,5deg"
        path.write_bytes(gzip.compress(frame.to_csv(index=False).encode()))
    elif kind == "damaged gzip":
        path.write_bytes(gzip.compress(frame.to_csv(index=False).encode())[:200])
    elif kind == "zip archive":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("mine.csv", frame.to_csv(index=False))
    elif kind == "one subject under two groups":
        first = frame["Patient"].iloc[0]  # a control subject, again as parkinsons
        write(
            pd.concat([frame, frame[frame["Patient"] == first].assign(Diagnosis="parkinsons")]),
            path,
        )
    elif kind == "ids differing by leading zeros":
        first = frame["Patient"].iloc[0]
        ids = frame["Patient"].where(frame["Patient"] != first, "007")
        write(frame.assign(Patient=ids.where((ids != "007") | (frame["Leg"] == "L"), "7")), path)
    elif kind == "ids differing by case":
        first = frame["Patient"].iloc[0]
        right = (frame["Patient"] == first) & (frame["Leg"] == "R")
        write(frame.assign(Patient=frame["Patient"].where(~right, first.lower())), path)
    elif kind == "unknown curve in data.curves":
        write(frame, path)
        params["curves"] = ["knee/sagittal", "elbow/sagittal"]
    elif kind == "none of data.curves in the file":
        write(frame, path)
        params["curves"] = ["knee/frontal"]
    elif kind == "non-UTF-8 bytes":
        text = frame.to_csv(index=False).replace("Patient", "Pati\xe9nt")
        path.write_bytes(text.encode("latin-1"))
    elif kind == "a directory":
        path.mkdir()
    elif kind == "not found":
        pass
    elif kind == "unreadable":
        write(frame, path)
        path.chmod(0)
    elif kind == "time 1..101":
        write(frame.assign(Pct=frame["Pct"] + 1), path)
    elif kind == "time 0..1":
        write(frame.assign(Pct=frame["Pct"] / 100), path)
    elif kind == "time mapped but off":
        write(frame.assign(Pct=frame["Pct"] + 1), path)
        params["time"] = {"offset": -0.5}
    elif kind == "unknown convention curve":
        write(frame, path)
        params["conventions"] = {"elbow/sagittal": {"offset": 90}}
    else:
        raise AssertionError(kind)
    return params


def _permission_denied(self: Path) -> bytes:
    raise PermissionError(13, "Permission denied", str(self))


# kind -> (error class, line, column, words the message must hold)
CORPUS: dict[str, tuple[type[Exception], int | None, str | None, str]] = {
    "empty": (UnreadableFile, None, None, "is empty"),
    "header only": (UnreadableFile, 2, None, "no data rows"),
    "missing column": (MissingColumns, 1, None, "data.columns.side"),
    "renamed column": (MissingColumns, 1, None, "data.columns.angle"),
    "text in numbers": (BadNumber, 8, "Deg", "holds text"),
    "NaN": (BadNumber, 8, "Deg", "missing"),
    "inf": (BadNumber, 8, "Deg", "infinite"),
    "fractional time": (BadNumber, 8, "Pct", "whole number"),
    "truncated cycle": (IncompleteCurve, 2, None, "50 points, not 101"),
    "missing points": (IncompleteCurve, 2, None, "100 points, not 101"),
    "duplicate rows": (IncompleteCurve, 9, None, "given twice"),
    "unknown side": (UnknownLabel, 8, "Leg", "data.values.side"),
    "unknown group": (UnknownLabel, 8, "Diagnosis", "data.values.group"),
    "wrong delimiter": (
        UnreadableFile,
        1,
        None,
        'fix:      set data.delimiter: ";" in params.yaml',
    ),
    "tab-separated": (
        UnreadableFile,
        1,
        None,
        'fix:      set data.delimiter: "\\t" in params.yaml',
    ),
    "comment preamble": (UnreadableFile, 4, None, 'fix:      set data.comment: "#" in params.yaml'),
    "text preamble": (UnreadableFile, 3, None, "fix:      set data.skip_rows: 2 in params.yaml"),
    "extra cell": (UnreadableFile, 8, None, "a row has 9 fields where the header has 8"),
    "quoted newline, later bad value": (BadNumber, 9, "Deg", "holds text"),
    "preamble skipped, later bad value": (BadNumber, 11, "Deg", "holds text"),
    "gzip, later bad value": (BadNumber, 8, "Deg", "holds text"),
    "damaged gzip": (UnreadableFile, None, None, "cannot be unpacked"),
    "zip archive": (UnreadableFile, None, None, "a .csv.gz is read directly"),
    "unknown curve in data.curves": (ConfigError, None, None, "data.curves: elbow/sagittal"),
    "none of data.curves in the file": (MissingColumns, None, "Joint", "data.values.joint"),
    "one subject under two groups": (
        LabelConflict,
        9698,
        "Diagnosis",
        "'control' on line 2 and 'parkinsons' on line 9698",
    ),
    "ids differing by leading zeros": (
        LabelConflict,
        406,
        "Patient",
        "ids '007' and '7' differ only by leading zeros",
    ),
    "ids differing by case": (
        LabelConflict,
        406,
        "Patient",
        "fix:      write the subject's id one way",
    ),
    "non-UTF-8 bytes": (UnreadableFile, 1, None, "not UTF-8"),
    "a directory": (UnreadableFile, None, None, "is a directory"),
    "not found": (UnreadableFile, None, None, "does not exist"),
    "unreadable": (UnreadableFile, None, None, "cannot be read"),
    "unknown convention curve": (ConfigError, None, None, "data.conventions.elbow/sagittal"),
    "time 1..101": (BadNumber, 102, "Pct", "fix:      set data.time: {offset: -1} in params.yaml"),
    "time 0..1": (BadNumber, 3, "Pct", "fix:      set data.time: {scale: 100} in params.yaml"),
    "time mapped but off": (BadNumber, 2, "Pct", "after data.time is applied"),
}


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_bad_file_is_named_by_file_line_and_column(
    kind, frame, tiny_settings, tmp_path, monkeypatch
):
    error, line, column, words = CORPUS[kind]
    path = tmp_path / "mine.csv"
    params = _bad(frame, kind, path)
    if (
        kind == "unreadable" and os.geteuid() == 0
    ):  # root reads a chmod 0 file: refuse as the OS would
        monkeypatch.setattr(Path, "read_bytes", _permission_denied)
    with pytest.raises(error) as caught:
        load(settings_for(path, tiny_settings, **params))
    message = str(caught.value)
    assert words in message
    if isinstance(caught.value, BadInput):
        assert caught.value.path == path and str(path) in message
        assert caught.value.line == line and caught.value.column == column
        assert "fix:" in message and len(message.splitlines()) <= 5


@pytest.mark.parametrize(
    "kind", ["wrong delimiter", "tab-separated", "comment preamble", "text preamble", "time 0..1"]
)
def test_the_printed_fix_pasted_into_params_yaml_reads_the_file(
    kind, frame, tiny_settings, tmp_path
):
    """`set data.X: V in params.yaml`, pasted as printed, is valid YAML that makes the file load."""
    import yaml

    path = tmp_path / "mine.csv"
    _bad(frame, kind, path)
    with pytest.raises(BadInput) as caught:
        load(settings_for(path, tiny_settings))
    printed = caught.value.fix.removeprefix("set data.").split(" in params.yaml")[0]
    pasted = yaml.safe_load(printed)  # e.g. {"delimiter": "\t"}
    loaded = load(settings_for(path, tiny_settings, **pasted))
    assert loaded.table["angle"].tolist() == pytest.approx(frame["Deg"].tolist())
    header = {"comment preamble": 4, "text preamble": 3}.get(kind, 1)
    assert loaded.lines[0] == header + 1  # the file's physical lines, preamble counted


@pytest.mark.parametrize("variant", ["BOM", "Windows line ends", "blank lines", "gzip"])
def test_harmless_file_variants_are_read_like_the_plain_file(
    variant, frame, tiny_settings, tmp_path
):
    plain = load(settings_for(write(frame, tmp_path / "plain.csv"), tiny_settings))
    text = frame.to_csv(index=False)
    if variant == "BOM":
        data = "\ufeff".encode() + text.encode()
    elif variant == "Windows line ends":
        data = text.replace("\n", "\r\n").encode()
    elif variant == "gzip":
        data = gzip.compress(text.encode())
    else:
        data = (text + "\n\n").encode()
    path = tmp_path / ("variant.csv.gz" if variant == "gzip" else "variant.csv")
    path.write_bytes(data)
    loaded = load(settings_for(path, tiny_settings))
    pd.testing.assert_frame_equal(loaded.table, plain.table)


# the same kinds through the UCI-layout adapter (data.source: uci_format)
UCI_CORPUS: dict[str, tuple[type[Exception], int | None, str | None, str]] = {
    "empty": (UnreadableFile, None, None, "is empty"),
    "header only": (UnreadableFile, 2, None, "no data rows"),
    "missing column": (MissingColumns, 1, None, "'leg'"),
    "text in numbers": (BadNumber, 8, "angle", "holds text"),
    "NaN": (BadNumber, 8, "angle", "missing"),
    "unknown code": (UnknownLabel, 8, "joint", "unknown joint code"),
    "truncated cycle": (IncompleteCurve, 2, None, "a cycle has 50 rows"),
    "duplicate rows": (IncompleteCurve, 2, None, "(100 distinct times)"),
    "a directory": (UnreadableFile, None, None, "is a directory"),
}


@pytest.mark.parametrize("kind", sorted(UCI_CORPUS))
def test_bad_uci_layout_file_is_named_by_file_line_and_column(kind, tmp_path):
    from gaitops.data.sources.synthetic import UCI_LIKE, generate
    from gaitops.data.sources.uci import load_file, write_uci

    good = tmp_path / "good.csv"
    write_uci(generate(UCI_LIKE.model_copy(update={"subjects_per_group": 2})), good)
    frame = pd.read_csv(good)
    path = tmp_path / "uci.csv"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "header only":
        path.write_text(",".join(frame.columns) + "\n")
    elif kind == "missing column":
        write(frame.drop(columns=["leg"]), path)
    elif kind in ("text in numbers", "NaN"):
        frame = frame.astype({"angle": object})
        frame.loc[6, "angle"] = "x" if kind == "text in numbers" else np.nan
        write(frame, path)
    elif kind == "unknown code":
        frame.loc[6, "joint"] = 9
        write(frame, path)
    elif kind == "truncated cycle":
        write(frame.drop(index=range(50, 101)), path)
    elif kind == "duplicate rows":
        frame.loc[1, "time"] = 0
        write(frame, path)
    else:
        path.mkdir()
    error, line, column, words = UCI_CORPUS[kind]
    settings = Settings.model_validate({"data": {"source": "uci_format", "csv_path": str(path)}})
    with pytest.raises(error) as caught:
        load_file(settings)
    assert words in str(caught.value) and str(path) in str(caught.value)
    assert caught.value.line == line and caught.value.column == column


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_bad_file_leaves_the_stored_ingest_output_byte_for_byte(
    kind, frame, tiny_settings, tmp_path, monkeypatch
):
    from gaitops.paths import Paths
    from gaitops.stages.ingest import run as ingest

    path = tmp_path / "mine.csv"
    paths = Paths(tmp_path / "project")
    ingest(settings_for(write(frame, path), tiny_settings), paths)
    stored = {p: p.read_bytes() for p in sorted(paths.ingested_dir.iterdir())}
    path.unlink()
    params = _bad(frame, kind, path)
    if kind == "unreadable" and os.geteuid() == 0:
        monkeypatch.setattr(Path, "read_bytes", _permission_denied)
    with pytest.raises(CORPUS[kind][0]):
        ingest(settings_for(path, tiny_settings, **params), paths)
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in sorted(paths.ingested_dir.iterdir())} == stored
