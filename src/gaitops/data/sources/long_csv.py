"""A user's own CSV, mapped to the canonical table by params alone.

``data.columns`` names the file's column for each canonical column; ``data.values`` maps the
file's spellings of sides, groups and conditions; ``data.conventions`` turns each joint and
plane's angles into the canonical convention (sign and scale, then offset); ``data.delimiter`` and
``data.decimal`` say how the file is written. Layout ``long``: one row per point (time and angle
columns). Layout ``wide``: one row per curve with one column per % of the cycle
(``<wide_prefix>0 .. <wide_prefix>100``, like fgdi). Every problem is reported with the file,
line and column it is at.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from gaitops.config import Settings
from gaitops.data.schema import KEY_COLUMNS, TIME_POINTS, coerce, curve_key
from gaitops.data.sources import LoadedSource, SourceInfo
from gaitops.data.sources.csv_reading import (
    HEADER_ATTR,
    line_of,
    lines_of,
    numbers,
    read_text_table,
    whole_numbers,
)
from gaitops.data.sources.wide import percent_columns
from gaitops.errors import (
    BadNumber,
    IncompleteCurve,
    LabelConflict,
    MissingColumns,
    UnknownLabel,
)
from gaitops.io import sha256_of
from gaitops.settings.data import DataSettings

SIDE_SPELLINGS = {"l": "L", "left": "L", "1": "L", "r": "R", "right": "R", "2": "R"}
DEFAULTS = {"session": None, "cycle": "1", "plane": "sagittal", "condition": "none"}
LINE = "line"  # the file line each canonical row came from (kept beside the table)
UNLABELLED = "unlabelled"  # `group` of a file without a label column (new recordings to predict)


def _mapped(data: DataSettings) -> dict[str, str]:
    """Canonical name -> the user's column name, for the columns the file has."""
    wanted = data.columns.model_dump()
    if data.layout == "wide":
        wanted.pop("time")
        wanted.pop("angle")
    return {canonical: name for canonical, name in wanted.items() if name is not None}


def _require_columns(frame: pd.DataFrame, data: DataSettings, path: Path) -> dict[str, str]:
    mapping = _mapped(data)
    missing = [(c, n) for c, n in mapping.items() if n not in frame.columns]
    has = ", ".join(map(str, frame.columns[:12])) + (" ..." if len(frame.columns) > 12 else "")
    if missing:
        canonical, name = missing[0]
        others = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise MissingColumns(
            f"the file has no column {name!r} for {canonical}{others}",
            path,
            line=frame.attrs.get(HEADER_ATTR, 1),
            value=name,
            expected=f"one of the file's columns: {has}",
            fix=f"set data.columns.{canonical} in params.yaml to the file's name for it",
        )
    if data.layout == "wide":
        absent = [c for c in percent_columns(data.wide_prefix) if c not in frame.columns]
        if absent:
            raise MissingColumns(
                f"the wide layout needs {TIME_POINTS} cycle-% columns; {len(absent)} are missing",
                path,
                line=frame.attrs.get(HEADER_ATTR, 1),
                value=absent[0],
                expected=f"{data.wide_prefix}0 .. {data.wide_prefix}{TIME_POINTS - 1}; the file has {has}",
                fix="set data.wide_prefix (or data.layout: long) in params.yaml",
            )
    return mapping


def _labels(
    cells: pd.Series,
    mapping: dict[str, str],
    allowed: list[str],
    what: str,
    path: Path,
    column: str,
) -> pd.Series:
    """A label column through its value map; UnknownLabel names the first unmapped value."""
    values = cells.str.strip().map(lambda v: mapping.get(v, v))
    unknown = ~values.isin(allowed)
    if unknown.any():
        row = int(unknown.to_numpy().argmax())
        raise UnknownLabel(
            f"an unknown {what} label",
            path,
            line=line_of(cells, row),
            column=column,
            value=cells.iloc[row],
            expected=", ".join(allowed),
            fix=f"map it in data.values.{what} (e.g. {{{cells.iloc[row].strip()!r}: {allowed[0]}}}) "
            f"or allow it in validate.{what}s",
        )
    return values


