"""A user's own CSV, mapped to the canonical table by the column names in ``data.columns``.

Layout ``long``: one row per point (time and angle columns). Layout ``wide``: one row per
curve with one column per % of the cycle (``<wide_prefix>0 .. <wide_prefix>100``, like fgdi).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gaitops.config import ColumnMap, Settings
from gaitops.data.schema import coerce
from gaitops.data.sources import LoadedSource, SourceInfo
from gaitops.data.sources.wide import melt_percent_columns, percent_columns
from gaitops.errors import DataSourceError
from gaitops.io import sha256_of

SIDE_SPELLINGS = {"l": "L", "left": "L", "1": "L", "r": "R", "right": "R", "2": "R"}
DEFAULTS = {
    "session": None,
    "cycle": 1,
    "plane": "sagittal",
    "condition": "none",
}  # for unmapped columns


def _mapped(columns: ColumnMap, layout: str) -> dict[str, str]:
    """Canonical name -> the user's column name, for the columns the file has."""
    wanted = columns.model_dump()
    if layout == "wide":
        wanted.pop("time")
        wanted.pop("angle")
    return {canonical: name for canonical, name in wanted.items() if name is not None}


def map_columns(
    frame: pd.DataFrame, columns: ColumnMap, layout: str, wide_prefix: str, path: Path
) -> pd.DataFrame:
    """The canonical table from a user's frame; errors name the file, the column and the params key."""
    mapping = _mapped(columns, layout)
    missing = [
        f"data.columns.{canonical} = {name!r}"
        for canonical, name in mapping.items()
        if name not in frame.columns
    ]
    if layout == "wide":
        absent = [c for c in percent_columns(wide_prefix) if c not in frame.columns]
        if absent:
            missing.append(
                f"{len(absent)} cycle-% columns such as {absent[0]!r} (data.wide_prefix)"
            )
    if missing:
        raise DataSourceError(
            f"{path}: no column for {', '.join(missing)}. The file has {', '.join(map(str, frame.columns[:15]))}"
            f"{' ...' if len(frame.columns) > 15 else ''}; fix data.columns (or data.layout) in params.yaml."
        )
    out = pd.DataFrame({canonical: frame[name] for canonical, name in mapping.items()})
    out = out.rename(columns={"label": "group"})
    for canonical, default in DEFAULTS.items():
        if canonical not in out:
            out[canonical] = out["subject"] if canonical == "session" else default
    sides = out["side"].astype(str).str.strip().str.lower().map(SIDE_SPELLINGS)
    if sides.isna().any():
        row = int(sides.isna().to_numpy().argmax())
        raise DataSourceError(
            f"{path}, row {row + 2}, column {mapping['side']!r}: {out['side'].iloc[row]!r} is not a side "
            "(L / R, left / right or 1 / 2)."
        )
    out["side"] = sides
    for column in ("joint", "plane"):
        out[column] = out[column].astype(str).str.strip().str.lower()
    if layout == "wide":
        ids = [c for c in out.columns]
        out = pd.concat([out, frame[percent_columns(wide_prefix)]], axis=1)
        out = melt_percent_columns(out, ids, wide_prefix)
    return coerce(out)


def load(settings: Settings, data_dir: Path | None = None) -> LoadedSource:
    del data_dir
    data = settings.data
    path = Path(str(data.csv_path)).expanduser()
    if not path.is_file():
        raise DataSourceError(f"{path}: not found (data.csv_path in params.yaml).")
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataSourceError(f"{path}: cannot be read as CSV: {exc}") from exc
    return LoadedSource(
        table=map_columns(frame, data.columns, data.layout, data.wide_prefix, path),
        info=SourceInfo(
            name="long_csv",
            files={path.name: sha256_of(path)},
            description=f"{path} ({data.layout} layout)",
        ),
    )
