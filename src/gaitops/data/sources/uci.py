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
from gaitops.errors import DataSourceError
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
CONDITIONS = {1: "unbraced", 2: "knee_brace", 3: "ankle_brace"}
LEGS = {1: "L", 2: "R"}
JOINTS = {1: "ankle", 2: "knee", 3: "hip"}


def read_uci(path: Path) -> pd.DataFrame:
    """Parse a file in the UCI layout into the canonical table, checking codes and cycle length."""
    try:
        raw = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataSourceError(f"{path}: cannot be read as CSV: {exc}") from exc
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataSourceError(
            f"{path}: missing column(s) {', '.join(missing)}; the UCI layout is {','.join(COLUMNS)}."
        )
    for column, codes in (("condition", CONDITIONS), ("leg", LEGS), ("joint", JOINTS)):
        bad = ~raw[column].isin(list(codes))
        if bad.any():
            row = int(np.argmax(bad.to_numpy()))
            raise DataSourceError(
                f"{path}, row {row + 2}, column {column}: {raw[column].iloc[row]!r} is not one of {sorted(codes)}."
            )
    lengths = raw.groupby(CYCLE_KEY, sort=True)["time"].agg(["size", "nunique"])
    short = lengths[(lengths["size"] != TIME_POINTS) | (lengths["nunique"] != TIME_POINTS)]
    if len(short):
        cycle = dict(zip(CYCLE_KEY, (int(v) for v in short.index[0]), strict=True))
        raise DataSourceError(
            f"{path}: cycle {cycle} has {int(short['size'].iloc[0])} rows, not {TIME_POINTS} "
            f"(time 0..100); {len(short)} cycle(s) in all are truncated or duplicated."
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
    return coerce(table)


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
    if not path.is_file():
        raise DataSourceError(f"{path}: not found (data.csv_path in params.yaml).")
    return LoadedSource(
        table=read_uci(path),
        info=SourceInfo(
            name="uci_format",
            files={path.name: sha256_of(path)},
            description=f"UCI layout file {path}",
        ),
    )