def _sides(cells: pd.Series, data: DataSettings, path: Path, column: str) -> pd.Series:
    mapped = {k.strip().lower(): v for k, v in data.values.side.items()}
    lowered = cells.str.strip().str.lower()
    sides = lowered.map(lambda v: mapped.get(v, SIDE_SPELLINGS.get(v)))
    if sides.isna().any():
        row = int(sides.isna().to_numpy().argmax())
        raise UnknownLabel(
            "an unknown side label",
            path,
            line=line_of(cells, row),
            column=column,
            value=cells.iloc[row],
            expected="L / R (or left / right, 1 / 2), or a label mapped in data.values.side",
            fix=f"map it in params.yaml: data.values.side: {{{cells.iloc[row].strip()!r}: L or R}}",
        )
    return sides


WHOLE_NUMBER_FIX = "time is a % of the gait cycle (0..100) and cycle a count: write whole numbers"


def _times(cells: pd.Series, data: DataSettings, path: Path, column: str) -> np.ndarray:
    """The time column as whole % of the cycle: mapped by data.time, or, for the axes labs
    often export (0..1, 1..101), refused with the data.time that maps them."""
    values = numbers(cells, data.decimal, path, column)
    if not data.time.identity():
        mapped = data.time.scale * values + data.time.offset
        whole = np.round(mapped)
        off = ~np.isclose(mapped, whole, rtol=0, atol=1e-6)
        if off.any():
            row = int(off.argmax())
            raise BadNumber(
                "time is not a whole % of the gait cycle after data.time is applied",
                path,
                line=line_of(cells, row),
                column=column,
                value=cells.iloc[row],
                expected=f"scale x time + offset = 0..{TIME_POINTS - 1} "
                f"(data.time: scale {data.time.scale:g}, offset {data.time.offset:g})",
                fix="set data.time to map your time axis onto 0..100 "
                "(e.g. {offset: -1} for 1..101, {scale: 100} for 0..1)",
            )
        return whole.astype(np.int64)
    fractional = values % 1 != 0
    if fractional.any() and values.min() >= 0 and values.max() <= 1:
        row = int(fractional.argmax())
        raise BadNumber(
            "time runs 0..1 (a fraction of the gait cycle), not 0..100 %",
            path,
            line=line_of(cells, row),
            column=column,
            value=cells.iloc[row],
            expected=f"whole % of the gait cycle, 0..{TIME_POINTS - 1}",
            fix="set data.time: {scale: 100} in params.yaml",
        )
    if not fractional.any() and values.min() == 1 and values.max() == TIME_POINTS:
        row = int((values == TIME_POINTS).argmax())
        raise BadNumber(
            f"time runs 1..{TIME_POINTS}, not 0..{TIME_POINTS - 1} % of the gait cycle",
            path,
            line=line_of(cells, row),
            column=column,
            value=cells.iloc[row],
            expected=f"whole % of the gait cycle, 0..{TIME_POINTS - 1}",
            fix="set data.time: {offset: -1} in params.yaml",
        )
    return whole_numbers(cells, data.decimal, path, column, WHOLE_NUMBER_FIX)


def _apply_conventions(table: pd.DataFrame, data: DataSettings) -> pd.DataFrame:
    """canonical angle = sign * scale * angle + offset, for each joint/plane in data.conventions."""
    for name, convention in data.conventions.items():
        joint, plane = curve_key(name, f"data.conventions.{name}")
        chosen = (table["joint"] == joint) & (table["plane"] == plane)
        factor = convention.sign * convention.scale  # scale 1: exactly the sign, as before
        table.loc[chosen, "angle"] = factor * table.loc[chosen, "angle"] + convention.offset
    return table


