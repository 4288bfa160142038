"""Reading a user's CSV as text, so every bad cell can be named by file, line and column."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from gaitops.errors import BadNumber, UnreadableFile

HEADER_LINES = 1  # the file's line of data row i is i + HEADER_LINES + 1


def file_line(row: int) -> int:
    """The 1-based line in the user's file of data row `row` (0-based, after the header)."""
    return row + HEADER_LINES + 1


def _text(path: Path) -> str:
    """The file's text (UTF-8, a BOM dropped, Windows line ends accepted), or UnreadableFile."""
    fix_path = "set data.csv_path in params.yaml to your CSV file"
    if not path.exists():
        raise UnreadableFile("the data file does not exist", path, fix=fix_path)
    if path.is_dir():
        raise UnreadableFile("the data path is a directory, not a file", path, fix=fix_path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(
            f"the data file cannot be read ({exc.strerror})",
            path,
            fix="make the file readable by this user (chmod / ownership)",
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnreadableFile(
            "the data file is not UTF-8 text",
            path,
            line=line,
            value=raw[exc.start : exc.start + 4],
            expected="UTF-8 encoded text",
            fix="save the file as UTF-8 (for example 'CSV UTF-8' in a spreadsheet)",
        ) from None


def read_text_table(path: Path, delimiter: str) -> pd.DataFrame:
    """Every cell as a string (empty cells as ""), with the header's column names."""
    text = _text(path)
    if not text.strip():
        raise UnreadableFile(
            "the data file is empty", path, fix="export the data again: the file has no bytes"
        )
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise UnreadableFile(
            f"the data file is not a table with delimiter {delimiter!r} ({exc})",
            path,
            fix="check data.delimiter in params.yaml and the row the parser names",
        ) from None
    if frame.empty:
        raise UnreadableFile(
            "the data file has a header but no data rows",
            path,
            line=2,
            fix="export the rows too, not only the header",
        )
    if len(frame.columns) == 1 and delimiter not in frame.columns[0]:
        for other in (";", "\t", ",", "|"):
            if other != delimiter and other in frame.columns[0]:
                raise UnreadableFile(
                    f"the data file has one column: its delimiter looks like {other!r}, "
                    f"not {delimiter!r}",
                    path,
                    line=1,
                    value=frame.columns[0][:60],
                    fix=f"set data.delimiter: {other!r} in params.yaml",
                )
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def numbers(cells: pd.Series, decimal: str, path: Path, column: str) -> np.ndarray:
    """A text column as finite floats; BadNumber names the first bad cell's line."""
    text = cells.astype(str).str.strip()
    if decimal != ".":
        text = text.str.replace(decimal, ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if not bad.any():
        return values
    row = int(bad.argmax())
    raw = cells.iloc[row]
    parsed = values[row]
    if raw.strip() == "" or raw.strip().lower() in {"na", "nan", "null", "none"}:
        what = "a number is missing"
        fix = "fill in the value, or drop the curve it belongs to"
    elif math.isnan(parsed):
        what = "a number column holds text"
        fix = (
            f"write plain numbers with {decimal!r} as the decimal mark "
            "(data.decimal in params.yaml sets it)"
        )
    else:
        what = "a number is infinite"
        fix = "replace the value with the measured angle, or drop the curve"
    raise BadNumber(
        what,
        path,
        line=file_line(row),
        column=column,
        value=raw,
        expected=f"a finite number (decimal mark {decimal!r})",
        fix=fix,
    )


def whole_numbers(cells: pd.Series, decimal: str, path: Path, column: str, fix: str) -> np.ndarray:
    """A text column as integers; BadNumber names the first non-number or fractional cell."""
    values = numbers(cells, decimal, path, column)
    fractional = values % 1 != 0
    if fractional.any():
        row = int(fractional.argmax())
        raise BadNumber(
            "a whole number is expected",
            path,
            line=file_line(row),
            column=column,
            value=cells.iloc[row],
            expected="an integer",
            fix=fix,
        )
    return values.astype(np.int64)
