"""The UCI Multivariate Gait Data (Helwig et al.): 10 healthy subjects x 3 brace conditions.

Layout (``gait.csv``): ``subject,condition,replication,leg,joint,time,angle``, codes as below,
101 points per cycle; braces were worn on the right leg.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from gaitops.config import Settings
from gaitops.data.fetch import PinnedFile, data_dir_from_env, locate
from gaitops.data.schema import TIME_POINTS, coerce
from gaitops.data.sources import LoadedSource, SourceInfo
from gaitops.data.sources.csv_reading import (
    line_of,
    lines_of,
    numbers,
    read_text_table,
    whole_numbers,
)
from gaitops.errors import DataSourceError, IncompleteCurve, MissingColumns, UnknownLabel
from gaitops.io import atomic_path, sha256_of

GAIT_CSV = PinnedFile(
    relative_path="uci/gait.csv",
    url="https://archive.ics.uci.edu/static/public/760/multivariate+gait+data.zip",
    digest="c88a2eef74356ab88fc7ba35eb230d2655044646",
    digest_kind="git_blob_sha1",
    archive_member="gait.csv",
)
COLUMNS = ["subject", "condition", "replication", "leg", "joint", "time", "angle"]
CYCLE_KEY = ["subject", "condition", "replication", "leg", "joint"]
LINE = "line"
CONDITIONS = {1: "unbraced", 2: "knee_brace", 3: "ankle_brace"}
LEGS = {1: "L", 2: "R"}
JOINTS = {1: "ankle", 2: "knee", 3: "hip"}


def read_uci(path: Path) -> pd.DataFrame:
    """Parse a file in the UCI layout into the canonical table, checking codes and cycle length."""
    return read_uci_with_lines(path)[0]


def _codes(
    values: np.ndarray, text: pd.Series, column: str, codes: dict[int, str], path: Path
) -> None:
    bad = ~np.isin(values, list(codes))
    if bad.any():
        row = int(np.argmax(bad))
        raise UnknownLabel(
            f"an unknown {column} code in a UCI-layout file",
            path,
            line=line_of(text, row),
            column=column,
            value=text.iloc[row],
            expected=", ".join(f"{k} ({v})" for k, v in codes.items()),
            fix=f"use the UCI codes for {column}, or bring the file in as data.source: long_csv",
        )


def read_uci_with_lines(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """The canonical table of a UCI-layout file and the file line of each of its rows."""
    text = read_text_table(path, ",")
    missing = [c for c in COLUMNS if c not in text.columns]
    if missing:
        raise MissingColumns(
            f"a UCI-layout file without the column {missing[0]!r}",
            path,
            line=1,
            value=", ".join(text.columns[:10]),
            expected=",".join(COLUMNS),
            fix="write the header of the UCI layout, or bring the file in as data.source: long_csv",
        )
    fix = "the UCI layout's columns other than angle hold whole numbers"
    raw = pd.DataFrame(
        {c: whole_numbers(text[c], ".", path, c, fix) for c in COLUMNS[:-1]}
        | {"angle": numbers(text["angle"], ".", path, "angle")}
    )
    for column, codes in (("condition", CONDITIONS), ("leg", LEGS), ("joint", JOINTS)):
        _codes(raw[column].to_numpy(), text[column], column, codes, path)
    raw[LINE] = lines_of(text)
    lengths = raw.groupby(CYCLE_KEY, sort=True).agg(
        size=("time", "size"), distinct=("time", "nunique"), first=(LINE, "min")
    )
    short = lengths[(lengths["size"] != TIME_POINTS) | (lengths["distinct"] != TIME_POINTS)]
    if len(short):
        first = short.sort_values("first").iloc[0]
        cycle = dict(
            zip(CYCLE_KEY, (int(v) for v in short.sort_values("first").index[0]), strict=True)
        )
        raise IncompleteCurve(
            f"a cycle has {int(first['size'])} rows ({int(first['distinct'])} distinct times), "
            f"not {TIME_POINTS}",
            path,
            line=int(first["first"]),
            value=cycle,
            expected=f"{TIME_POINTS} rows, time 0..{TIME_POINTS - 1}",
            fix="time-normalise each cycle to 101 points and give each time once",
        )
    subject = "U" + raw["subject"].astype(int).map("{:02d}".format)
    table = pd.DataFrame(
        {
            "subject": subject,
            "session": subject + "_" + raw["condition"].map(CONDITIONS),
            "cycle": raw["replication"].astype("int64"),
            "side": raw["leg"].map(LEGS),
            "joint": raw["joint"].map(JOINTS),
            "plane": "sagittal",
            "time": raw["time"].astype("int64"),
            "angle": raw["angle"].astype("float64"),
            "group": "control",
            "condition": raw["condition"].map(CONDITIONS),
        }
    )
    return coerce(table), raw[LINE].to_numpy(dtype=np.int64)


def write_uci(table: pd.DataFrame, path: Path) -> None:
    """Write a canonical table (sagittal ankle/knee/hip, UCI conditions) in exactly the UCI layout."""
    codes = {"condition": CONDITIONS, "side": LEGS, "joint": JOINTS}
    inverse = {
        column: {name: code for code, name in mapping.items()} for column, mapping in codes.items()
    }
    for column, mapping in inverse.items():
        unknown = sorted(set(table[column]) - set(mapping))
        if unknown:
            raise DataSourceError(
                f"cannot write the UCI layout: {column} values {unknown} have no UCI code."
            )
    subjects = {name: i + 1 for i, name in enumerate(sorted(table["subject"].unique()))}
    out = pd.DataFrame(
        {
            "subject": table["subject"].map(subjects),
            "condition": table["condition"].map(inverse["condition"]),
            "replication": table["cycle"],
            "leg": table["side"].map(inverse["side"]),
            "joint": table["joint"].map(inverse["joint"]),
            "time": table["time"],
            "angle": table["angle"].round(6),
        }
    ).sort_values(COLUMNS[:-1])
    with atomic_path(Path(path)) as tmp:
        out.to_csv(tmp, index=False, lineterminator="\n")


def load(settings: Settings, data_dir: Path | None = None) -> LoadedSource:
    """The official gait.csv, verified by its git blob SHA-1."""
    path, digest = locate(GAIT_CSV, data_dir or data_dir_from_env(), settings.data.download)
    return LoadedSource(
        table=read_uci(path),
        info=SourceInfo(
            name="uci",
            files={"gait.csv": digest},
            description="UCI Multivariate Gait Data: 10 subjects x unbraced / knee brace / ankle brace (git blob SHA-1)",
        ),
    )


def load_file(settings: Settings, data_dir: Path | None = None) -> LoadedSource:
    """A file in the UCI layout at ``data.csv_path`` (not the published one: hash recorded, not pinned)."""
    del data_dir
    path = Path(str(settings.data.csv_path))
    table, lines = read_uci_with_lines(path)
    return LoadedSource(
        table=table,
        lines=lines,
        info=SourceInfo(
            name="uci_format",
            files={path.name: sha256_of(path)},
            description=f"UCI layout file {path}",
        ),
    )