def _check_ids(table: pd.DataFrame, path: Path, column: str) -> None:
    """Subject ids that differ only by leading zeros or case ('001' / '1', 'S01' / 's01') are
    one subject spelled two ways, or a mix-up: named, with the line of each."""
    first = table.groupby("subject", sort=False)[LINE].min()
    plain = first.index.str.lower().str.lstrip("0").str.replace(r"^$", "0", regex=True)
    spellings = pd.Series(first.to_numpy(), index=pd.MultiIndex.from_arrays([plain, first.index]))
    twice = spellings.groupby(level=0).transform("size") > 1
    if not twice.any():
        return
    clash = spellings[twice].sort_values()
    key = clash.index[0][0]
    (one, line_one), (other, line_other) = [
        (ident, int(line)) for ident, line in clash.loc[key].items()
    ][:2]
    raise LabelConflict(
        f"subject ids {one!r} and {other!r} differ only by leading zeros or case",
        path,
        line=line_other,
        column=column,
        value=other,
        expected=f"one spelling per subject ({one!r} is first on line {line_one})",
        fix=f"write the subject's id one way in the file (e.g. {one!r} on every line); if they "
        "are two people, give them ids that differ otherwise",
    )


def _check_label_conflicts(table: pd.DataFrame, path: Path, name_of: dict[str, str]) -> None:
    """One group per subject (and session, when mapped) and one condition per curve: a second
    label is a conflict, named with both lines and both labels."""
    per_session = "session" in name_of
    keys = {
        "group": ["subject", "session"],
        "condition": ["subject", "session", "cycle", "side", "joint", "plane"],
    }
    for label, key in keys.items():
        labelled = table.drop_duplicates([*key, label])  # the first row of each label, file order
        second = labelled.duplicated(key, keep="first")
        if not second.any():
            continue
        late = labelled[second].iloc[0]
        same = (labelled[key] == late[key]).all(axis=1)
        early = labelled[same].iloc[0]
        within = "subject and session" if per_session else "subject"
        tell_apart = (
            "map the column that tells them apart (data.columns.session or .cycle)"
            if label == "condition"
            else "map its session column (data.columns.session) so each session keeps its own"
        )
        raise LabelConflict(
            f"a label conflict: subject {late['subject']!r} is {label} {early[label]!r} on line "
            f"{int(early[LINE])} and {late[label]!r} on line {int(late[LINE])}",
            path,
            line=int(late[LINE]),
            column=name_of.get("label" if label == "group" else label, label),
            value=late[label],
            expected=f"one {label} per {within}" if label == "group" else f"one {label} per curve",
            fix=f"correct the {label} on one of these lines; if the {label} truly changed, "
            + tell_apart,
        )


def _check_curves(table: pd.DataFrame, path: Path) -> None:
    """Each point once, each curve complete: named by the user's line."""
    duplicated = table.duplicated(list(KEY_COLUMNS), keep="first")
    if duplicated.any():
        index = int(duplicated.to_numpy().argmax())
        row = table.iloc[index]
        key = {k: row[k] for k in KEY_COLUMNS}
        raise IncompleteCurve(
            "a point of a curve is given twice",
            path,
            line=int(row[LINE]),
            value=key,
            expected="one row per subject, session, cycle, side, joint, plane and time",
            fix="drop the duplicate rows (or map the column that tells them apart in data.columns)",
        )
    curve = [c for c in KEY_COLUMNS if c != "time"]
    sizes = table.groupby(curve, sort=False)[LINE].agg(["size", "min"])
    short = sizes[sizes["size"] != TIME_POINTS]
    if len(short):
        first = short.sort_values("min").iloc[0]
        raise IncompleteCurve(
            f"a curve has {int(first['size'])} points, not {TIME_POINTS}",
            path,
            line=int(first["min"]),
            value=dict(zip(curve, short.sort_values("min").index[0], strict=True)),
            expected=f"{TIME_POINTS} points, time 0..{TIME_POINTS - 1} % of the gait cycle",
            fix="time-normalise each cycle to 101 points, or drop the incomplete curve",
        )


def map_columns(
    frame: pd.DataFrame, settings: Settings, path: Path
) -> tuple[pd.DataFrame, np.ndarray]:
    """The canonical table from a user's text frame, and the file line of each of its rows."""
    data = settings.data
    mapping = _require_columns(frame, data, path)
    out = pd.DataFrame({c: frame[name].astype(str) for c, name in mapping.items()})
    out = out.rename(columns={"label": "group"})
    for canonical, default in DEFAULTS.items():
        if canonical not in out:
            out[canonical] = out["subject"] if canonical == "session" else default
    name_of = {**mapping, "group": mapping.get("label", "group")}
    out["side"] = _sides(out["side"], data, path, mapping["side"])
    if "label" in mapping:
        out["group"] = _labels(
            out["group"],
            data.values.group,
            settings.validate_.groups,
            "group",
            path,
            name_of["group"],
        )
    else:
        out["group"] = UNLABELLED
    out["condition"] = _labels(
        out["condition"],
        data.values.condition,
        settings.validate_.conditions,
        "condition",
        path,
        name_of.get("condition", "condition"),
    )
    for column in ("subject", "session", "joint", "plane"):
        out[column] = out[column].str.strip()
    for column in ("joint", "plane"):
        spelled = {k.strip().lower(): v for k, v in getattr(data.values, column).items()}
        out[column] = out[column].str.lower().map(lambda v, m=spelled: m.get(v, v))
    if data.curves != "all":  # only the curves asked for (each a known joint/plane)
        wanted = {curve_key(name, f"data.curves: {name}") for name in data.curves}
        keep = pd.Series(list(zip(out["joint"], out["plane"], strict=True)), index=out.index)
        keep = keep.isin(wanted).to_numpy()
        if not keep.any():
            raise MissingColumns(
                "none of the curves in data.curves is in the file",
                path,
                column=mapping["joint"],
                value=sorted(data.curves),
                expected="the file's curves: "
                + ", ".join(sorted(set(out["joint"] + "/" + out["plane"]))[:12]),
                fix="list the file's curves in data.curves (map spellings with "
                "data.values.joint / .plane), or set data.curves: all",
            )
        out, frame = out[keep], frame[keep]
    cycle_column = name_of.get("cycle", "cycle")
    out["cycle"] = whole_numbers(out["cycle"], data.decimal, path, cycle_column, WHOLE_NUMBER_FIX)
    out[LINE] = lines_of(out)
    _check_ids(out, path, mapping["subject"])
    _check_label_conflicts(out, path, mapping)
    if data.layout == "wide":
        ids = list(out.columns)
        curves = pd.DataFrame(
            {c: numbers(frame[c], data.decimal, path, c) for c in percent_columns(data.wide_prefix)}
        )
        out = pd.concat([out.reset_index(drop=True), curves], axis=1).melt(
            id_vars=ids,
            value_vars=percent_columns(data.wide_prefix),
            var_name="time",
            value_name="angle",
        )
        out["time"] = out["time"].str.slice(len(data.wide_prefix)).astype("int64")
    else:
        out["time"] = _times(out["time"], data, path, mapping["time"])
        out["angle"] = numbers(out["angle"], data.decimal, path, mapping["angle"])
    out = _apply_conventions(out, data)
    _check_curves(out, path)
    lines = out.pop(LINE).to_numpy(dtype=np.int64)
    return coerce(out), lines


def load(settings: Settings, data_dir: Path | None = None) -> LoadedSource:
    del data_dir
    data = settings.data
    path = Path(str(data.csv_path)).expanduser()
    frame = read_text_table(path, data.delimiter, data.skip_rows, data.comment)
    table, lines = map_columns(frame, settings, path)
    return LoadedSource(
        table=table,
        info=SourceInfo(
            name="long_csv",
            files={path.name: sha256_of(path)},
            description=f"{path} ({data.layout} layout)",
            conventions=conventions_record(data),
        ),
        lines=lines,
    )


def conventions_record(data: DataSettings) -> dict[str, object]:
    """How the file's values were turned canonical, for the provenance record."""
    return {
        "values": data.values.model_dump(  # joint / plane maps only when used (as before)
            exclude={k for k in ("joint", "plane") if not getattr(data.values, k)}
        ),
        "side_meaning": data.side_meaning,
        "angle_conventions": {
            k: v.model_dump(exclude={"scale"} if v.scale == 1 else None)
            for k, v in data.conventions.items()
        },
        **({} if data.curves == "all" else {"curves": list(data.curves)}),
        "delimiter": data.delimiter,
        "decimal": data.decimal,
        **({} if data.time.identity() else {"time": data.time.model_dump()}),
    }
